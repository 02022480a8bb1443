// /api/admin/servers…: the qBittorrent servers behind essaim (issue 20, docs/api-admin.md).
// Server 1's address, credentials, download root and link base are the settings' qBittorrent
// and downloads sections (changing them here changes them there); the others are rows of their
// own. A server is removed only once it holds no torrent; server 1 never (drain it instead).
// Every change reloads the servers at once (qbt::Servers::reload): loops start or stop.

#include "api/context.hpp"
#include "api/errors.hpp"
#include "api/qbt_probe.hpp"
#include "auth/policy.hpp"
#include "http/run_on.hpp"
#include "qbt/servers.hpp"
#include "settings/table.hpp"
#include "store/settings_view.hpp"
#include "util/strings.hpp"

#include <boost/asio.hpp>
#include <boost/json.hpp>

namespace essaim::api {
namespace json = boost::json;

namespace {

json::object server_json(const Context& ctx, const store::Server& s) {
    auto snap = ctx.registry->snapshot();
    const auto* l = snap->server_link(s.id);
    json::value version = nullptr;
    try {
        if (s.state != "disabled")
            if (auto v = ctx.servers->client(s.id).known_version()) version = *v;
    } catch (const qbt::QbtError&) {
        // Added by another instance a moment ago: this one's list catches up within 5 s.
    }
    json::value error = nullptr, detail = nullptr;
    if (l && !l->error.empty()) error = l->error;
    if (l && !l->detail.empty()) detail = l->detail;  // administrators only: this route
    return json::object{
        {"id", s.id},
        {"name", s.name},
        {"url", s.url},
        {"username", s.username},
        {"password_set", !s.password.empty()},
        {"download_root", s.download_root},
        {"download_base_url", s.download_base_url},
        {"state", s.state},
        {"link", qbt::link_name(l ? l->link : qbt::LinkState::unconfigured)},
        {"error", std::move(error)},
        {"detail", std::move(detail)},
        {"torrents", l ? l->torrents : 0},
        {"free_space", l ? l->state.free_space_on_disk : -1},
        {"dlspeed", l && l->link == qbt::LinkState::ok ? l->state.dl_info_speed : 0},
        {"upspeed", l && l->link == qbt::LinkState::ok ? l->state.up_info_speed : 0},
        {"version", std::move(version)}};
}

std::int64_t path_id(const http::Request& req) {
    auto id = str::parse_uint(req.params.at("id"));
    if (!id) throw ApiError(404, "not_found", "Serveur introuvable.");
    return *id;
}

store::Server load(const Context& ctx, std::int64_t id) {
    for (auto& s : qbt::read_servers(ctx.store))
        if (s.id == id) return s;
    throw ApiError(404, "not_found", "Serveur introuvable.");
}

std::string checked(const settings::Key& key, const std::string& v, const char* field) {
    try {
        return settings::checked(key, v);
    } catch (const settings::Invalid& e) {
        throw ApiError(422, e.code, e.what(), field);
    }
}

// Fills `s` from the body (absent fields keep their value; an absent or empty password keeps
// the stored one); returns the changed field names (never the password's value).
json::array apply_body(const json::object& body, store::Server& s) {
    json::array changed;
    if (auto name = opt_string(body, "name")) {
        auto n = std::string(str::trim(*name));
        if (n.empty() || str::utf8_length(n) > 60)
            throw ApiError(422, "invalid_name", "Donnez un nom de 1 à 60 caractères.", "name");
        s.name = n;
        changed.emplace_back("name");
    }
    if (auto url = opt_string(body, "url")) {
        s.url = checked_url(std::string(str::trim(*url)), "url");
        if (s.url.empty())
            throw ApiError(422, "invalid_url", "Indiquez l'adresse de qBittorrent.", "url");
        changed.emplace_back("url");
    }
    if (auto u = opt_string(body, "username")) {
        s.username = std::string(str::trim(*u));
        changed.emplace_back("username");
    }
    s.password.clear();  // written only when given
    if (auto p = opt_string(body, "password"); p && !p->empty()) {
        s.password = *p;
        changed.emplace_back("password");
    }
    if (auto r = opt_string(body, "download_root")) {
        s.download_root = checked(settings::download_root, *r, "download_root");
        changed.emplace_back("download_root");
    }
    if (auto b = opt_string(body, "download_base_url")) {
        s.download_base_url = checked(settings::download_base_url, *b, "download_base_url");
        changed.emplace_back("download_base_url");
    }
    if (auto st = opt_string(body, "state")) {
        if (*st != "active" && *st != "draining" && *st != "disabled")
            throw ApiError(422, "invalid_state",
                           "L'état d'un serveur est « active », « draining » ou « disabled ».",
                           "state");
        s.state = *st;
        changed.emplace_back("state");
    }
    return changed;
}

bool has(const json::array& changed, const char* field) {
    return std::find(changed.begin(), changed.end(), json::value(field)) != changed.end();
}

void save(const Context& ctx, const store::Server& s, const json::array& changed, bool create,
          std::int64_t& id) {
    try {
        if (create) {
            id = ctx.store.create_server(s);
        } else {
            ctx.store.update_server(s);
            id = s.id;
        }
    } catch (const store::Conflict&) {
        throw ApiError(409, "name_taken", "Un serveur porte déjà ce nom.", "name");
    }
    if (id != 1) return;
    // Server 1 is described by the settings: its connection and download fields go there.
    if (has(changed, "url")) store::write(ctx.store, settings::qbt_url, s.url);
    if (has(changed, "username")) store::write(ctx.store, settings::qbt_username, s.username);
    if (has(changed, "password")) store::write(ctx.store, settings::qbt_password, s.password);
    if (has(changed, "download_root"))
        store::write(ctx.store, settings::download_root, s.download_root);
    if (has(changed, "download_base_url"))
        store::write(ctx.store, settings::download_base_url, s.download_base_url);
}

http::Response list(const Context& ctx, http::Request& req) {
    require_admin(ctx, req);
    json::array out;
    for (const auto& s : qbt::read_servers(ctx.store)) out.push_back(server_json(ctx, s));
    return http::Response::json(200, json::object{{"servers", std::move(out)}});
}

http::Response create(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    auto body = parse_json_object(req);
    if (!body.contains("name"))
        throw ApiError(422, "invalid_name", "Donnez un nom au serveur.", "name");
    if (!body.contains("url"))
        throw ApiError(422, "invalid_url", "Indiquez l'adresse de qBittorrent.", "url");
    store::Server s;
    auto changed = apply_body(body, s);
    std::int64_t id = 0;
    save(ctx, s, changed, true, id);
    audit(ctx, a, req, "server.create", "server", std::to_string(id),
          {{"name", s.name}, {"state", s.state}});
    ctx.servers->reload();
    return http::Response::json(201, json::object{{"server", server_json(ctx, load(ctx, id))}});
}

http::Response update(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    auto s = load(ctx, path_id(req));
    auto changed = apply_body(parse_json_object(req), s);
    std::int64_t id = s.id;
    save(ctx, s, changed, false, id);
    audit(ctx, a, req, "server.update", "server", std::to_string(id),
          {{"name", s.name}, {"state", s.state}, {"changed", changed}});
    ctx.servers->reload();
    ctx.servers->poke(id);
    return http::Response::json(200, json::object{{"server", server_json(ctx, load(ctx, id))}});
}

http::Response remove(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    auto s = load(ctx, path_id(req));
    if (s.id == 1)
        throw ApiError(409, "server_default",
                       "Le serveur 1 ne peut pas être supprimé : mettez-le en vidange pour qu'il "
                       "ne reçoive plus de torrents.");
    // Empty for essaim (no live row) and for qBittorrent (nothing listed there either).
    const auto* l = ctx.registry->snapshot()->server_link(s.id);
    if (ctx.store.count_server_torrents(s.id) > 0 || (l && l->torrents > 0))
        throw ApiError(409, "server_not_empty",
                       "Ce serveur contient encore des torrents : supprimez-les d'abord (déplacer "
                       "des torrents d'un serveur à l'autre n'est pas proposé).");
    ctx.store.delete_server(s.id);
    audit(ctx, a, req, "server.delete", "server", std::to_string(s.id), {{"name", s.name}});
    ctx.servers->reload();
    return http::Response::no_content();
}

boost::asio::awaitable<http::Response> test(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    json::object body;
    if (!req.body.empty()) body = parse_json_object(req);
    qbt::Connection conn;
    if (auto id = opt_int(body, "id")) conn = qbt::connection_of(load(ctx, *id));
    if (auto u = opt_string(body, "url")) conn.url = checked_url(*u, "url");
    if (auto u = opt_string(body, "username")) conn.username = *u;
    if (auto p = opt_string(body, "password"); p && !p->empty()) conn.password = *p;
    if (conn.url.empty())
        co_return http::Response::json(
            200, json::object{{"ok", false},
                              {"code", "not_configured"},
                              {"message", "Indiquez l'adresse de qBittorrent."}});
    while (!conn.url.empty() && conn.url.back() == '/') conn.url.pop_back();
    auto res = co_await probe_qbittorrent(conn);
    audit(ctx, a, req, "settings.test", "settings", "qbittorrent", {{"ok", res["ok"]}});
    co_return http::Response::json(200, res);
}

}  // namespace

void register_admin_server_routes(http::Router& r, const Context& ctx) {
    using http::Exec;
    r.add(
        "GET", "/api/admin/servers", [&ctx](http::Request& q) { return list(ctx, q); },
        Exec::worker);
    r.add(
        "POST", "/api/admin/servers", [&ctx](http::Request& q) { return create(ctx, q); },
        Exec::worker);
    r.add_async("POST", "/api/admin/servers/test",
                [&ctx](http::Request& q) { return test(ctx, q); });
    r.add(
        "PATCH", "/api/admin/servers/{id}", [&ctx](http::Request& q) { return update(ctx, q); },
        Exec::worker);
    r.add(
        "DELETE", "/api/admin/servers/{id}", [&ctx](http::Request& q) { return remove(ctx, q); },
        Exec::worker);
}

}  // namespace essaim::api
