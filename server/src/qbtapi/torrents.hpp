// qBittorrent's view of one user's torrents, for the qBittorrent-compatible API (/api/v2):
// which torrents a tool sees, their JSON as qBittorrent writes it, torrents/info's filters and
// sorting, and the rules for the names of categories and tags. Made from the registry's
// snapshot only (never from qBittorrent). Pure: no I/O, any thread.
#pragma once

#include "qbt/registry.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace essaim::qbtapi {

// The torrents of `user_id` a tool sees: owned, listed by qBittorrent, not removed.
std::vector<const qbt::Entry*> owned(const qbt::Snapshot& s, std::int64_t user_id);
// The owned torrent of this hash (qBittorrent's id, v1 or v2, any case), or nullptr — also for
// someone else's torrent: a tool is never told that another user has it. A torrent essaim has
// just added counts before qBittorrent's next update lists it.
const qbt::Entry* owned_one(const qbt::Snapshot& s, std::int64_t user_id, std::string_view hash);
// `hashes` as qBittorrent reads it ("h1|h2", or "all"): the user's torrents among them, by
// qBittorrent's id; the hashes of other users' torrents and unknown ones are left out.
std::vector<std::string> owned_hashes(const qbt::Snapshot& s, std::int64_t user_id,
                                      std::string_view hashes);

// qBittorrent's object for a torrent (torrents/info; sync/maindata without "hash"). Its tags
// without essaim's ownership tag; save_path and content_path are the owner's own folder.
boost::json::object torrent_object(const qbt::Entry& e, bool with_hash);

// The same, serialised without "hash" (sync/maindata's shape), made once per entry and kept with
// it; `with_hash` puts "hash" first (torrents/info's shape).
std::string torrent_text(const qbt::Entry& e, bool with_hash);

// The tags a tool sees, in qBittorrent's order, without essaim's ownership tags.
std::vector<std::string> visible_tags(std::string_view qbt_tags);
// "a, b,c" / "a\nb" → trimmed, non-empty items.
std::vector<std::string> split_list(std::string_view s, char sep);
// A name a tool may give: a tag (no comma, not essaim's "essaim:" prefix) or a category
// (qBittorrent's rule: no "\", no leading or trailing "/", no "//"), 1 to 100 bytes.
bool valid_tag(std::string_view name);
bool valid_category(std::string_view name);

// A path a tool names (a category's savePath, torrents/add's savepath, setLocation's location):
// relative to the user's folder, or absolute inside it. The relative path, "" for the folder
// itself; nullopt when it leads elsewhere.
std::optional<std::string> inside_folder(const std::string& folder, std::string_view path);

// torrents/info's parameters.
struct InfoQuery {
    std::string filter = "all";
    std::optional<std::string> category, tag;  // "" = without category / tag
    std::string sort;
    bool reverse = false;
    std::int64_t limit = 0, offset = 0;  // limit <= 0: all; offset < 0: from the end
    std::optional<std::set<std::string>> hashes;
};
// Whether qBittorrent knows this filter name.
bool known_filter(std::string_view filter);
bool in_filter(const qbt::Entry& e, std::string_view filter);
// The answer of torrents/info for `user_id` (a JSON array).
std::string info(const qbt::Snapshot& s, std::int64_t user_id, const InfoQuery& q);

}  // namespace essaim::qbtapi
