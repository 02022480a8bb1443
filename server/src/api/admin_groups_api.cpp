// /api/admin/groups…: groups, their permissions (auth/policy.cpp reads them) and limits
// (auth/limits.hpp). Changing a group applies at once to its members' next request.
#include "api/context.hpp"
#include "api/errors.hpp"
#include "auth/limits.hpp"
#include "auth/policy.hpp"
#include "http/run_on.hpp"
#include "qbt/client.hpp"
#include "qbt/registry.hpp"
#include "qbt/servers.hpp"
#include "store/builtin.hpp"
#include "store/settings_view.hpp"
#include "util/strings.hpp"

#include <boost/asio.hpp>
#include <unordered_set>

#include <boost/json.hpp>

#include <algorithm>

namespace essaim::api {
namespace json = boost::json;

namespace {

json::object group_json(const Context& ctx, const store::Group& g) {
    json::array perms;
    for (const auto& p : g.permissions) perms.emplace_back(p);
    return json::object{{"id", g.id},
                        {"name", g.name},
                        {"permissions", std::move(perms)},
                        {"limits", auth::limits_json(auth::parse_limits(g.limits_json))},
                        {"servers", json::value_from(ctx.store.group_servers(g.id))},
                        {"members", ctx.store.count_group_members(g.id)}};
}

// The group's servers from the body ([] = every server), or nullopt when absent.
std::optional<std::vector<std::int64_t>> servers_of(const json::object& body) {
    auto* v = body.if_contains("servers");
    if (!v) return std::nullopt;
    std::vector<std::int64_t> ids;
    if (!v->is_array() || v->as_array().size() > 100)
        throw ApiError(422, "invalid_server", "Indiquez une liste de serveurs.", "servers");
    for (const auto& id : v->as_array()) {
        if (!id.is_int64() || id.as_int64() <= 0)
            throw ApiError(422, "invalid_server", "Ce serveur n'existe pas.", "servers");
        ids.push_back(id.as_int64());
    }
    return ids;
}

void save_servers(const Context& ctx, std::int64_t group, const std::vector<std::int64_t>& ids) {
    try {
        ctx.store.set_group_servers(group, ids);
    } catch (const store::Conflict&) {
        throw ApiError(422, "invalid_server", "Ce serveur n'existe pas.", "servers");
    }
}

std::int64_t path_id(const http::Request& req) {
    auto id = str::parse_uint(req.params.at("id"));
    if (!id) throw ApiError(404, "group_not_found", "Groupe introuvable.");
    return *id;
}

store::Group load_group(const Context& ctx, std::int64_t id) {
    auto g = ctx.store.group_by_id(id);
    if (!g) throw ApiError(404, "group_not_found", "Groupe introuvable.");
    return *g;
}

// Fills `g` from the body (absent fields keep their value); returns the changed field names.
json::array apply_body(const json::object& body, store::Group& g) {
    json::array changed;
    if (auto name = opt_string(body, "name")) {
        auto n = std::string(str::trim(*name));
        if (n.empty() || str::utf8_length(n) > 64)
            throw ApiError(422, "invalid_name", "Donnez un nom de 1 à 64 caractères.", "name");
        g.name = n;
        changed.emplace_back("name");
    }
    if (auto* p = body.if_contains("permissions")) {
        if (!p->is_array())
            throw ApiError(422, "invalid_permissions", "Indiquez une liste de permissions.",
                           "permissions");
        std::vector<std::string> perms;
        for (const auto& v : p->as_array()) {
            auto known = auth::all_permissions();
            if (!v.is_string() ||
                std::find(known.begin(), known.end(), v.as_string()) == known.end())
                throw ApiError(422, "invalid_permissions", "Cette permission n'existe pas.",
                               "permissions");
            std::string s(v.as_string());
            if (std::find(perms.begin(), perms.end(), s) == perms.end()) perms.push_back(s);
        }
        g.permissions = std::move(perms);
        changed.emplace_back("permissions");
    }
    if (auto* l = body.if_contains("limits")) {
        g.limits_json = json::serialize(auth::limits_json(auth::limits_from_request(*l)));
        changed.emplace_back("limits");
    }
    return changed;
}

// New speed and share limits reach the members' existing torrents at once (three calls for the
// whole group, whatever the number of torrents).
void apply_transfer_limits(const Context& ctx, const store::Group& g) {
    if (!ctx.registry || !ctx.servers) return;
    std::unordered_set<std::int64_t> members;
    for (const auto& u : ctx.store.list_users())
        if (u.group_id == g.id) members.insert(u.id);
    // Torrents just added count too, before the sync loop has seen them in qBittorrent: their
    // id is known from the add (qBittorrent ignores ids it does not have in bulk calls).
    auto snap = ctx.registry->snapshot();
    std::vector<const qbt::Entry*> theirs;
    for (const auto& e : snap->entries)
        if (e.owner_id && members.count(*e.owner_id)) theirs.push_back(&e);
    auto l = auth::parse_limits(g.limits_json);
    try {
        for (const auto& [server, hashes] : qbt::hashes_by_server(theirs))
            http::run_on(*ctx.ioc, ctx.servers->client(server).set_limits(
                                       hashes, l.download_limit, l.upload_limit, l.ratio_limit,
                                       l.seeding_time_limit));
    } catch (const qbt::QbtError& e) {
        throw ApiError(502, "limits_not_applied",
                       std::string("Groupe enregistré, mais les limites n'ont pas pu être "
                                   "appliquées aux torrents existants : ") +
                           e.what());
    }
}

http::Response list(const Context& ctx, http::Request& req) {
    require_admin(ctx, req);
    json::array groups, perms;
    for (const auto& g : ctx.store.list_groups()) groups.push_back(group_json(ctx, g));
    for (auto p : auth::all_permissions()) perms.emplace_back(p);
    return http::Response::json(
        200, json::object{{"groups", std::move(groups)}, {"permissions", std::move(perms)}});
}

http::Response create(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    auto body = parse_json_object(req);
    if (!body.contains("name"))
        throw ApiError(422, "invalid_name", "Donnez un nom au groupe.", "name");
    store::Group g;
    apply_body(body, g);
    auto servers = servers_of(body);
    try {
        g.id = ctx.store.create_group(g);
    } catch (const store::Conflict&) {
        throw ApiError(409, "group_name_taken", "Un groupe porte déjà ce nom.", "name");
    }
    if (servers) {
        try {
            save_servers(ctx, g.id, *servers);
        } catch (const ApiError&) {
            ctx.store.delete_group(g.id);  // nothing half made
            throw;
        }
    }
    audit(ctx, a, req, "group.create", "group", std::to_string(g.id),
          {{"name", g.name},
           {"permissions", json::value_from(g.permissions)},
           {"limits", json::parse(g.limits_json)}});
    return http::Response::json(201, group_json(ctx, load_group(ctx, g.id)));
}

http::Response update(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    auto g = load_group(ctx, path_id(req));
    auto old_name = g.name;
    auto body = parse_json_object(req);
    auto changed = apply_body(body, g);
    auto servers = servers_of(body);
    if (servers) {
        save_servers(ctx, g.id, *servers);
        changed.emplace_back("servers");
    }
    try {
        ctx.store.update_group(g);
    } catch (const store::Conflict&) {
        throw ApiError(409, "group_name_taken", "Un groupe porte déjà ce nom.", "name");
    }
    // The default group of new accounts is kept by name: follow a rename.
    if (old_name != g.name && store::text(ctx.store, settings::default_group) == old_name)
        store::write(ctx.store, settings::default_group, g.name);
    bool limits_changed =
        std::find(changed.begin(), changed.end(), json::value("limits")) != changed.end();
    recheck_live_sockets(ctx);  // its members' sockets are filtered with the old permissions
    audit(ctx, a, req, "group.update", "group", std::to_string(g.id),
          {{"name", g.name},
           {"changed", std::move(changed)},
           {"permissions", json::value_from(g.permissions)},
           {"limits", json::parse(g.limits_json)}});
    if (limits_changed) apply_transfer_limits(ctx, g);
    return http::Response::json(200, group_json(ctx, load_group(ctx, g.id)));
}

http::Response remove(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    auto g = load_group(ctx, path_id(req));
    auto def = store::text(ctx.store, settings::default_group);
    if (g.id == store::kAdminsGroupId || g.id == store::kUsersGroupId || def == g.name ||
        def == std::to_string(g.id))
        throw ApiError(409, "default_group",
                       "Ce groupe ne peut pas être supprimé (groupe prédéfini ou groupe par défaut "
                       "des nouveaux comptes).");
    if (ctx.store.count_group_members(g.id) > 0)
        throw ApiError(409, "group_not_empty",
                       "Ce groupe a encore des membres : déplacez-les d'abord dans un autre "
                       "groupe.");
    try {
        ctx.store.delete_group(g.id);
    } catch (const store::Conflict&) {
        throw ApiError(409, "group_not_empty", "Ce groupe a encore des membres.");
    }
    audit(ctx, a, req, "group.delete", "group", std::to_string(g.id), {{"name", g.name}});
    recheck_live_sockets(ctx);
    return http::Response::no_content();
}

}  // namespace

void register_admin_group_routes(http::Router& r, const Context& ctx) {
    using http::Exec;
    r.add(
        "GET", "/api/admin/groups", [&ctx](http::Request& q) { return list(ctx, q); },
        Exec::worker);
    r.add(
        "POST", "/api/admin/groups", [&ctx](http::Request& q) { return create(ctx, q); },
        Exec::worker);
    r.add(
        "PATCH", "/api/admin/groups/{id}", [&ctx](http::Request& q) { return update(ctx, q); },
        Exec::worker);
    r.add(
        "DELETE", "/api/admin/groups/{id}", [&ctx](http::Request& q) { return remove(ctx, q); },
        Exec::worker);
}

}  // namespace essaim::api
