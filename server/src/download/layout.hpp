// Where torrents' files live on the qBittorrent machine: every user has one folder of their own
// under the download root, `<root>/<folder>/`, and every torrent they add is saved there. The
// folder is one path segment chosen once, at account creation (the user name in lower case,
// "-2", "-3"… when that name is taken), and never changes, so a user cannot reach another
// user's files by naming a torrent like their folder. Pure, lexical functions: no disk access.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace essaim::download {

// A folder name for a new account. `taken(name)` says whether a candidate is in use (another
// account's folder, something already on disk or in qBittorrent under the root).
std::string choose_folder(std::string_view username,
                          const std::function<bool(const std::string&)>& taken);

// True for a name that can be a user folder: one segment, not "." or "..", no '/', no NUL,
// at most 64 bytes, not starting with '~'.
bool is_folder_name(std::string_view name);

// `<root>/<folder>` (no trailing slash), or "" when the root is not absolute or the folder is
// not a folder name.
std::string user_dir(std::string_view root, std::string_view folder);

// `path` is `dir` itself or lies below it, compared segment-wise on the lexical paths ("/a/b"
// is not inside "/a/bc"); trailing slashes do not matter. Both must be absolute; a path with a
// "." or ".." segment is never inside anything.
bool path_inside(std::string_view dir, std::string_view path);

// Two content paths overlap when one is inside the other (or they are equal): deleting one
// with its data would delete files of the other.
bool paths_overlap(std::string_view a, std::string_view b);

// Where a torrent sits relative to its owner's folder.
enum class Placement {
    user_folder,  // inside <root>/<owner folder>/
    shared,       // inside the root but not in its owner's folder (added before issue 16)
    elsewhere,    // outside the root, or unknown (no root, no owner, no save path yet)
};
Placement placement_of(std::string_view root, std::string_view owner_folder,
                       std::string_view save_path);
const char* placement_name(Placement p);  // "user_folder" | "shared" | "elsewhere"

// `path` relative to `dir` ("" for dir itself), or nullopt when it is not inside.
std::optional<std::string> relative_inside(std::string_view dir, std::string_view path);

// "~<id>/…" → id and the rest, for direct serving; nullopt for any other path.
std::optional<std::pair<std::int64_t, std::string_view>> server_prefix(std::string_view rel);

}  // namespace essaim::download
