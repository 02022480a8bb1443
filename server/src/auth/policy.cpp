#include "auth/policy.hpp"

#include "api/errors.hpp"

#include <algorithm>

namespace essaim::auth {

const std::vector<std::string_view>& all_permissions() {
    static const std::vector<std::string_view> all = {
        "add_torrents", "add_torrent_files", "add_magnets",     "search",
        "pause_own",    "delete_own",        "delete_own_data", "see_all",
        "act_all",      "download_own",      "download_any",    "see_charts"};
    return all;
}

bool has_permission(const store::User& u, std::string_view permission) {
    if (u.is_admin()) return true;
    return std::find(u.permissions.begin(), u.permissions.end(), permission) != u.permissions.end();
}

void require_permission(const store::User& u, std::string_view permission) {
    if (!has_permission(u, permission))
        throw api::ApiError(
            403, "forbidden",
            "Votre groupe ne vous autorise pas à faire cela. Demandez à un administrateur.");
}

Viewer Viewer::of(const store::User& u) {
    return {u.id, u.is_admin(), has_permission(u, "see_all"), has_permission(u, "act_all")};
}

bool can_see(const Viewer& v, const qbt::Entry& e) {
    if (!e.owner_id) return v.admin;
    return *e.owner_id == v.user_id || v.see_all || v.admin;
}

bool can_act(const Viewer& v, const qbt::Entry& e) {
    if (v.admin || v.act_all) return true;
    return e.owner_id && *e.owner_id == v.user_id;
}

bool can_download(const store::User& u, const qbt::Entry& e) {
    auto v = Viewer::of(u);
    if (!can_see(v, e)) return false;
    if (v.admin) return true;
    bool own = e.owner_id && *e.owner_id == u.id;
    return own ? has_permission(u, "download_own") : has_permission(u, "download_any");
}

}  // namespace essaim::auth
