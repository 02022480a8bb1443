// The backup archive (`essaim backup` / `essaim restore`): a gzip-compressed tar (libarchive)
// whose first member is `essaim-backup.json`, the manifest: what the archive is (format, essaim
// version, schema version, engine, date, counts) and every other member with its size and
// SHA-256. Reading checks all of it before the caller writes anything into the data dir: a
// truncated or altered archive, a member the manifest does not name (or names twice), a name
// that would leave the target folder, anything but a regular file — each refused with a French
// std::runtime_error. Threads: none of its own; one call at a time per archive.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace essaim::backup {

inline constexpr const char* kManifestName = "essaim-backup.json";
inline constexpr int kFormat = 1;

struct Member {
    std::string name;  // inside the archive: "essaim.db", "qbittorrent/profile/…"
    std::string path;  // on disk, read when writing
};

// Writes `members` after a manifest made of `info` plus {"format", "files":[{name,size,sha256}]}
// into `archive_path` (mode 0600: the archive holds the secret key), through a temporary file
// renamed at the end: a failed backup leaves no half archive under the final name.
void write_archive(const std::string& archive_path, boost::json::object info,
                   const std::vector<Member>& members);

struct Extracted {
    boost::json::object manifest;
    std::vector<std::string> files;  // names, in the manifest's order
};

// Checks `archive_path` and extracts its members under `into_dir` (an existing, empty folder).
Extracted read_archive(const std::string& archive_path, const std::string& into_dir);

// A member name the reader accepts: relative, '/'-separated, no empty, "." or ".." part.
bool safe_member_name(const std::string& name);

}  // namespace essaim::backup
