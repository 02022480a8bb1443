// The one rule for every way to a torrent's files — links, "Télécharger tout" lists, Metalink,
// zip, the players, the admin's "Tester" — so that a user reaches only files of their own
// torrent, never a file a look-alike torrent merely names:
//   - files come from the torrent's own file list as qBittorrent reports it, joined to THAT
//     torrent's save path (never a path from the request, never a walk of the disk);
//   - the joined path must lie inside the torrent's allowed folder: its owner's folder, or the
//     download root for a torrent still in the shared folder of the versions before per-user
//     folders (download/layout.hpp, Placement::shared); nothing for a torrent elsewhere;
//   - the file must be complete (qBittorrent checked every piece of it) and not empty: a 0-byte
//     file is "complete" without any check, so it proves nothing about what is on disk.
// On this machine (direct mode) the file is then opened without following any symlink
// (paths.hpp, open_beneath). Pure functions.
#pragma once

#include "download/layout.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace essaim::download {

// The folder a torrent's files must stay in, or "" when none may be served.
std::string allowed_dir(std::string_view storage_root, std::string_view owner_folder,
                        Placement placement);

enum class FileRefusal { none, incomplete, empty, outside };

struct FileVerdict {
    FileRefusal refusal = FileRefusal::none;
    std::string rel;  // when none: the file's path relative to `root` (what links sign)
};

// `file_path` (as torrents/files names it), `size` and `progress` of a torrent saved in
// `save_path`, checked against `allowed` (allowed_dir) and made relative to the download root.
FileVerdict check_file(std::string_view root, std::string_view allowed, std::string_view save_path,
                       std::string_view file_path, std::int64_t size, double progress);

// Same rule for a folder of the torrent (a zip): `folder` (relative to the save path) inside
// `allowed`; its files are then checked one by one with check_file.
bool folder_allowed(std::string_view allowed, std::string_view save_path, std::string_view folder);

// French sentence for a refusal (API messages).
const char* refusal_message(FileRefusal r);

}  // namespace essaim::download
