// Who may do what: the ONE place where permissions are decided. Every handler asks here.
// Admins may do everything; other users get what their group grants (permission names as in
// the groups table: add_torrents, add_magnets, add_torrent_files, search, pause_own, delete_own,
// delete_own_data, see_all, act_all, download_own, download_any, see_charts, use_api).
#pragma once

#include "store/store.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace essaim::auth {

// Passwords sign in while local_login is on; off, only the break-glass administrator's (an
// administrator whose name is `break_glass`, any case) does — everyone else through the
// identity provider. Tokens are not passwords: they keep working either way.
bool password_sign_in_allowed(bool local_login, std::string_view break_glass, const store::User& u);

// API tokens. A token works while its owner is enabled and keeps use_api (creating one needs
// it too: require_permission), and a read-only token never changes anything.
bool may_use_token(const store::User& u);
// Throws auth::Denied (forbidden, read_only_token) for a change through a read-only token.
void require_token_scope(const std::optional<store::ApiToken>& token, bool mutating);

// Every permission a group can grant, in the order the admin page shows them.
const std::vector<std::string_view>& all_permissions();

bool has_permission(const store::User& u, std::string_view permission);
// Throws auth::Denied (forbidden) `forbidden` with a French message.
void require_permission(const store::User& u, std::string_view permission);

struct Viewer {
    std::int64_t user_id = 0;
    bool admin = false;
    bool see_all = false;
    bool act_all = false;
    static Viewer of(const store::User& u);
};

// The torrent is given by its owner (nullopt: "sans propriétaire").
using Owner = std::optional<std::int64_t>;

// May this viewer see the torrent? Own torrents always; everyone's with see_all; torrents
// without an owner only admins (they assign them).
bool can_see(const Viewer& v, Owner owner);
// May this viewer pause/resume/delete it? Own torrents, or any with act_all (admins).
bool can_act(const Viewer& v, Owner owner);

// May this user get download links for the torrent's files? Own torrents with download_own,
// any torrent they can see with download_any (admins always).
bool can_download(const store::User& u, Owner owner);

// On a torrent the user may act on (can_act): pausing and resuming need pause_own (or act_all);
// deleting needs delete_own, and delete_own_data with the files (or act_all). Throw Denied
// (forbidden) with a French message otherwise.
void require_pause(const store::User& u);
void require_delete(const store::User& u, bool with_files);

// Administration (the admin pages, /metrics without its token, giving a torrent to someone):
// admins only. Throws Denied (forbidden) with `french` otherwise.
void require_admin(const store::User& u, std::string_view french = "Réservé aux administrateurs.");

}  // namespace essaim::auth
