// .torrent (metainfo) parsing: name, files, sizes, piece length, v1/v2/hybrid, both infohashes
// computed from the RAW bytes of the `info` dictionary, and the id qBittorrent calls `hash`.
//
// qBittorrent (checked with 4.5.2): `hash` is the v1 SHA-1 for a v1-only torrent, and the v2
// SHA-256 truncated to 20 bytes (40 hex) for v2-only AND hybrid torrents.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace essaim::torrent {

enum class Version { v1, v2, hybrid };

struct FileEntry {
    std::string path;  // '/'-joined path inside the torrent, including the root folder for
                       // multi-file torrents ("Dossier/sub/b.bin"), like qBittorrent's files list
    std::int64_t size = 0;
};

struct MetaInfo {
    std::string name;
    std::vector<FileEntry> files;  // v1 file list, or v2 "file tree" (padding files excluded)
    std::int64_t total_size = 0;
    std::int64_t piece_length = 0;
    Version version = Version::v1;
    std::string info_hash_v1;           // 40 lower-case hex, empty for v2-only
    std::string info_hash_v2;           // 64 lower-case hex, empty for v1-only
    std::vector<std::string> trackers;  // announce + announce-list, de-duplicated, in order
    bool is_private = false;
    std::string comment;

    // The id qBittorrent reports as `hash` (see above).
    std::string qbt_id() const;
};

// Throws TorrentError: "invalid_torrent" (not bencode, no/invalid info dict, bad file list,
// negative sizes, path components "" "." ".." or containing '/' or NUL, …) with a French message.
MetaInfo parse_torrent(std::string_view bytes);

// qbt id from the two hashes (v2 truncated to 40 hex when present, else v1).
std::string qbt_id_from(const std::string& v1_hex, const std::string& v2_hex);

}  // namespace essaim::torrent
