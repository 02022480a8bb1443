// /api/admin/users…: the accounts, for administrators — list with usage, create, edit,
// disable/enable (sessions end at once), reset password, delete (torrents reassigned or deleted
// with their data). The last active administrator can be neither demoted, disabled nor deleted.
#include "api/context.hpp"
#include "api/errors.hpp"
#include "api/torrent_access.hpp"
#include "auth/limits.hpp"
#include "auth/password.hpp"
#include "auth/proxy_auth.hpp"
#include "auth/validation.hpp"
#include "qbt/client.hpp"
#include "qbt/ownership.hpp"
#include "qbt/registry.hpp"
#include "qbt/servers.hpp"
#include "qbt/sync_loop.hpp"
#include "qbt/usage.hpp"
#include "store/builtin.hpp"
#include "store/settings_view.hpp"
#include "util/clock.hpp"
#include "util/strings.hpp"

#include <boost/asio.hpp>
#include <boost/json.hpp>

namespace essaim::api {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::int64_t path_id(const http::Request& req) {
    auto id = str::parse_uint(req.params.at("id"));
    if (!id) throw ApiError(404, "user_not_found", "Utilisateur introuvable.");
    return *id;
}

store::User load_user(const Context& ctx, std::int64_t id) {
    auto u = ctx.store.user_by_id(id);
    if (!u) throw ApiError(404, "user_not_found", "Utilisateur introuvable.");
    return *u;
}

// The identities `u` signs in with (single sign-on), from `all` (every user's or `u`'s own):
// the provider's ("oidc") or the proxy's ("proxy") subject.
json::array identities_json(const store::User& u, const std::vector<store::Identity>& all) {
    json::array out;
    for (const auto& i : all) {
        if (i.user_id != u.id) continue;
        json::object o{{"kind", i.issuer == auth::kProxyIssuer ? "proxy" : "oidc"},
                       {"issuer", i.issuer},
                       {"subject", i.subject},
                       {"last_login_at", nullptr}};
        if (i.last_login_at) o["last_login_at"] = *i.last_login_at;
        out.push_back(std::move(o));
    }
    return out;
}

json::object admin_user_json(const store::User& u, const auth::Usage& usage,
                             const std::vector<store::Identity>& identities) {
    auto o = user_json(u);
    o["disabled"] = u.disabled;
    o["folder"] = u.folder;
    o["torrents"] = usage.torrents;
    o["disk_used"] = usage.disk_used;
    o["identities"] = identities_json(u, identities);
    return o;
}

store::Group checked_group(const Context& ctx, std::int64_t id) {
    auto g = ctx.store.group_by_id(id);
    if (!g) throw ApiError(422, "invalid_group", "Ce groupe n'existe pas.", "group_id");
    return *g;
}

std::string checked_role(const std::string& role) {
    if (role != "admin" && role != "user")
        throw ApiError(422, "invalid_role", "Rôle inconnu (admin ou user).", "role");
    return role;
}

// Would this change leave no active administrator?
void keep_an_admin(const Context& ctx, const store::User& target, bool loses_admin) {
    if (!loses_admin || !target.is_admin() || target.disabled) return;
    if (ctx.store.count_active_admins() <= 1)
        throw ApiError(409, "last_admin",
                       "C'est le dernier administrateur actif : nommez d'abord un autre "
                       "administrateur.");
}

http::Response list(const Context& ctx, http::Request& req) {
    require_admin(ctx, req);
    auto q = str::to_lower(req.query_param("q").value_or(""));
    auto group = str::parse_uint(req.query_param("group_id").value_or(""));
    auto role = req.query_param("role").value_or("");
    auto state = req.query_param("state").value_or("");
    auto snap = ctx.registry ? ctx.registry->snapshot() : nullptr;
    auto identities = ctx.store.identities(std::nullopt);  // one query for the whole list
    json::array out;
    for (const auto& u : ctx.store.list_users()) {
        if (!q.empty() && str::to_lower(u.username).find(q) == std::string::npos &&
            str::to_lower(u.display_name).find(q) == std::string::npos &&
            str::to_lower(u.email.value_or("")).find(q) == std::string::npos)
            continue;
        if (group && u.group_id != *group) continue;
        if (!role.empty() && u.role != role) continue;
        if (state == "active" && u.disabled) continue;
        if (state == "disabled" && !u.disabled) continue;
        out.push_back(
            admin_user_json(u, snap ? qbt::usage_of(*snap, u.id) : auth::Usage{}, identities));
    }
    return http::Response::json(200, json::object{{"users", std::move(out)}});
}

http::Response create(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    auto body = parse_json_object(req);
    auth::NewAccount na;
    na.username = req_string(body, "username");
    na.display_name = opt_string(body, "display_name");
    na.email = opt_string(body, "email");
    na.role = checked_role(opt_string(body, "role").value_or("user"));
    auto group = checked_group(ctx, opt_int(body, "group_id").value_or(store::kUsersGroupId));
    na.group_id = group.id;
    na.password = opt_string(body, "password").value_or("");
    bool generated = na.password.empty();
    if (generated) na.password = auth::generate_password();
    auto created = auth::create_account(ctx.store, na, folder_in_use(ctx));
    auto id = created.id;
    auto username = created.username;
    auto role = created.role;
    auto password = na.password;
    audit(ctx, a, req, "user.create", "user", std::to_string(id),
          {{"username", username}, {"role", role}, {"group", group.name}});
    if (ctx.registry) ctx.registry->refresh_users();
    return http::Response::json(
        201, json::object{{"user", admin_user_json(load_user(ctx, id), {}, {})},
                          {"password", generated ? json::value(password) : json::value(nullptr)}});
}

http::Response update(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    auto target = load_user(ctx, path_id(req));
    auto body = parse_json_object(req);
    store::UserUpdate up;
    json::array changed;
    if (auto d = opt_string(body, "display_name")) {
        up.display_name = auth::validate_display_name(*d);
        changed.emplace_back("display_name");
    }
    if (body.contains("email")) {
        auto e = opt_string(body, "email");
        up.email = e && !e->empty() ? auth::validate_email(*e) : std::nullopt;
        changed.emplace_back("email");
    }
    if (auto r = opt_string(body, "role")) {
        up.role = checked_role(*r);
        keep_an_admin(ctx, target, *up.role != "admin");
        changed.emplace_back("role");
    }
    if (auto g = opt_int(body, "group_id")) {
        up.group_id = checked_group(ctx, *g).id;
        changed.emplace_back("group_id");
    }
    auto disabled = opt_bool(body, "disabled");
    if (disabled) {
        if (*disabled) keep_an_admin(ctx, target, true);
        changed.emplace_back("disabled");
    }
    ctx.store.update_user(target.id, up);
    if (disabled) auth::set_disabled(ctx.store, target.id, *disabled);
    if (up.display_name && ctx.registry) ctx.registry->refresh_users();
    std::string action = "user.update";
    if (disabled) action = *disabled ? "user.disable" : "user.enable";
    if (up.role && *up.role != target.role) action = "user.role";
    audit(ctx, a, req, action, "user", std::to_string(target.id),
          {{"username", target.username}, {"changed", changed}});
    recheck_live_sockets(ctx);  // a new role, group or state: its sockets close now
    auto snap = ctx.registry ? ctx.registry->snapshot() : nullptr;
    return http::Response::json(
        200, admin_user_json(load_user(ctx, target.id),
                             snap ? qbt::usage_of(*snap, target.id) : auth::Usage{},
                             ctx.store.identities(target.id)));
}

http::Response reset(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    auto target = load_user(ctx, path_id(req));
    std::string password;
    if (!req.body.empty()) password = opt_string(parse_json_object(req), "password").value_or("");
    bool generated = password.empty();
    if (generated) password = auth::generate_password();
    auth::set_password(ctx.store, target.id, password);
    audit(ctx, a, req, "user.password_reset", "user", std::to_string(target.id),
          {{"username", target.username}});
    recheck_live_sockets(ctx);  // a reset ends the user's sessions
    return http::Response::json(
        200, json::object{{"password", generated ? json::value(password) : json::value(nullptr)}});
}

asio::awaitable<http::Response> remove(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    auto target = load_user(ctx, path_id(req));
    if (target.id == a.user.id)
        throw ApiError(409, "self", "Vous ne pouvez pas supprimer votre propre compte.");
    keep_an_admin(ctx, target, true);
    auto mode = req.query_param("torrents").value_or("");
    json::object details{{"username", target.username}, {"torrents", mode}};
    if (mode == "reassign") {
        auto to = str::parse_uint(req.query_param("to").value_or(""));
        if (!to || *to == target.id || !ctx.store.user_by_id(*to))
            throw ApiError(422, "invalid_parameter",
                           "Choisissez l'utilisateur qui reprend ses torrents.", "to");
        details["to"] = *to;
        details["moved"] = qbt::give_torrents(ctx.store, *ctx.registry, target.id, *to);
    } else if (mode == "delete") {
        std::vector<std::string> deleted;
        try {
            deleted = co_await qbt::delete_torrents(*ctx.registry, *ctx.servers, target.id);
        } catch (const qbt::QbtError& err) {
            rethrow_qbt(err);
        }
        details["deleted"] = json::array(deleted.begin(), deleted.end());
    } else {
        throw ApiError(422, "invalid_parameter",
                       "Précisez ce que deviennent ses torrents : torrents=reassign&to=ID ou "
                       "torrents=delete.",
                       "torrents");
    }
    ctx.store.delete_user(target.id);
    audit(ctx, a, req, "user.delete", "user", std::to_string(target.id), details);
    recheck_live_sockets(ctx);
    ctx.registry->rows_rewritten();  // the user's name leaves every list, on every instance
    ctx.servers->poke_all();
    co_return http::Response::no_content();
}

// Single sign-on: the account a provider's subject signs in as (the `sub` the provider shows its
// administrators; never matched by e-mail). Linked to the configured issuer.
http::Response link_identity(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    auto target = load_user(ctx, path_id(req));
    auto issuer = store::text(ctx.store, settings::oidc_issuer);
    if (issuer.empty())
        throw ApiError(409, "oidc_disabled",
                       "Configurez d'abord le fournisseur d'identité (Réglages → Authentification "
                       "unique).");
    auto subject = std::string(str::trim(req_string(parse_json_object(req), "subject")));
    if (subject.empty() || subject.size() > 255)
        throw ApiError(422, "invalid_subject",
                       "Indiquez l'identifiant (sub) de ce compte chez le fournisseur.", "subject");
    try {
        ctx.store.link_identity({target.id, issuer, subject, util::unix_now(), std::nullopt});
    } catch (const store::Conflict&) {
        throw ApiError(409, "identity_taken",
                       "Cet identifiant est déjà lié à un compte, ou ce compte a déjà une "
                       "identité chez ce fournisseur (déliez-la d'abord).");
    }
    audit(ctx, a, req, "user.identity_link", "user", std::to_string(target.id),
          {{"username", target.username}, {"subject", subject}});
    return http::Response::json(200, json::object{{"issuer", issuer}, {"subject", subject}});
}

http::Response unlink_identity(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    auto target = load_user(ctx, path_id(req));
    if (!ctx.store.unlink_identity(target.id, store::text(ctx.store, settings::oidc_issuer)))
        throw ApiError(404, "identity_not_found", "Ce compte n'est lié à aucune identité.");
    audit(ctx, a, req, "user.identity_unlink", "user", std::to_string(target.id),
          {{"username", target.username}});
    return http::Response::no_content();
}

}  // namespace

void register_admin_user_routes(http::Router& r, const Context& ctx) {
    using http::Exec;
    r.add(
        "GET", "/api/admin/users", [&ctx](http::Request& q) { return list(ctx, q); }, Exec::worker);
    r.add(
        "POST", "/api/admin/users", [&ctx](http::Request& q) { return create(ctx, q); },
        Exec::worker);
    r.add(
        "PATCH", "/api/admin/users/{id}", [&ctx](http::Request& q) { return update(ctx, q); },
        Exec::worker);
    // Deleting with the torrents waits for qBittorrent: a coroutine.
    r.add_async("DELETE", "/api/admin/users/{id}",
                [&ctx](http::Request& q) { return remove(ctx, q); });
    r.add(
        "POST", "/api/admin/users/{id}/password",
        [&ctx](http::Request& q) { return reset(ctx, q); }, Exec::worker);
    r.add(
        "PUT", "/api/admin/users/{id}/oidc",
        [&ctx](http::Request& q) { return link_identity(ctx, q); }, Exec::worker);
    r.add(
        "DELETE", "/api/admin/users/{id}/oidc",
        [&ctx](http::Request& q) { return unlink_identity(ctx, q); }, Exec::worker);
}

}  // namespace essaim::api
