// libFuzzer target: magnet links are pasted by users and come from search results.
#include "torrent/error.hpp"
#include "torrent/magnet.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

bool is_lower_hex(const std::string& s, std::size_t n) {
    return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    try {
        auto m = essaim::torrent::parse_magnet(in);
        if (!m.info_hash_v1.empty() && !is_lower_hex(m.info_hash_v1, 40)) __builtin_trap();
        if (!m.info_hash_v2.empty() && !is_lower_hex(m.info_hash_v2, 64)) __builtin_trap();
        if (!is_lower_hex(m.qbt_id(), 40)) __builtin_trap();
        if (m.exact_length && *m.exact_length < 0) __builtin_trap();
        if (!essaim::str::is_valid_utf8(m.display_name)) __builtin_trap();
        for (std::size_t i = 0; i < m.trackers.size(); ++i) {
            if (m.trackers[i].empty() || !essaim::str::is_valid_utf8(m.trackers[i]))
                __builtin_trap();
            for (std::size_t j = 0; j < i; ++j)
                if (m.trackers[i] == m.trackers[j]) __builtin_trap();
        }
    } catch (const essaim::torrent::TorrentError&) {
    }
    return 0;
}
