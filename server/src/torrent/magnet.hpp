// Magnet URI parsing (BEP 9 / BEP 52): xt=urn:btih:<40 hex | 32 base32> (v1),
// xt=urn:btmh:1220<64 hex> (v2, multihash SHA-256), both for hybrids (two xt), dn, tr (several),
// xl. Hashes come out as lower-case hex. Percent-encoding of values is decoded; '+' is a space
// only in dn.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace essaim::torrent {

struct Magnet {
    std::string info_hash_v1;  // 40 hex or empty
    std::string info_hash_v2;  // 64 hex or empty
    std::string display_name;  // dn, may be empty
    std::vector<std::string> trackers;
    std::optional<std::int64_t> exact_length;  // xl

    // What qBittorrent reports as `hash` right after adding this magnet (before metadata):
    // the truncated v2 hash when the magnet has a btmh, else the btih.
    std::string qbt_id() const;
};

// Throws TorrentError("invalid_magnet", French message): not a magnet: URI, no usable xt, bad
// hash length/alphabet, two different btih, bad xl, more than 4 KiB of text.
Magnet parse_magnet(std::string_view uri);

}  // namespace essaim::torrent
