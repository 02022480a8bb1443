// libFuzzer target: bencode arrives straight from users (.torrent uploads) and from trackers.
// Besides "no crash, no leak, no huge allocation", it checks the decoder's central promise:
// anything accepted is canonical, so re-encoding every value gives back exactly its raw bytes.
#include "torrent/bencode.hpp"
#include "torrent/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

void encode(const essaim::torrent::Value& v, std::string& out) {
    using T = essaim::torrent::Value::Type;
    switch (v.type) {
        case T::integer:
            out += 'i' + std::to_string(v.integer) + 'e';
            break;
        case T::string:
            out += std::to_string(v.string.size()) + ':';
            out += v.string;
            break;
        case T::list:
            out += 'l';
            for (const auto& item : v.list) encode(item, out);
            out += 'e';
            break;
        case T::dict:
            out += 'd';
            for (const auto& [k, item] : v.dict) {
                out += std::to_string(k.size()) + ':';
                out += k;
                encode(item, out);
            }
            out += 'e';
            break;
    }
}

void check(const essaim::torrent::Value& v) {
    std::string again;
    encode(v, again);
    if (again != v.raw) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    try {
        auto v = essaim::torrent::bdecode(in);
        if (v.raw != in) __builtin_trap();
        check(v);
    } catch (const essaim::torrent::TorrentError&) {
    }
    // Tight limits reach the depth and item-count checks with small inputs.
    essaim::torrent::BencodeLimits small;
    small.max_depth = 4;
    small.max_items = 16;
    small.max_input = 256;
    try {
        check(essaim::torrent::bdecode(in, small));
    } catch (const essaim::torrent::TorrentError&) {
    }
    return 0;
}
