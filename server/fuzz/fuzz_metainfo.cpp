// libFuzzer target: .torrent files uploaded by users and fetched from search results. Whatever is
// accepted must satisfy the MetaInfo invariants the rest of essaim relies on.
#include "torrent/error.hpp"
#include "torrent/metainfo.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

bool is_lower_hex(const std::string& s, std::size_t n) {
    if (s.size() != n) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

void check(const essaim::torrent::MetaInfo& m) {
    using essaim::torrent::Version;
    const bool v1 = m.version != Version::v2, v2 = m.version != Version::v1;
    if (v1 != is_lower_hex(m.info_hash_v1, 40) || (!v1 && !m.info_hash_v1.empty()))
        __builtin_trap();
    if (v2 != is_lower_hex(m.info_hash_v2, 64) || (!v2 && !m.info_hash_v2.empty()))
        __builtin_trap();
    if (!is_lower_hex(m.qbt_id(), 40)) __builtin_trap();
    if (m.name.empty() || m.files.empty() || m.piece_length <= 0 || m.total_size <= 0)
        __builtin_trap();
    std::int64_t total = 0;
    for (const auto& f : m.files) {
        if (f.size < 0) __builtin_trap();
        total += f.size;
        // No empty, "." or ".." element, no leading or trailing '/', no NUL.
        std::string_view rest = f.path;
        while (true) {
            auto slash = rest.find('/');
            auto element = rest.substr(0, slash);
            if (element.empty() || element == "." || element == ".." ||
                element.find('\0') != std::string_view::npos)
                __builtin_trap();
            if (slash == std::string_view::npos) break;
            rest.remove_prefix(slash + 1);
        }
    }
    if (total != m.total_size) __builtin_trap();
}

void run(std::string_view in) {
    try {
        check(essaim::torrent::parse_torrent(in));
    } catch (const essaim::torrent::TorrentError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    run(in);
    // Also as the body of an `info` dictionary, so that mutations reach the file-list rules
    // without first having to invent the surrounding structure.
    run("d4:infod" + std::string(in) + "ee");
    return 0;
}
