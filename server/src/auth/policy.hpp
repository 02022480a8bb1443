// Who may do what: the ONE place where permissions are decided. Every handler asks here.
// Admins may do everything; other users get what their group grants (permission names as in
// the groups table: add_torrents, add_magnets, add_torrent_files, search, pause_own, delete_own,
// delete_own_data, see_all, act_all, download_own, download_any, see_charts).
#pragma once

#include "qbt/registry.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace essaim::auth {

// Every permission a group can grant, in the order the admin page shows them.
const std::vector<std::string_view>& all_permissions();

bool has_permission(const store::User& u, std::string_view permission);
// Throws api::ApiError 403 `forbidden` with a French message.
void require_permission(const store::User& u, std::string_view permission);

struct Viewer {
    std::int64_t user_id = 0;
    bool admin = false;
    bool see_all = false;
    bool act_all = false;
    static Viewer of(const store::User& u);
};

// May this viewer see the torrent? Own torrents always; everyone's with see_all; torrents
// without an owner only admins (they assign them).
bool can_see(const Viewer& v, const qbt::Entry& e);
// May this viewer pause/resume/delete it? Own torrents, or any with act_all (admins).
bool can_act(const Viewer& v, const qbt::Entry& e);

// May this user get download links for the torrent's files? Own torrents with download_own,
// any torrent they can see with download_any (admins always).
bool can_download(const store::User& u, const qbt::Entry& e);

}  // namespace essaim::auth
