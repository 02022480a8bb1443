#include "auth/policy.hpp"

#include "auth/denied.hpp"

#include <algorithm>
#include <cctype>

namespace essaim::auth {

const std::vector<std::string_view>& all_permissions() {
    static const std::vector<std::string_view> all = {
        "add_torrents", "add_torrent_files", "add_magnets", "search",  "pause_own",
        "delete_own",   "delete_own_data",   "see_all",     "act_all", "download_own",
        "download_any", "see_charts",        "use_api"};
    return all;
}

bool has_permission(const store::User& u, std::string_view permission) {
    if (u.is_admin()) return true;
    return std::find(u.permissions.begin(), u.permissions.end(), permission) != u.permissions.end();
}

void require_permission(const store::User& u, std::string_view permission) {
    if (!has_permission(u, permission))
        throw Denied(
            Denied::Kind::forbidden, "forbidden",
            "Votre groupe ne vous autorise pas à faire cela. Demandez à un administrateur.");
}

Viewer Viewer::of(const store::User& u) {
    return {u.id, u.is_admin(), has_permission(u, "see_all"), has_permission(u, "act_all")};
}

bool can_see(const Viewer& v, Owner owner) {
    if (!owner) return v.admin;
    return *owner == v.user_id || v.see_all || v.admin;
}

bool can_act(const Viewer& v, Owner owner) {
    if (v.admin || v.act_all) return true;
    return owner && *owner == v.user_id;
}

bool can_download(const store::User& u, Owner owner) {
    auto v = Viewer::of(u);
    if (!can_see(v, owner)) return false;
    if (v.admin) return true;
    bool own = owner && *owner == u.id;
    return own ? has_permission(u, "download_own") : has_permission(u, "download_any");
}

void require_pause(const store::User& u) {
    if (!has_permission(u, "pause_own") && !has_permission(u, "act_all"))
        throw Denied(
            Denied::Kind::forbidden, "forbidden",
            "Votre groupe ne vous autorise pas à mettre en pause ou reprendre des torrents.");
}

void require_admin(const store::User& u, std::string_view french) {
    if (!u.is_admin()) throw Denied(Denied::Kind::forbidden, "forbidden", std::string(french));
}

bool password_sign_in_allowed(bool local_login, std::string_view break_glass,
                              const store::User& u) {
    if (local_login) return true;
    if (break_glass.empty() || u.role != "admin" || u.username.size() != break_glass.size())
        return false;
    for (std::size_t i = 0; i < break_glass.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(u.username[i])) !=
            std::tolower(static_cast<unsigned char>(break_glass[i])))
            return false;
    return true;
}

bool may_use_token(const store::User& u) {
    return !u.disabled && has_permission(u, "use_api");
}

void require_token_scope(const std::optional<store::ApiToken>& token, bool mutating) {
    if (token && token->read_only && mutating)
        throw Denied(Denied::Kind::forbidden, "read_only_token",
                     "Ce jeton d'application est en lecture seule : il ne peut rien modifier.");
}

void require_delete(const store::User& u, bool with_files) {
    if (has_permission(u, "act_all")) return;
    require_permission(u, "delete_own");
    if (with_files) require_permission(u, "delete_own_data");
}

}  // namespace essaim::auth
