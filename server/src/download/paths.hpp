// Path rules for downloads. Two directions, both strict:
//  - signing: a link is only ever built from a path essaim derived from qBittorrent's file list
//    (save path + file name, made relative to the download root) — never from user input alone;
//  - serving (direct mode): the request path is decoded and normalised the way nginx computes
//    $uri, then mapped under the root, and the real path must stay inside the root.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace essaim::download {

// nginx's $uri from a raw request path: percent-decoded, "//" merged, "." and ".." resolved.
// nullopt (nginx: 400) for a bad escape, a NUL byte, or ".." above "/".
std::optional<std::string> normalize_uri(std::string_view raw_path);

// A relative path safe to sign or open: not empty, no leading '/', no empty, "." or ".."
// segment, no NUL, valid UTF-8 is NOT required (file names are bytes).
bool is_clean_relative(std::string_view rel);

// `save_path` + '/' + `file_name` (both as qBittorrent reports them) relative to `root`, or
// nullopt when the file is not under the root or the result is not clean. Trailing slashes on
// the root and save path do not matter; "/srv/dl" is not a prefix of "/srv/dl2/x".
std::optional<std::string> relative_to_root(std::string_view root, std::string_view save_path,
                                            std::string_view file_name);

// Something (file, folder, link) exists at `path` (lstat: a dangling link counts). "" → false.
bool exists_on_disk(const std::string& path);

// Opens the regular file `root/rel` for reading without following any symbolic link below the
// root (each component opened with O_NOFOLLOW relative to the previous one, so a link swapped
// in at any moment is refused, not followed; the root itself may be a link, it is the admin's
// setting). Returns the descriptor (O_CLOEXEC; the caller closes it), or -1 when `rel` is not
// clean, a component is missing or a link, or the target is not a regular file.
int open_beneath(const std::string& root, std::string_view rel);

// Direct serving: the regular file `root/rel` after resolving symlinks, or nullopt when it does
// not exist, is not a regular file, or resolves outside the (resolved) root.
std::optional<std::string> resolve_under_root(const std::string& root, std::string_view rel);
// Same for a directory (folder downloads as .zip).
std::optional<std::string> resolve_dir_under_root(const std::string& root, std::string_view rel);

}  // namespace essaim::download
