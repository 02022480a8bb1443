// /api/torrents…: list (from the registry snapshot), add, detail, pause/resume, delete,
// assign owner. Lists never reach qBittorrent; actions and the detail view do, as coroutines
// (waiting for qBittorrent or a slow .torrent URL holds no thread).
#include "api/context.hpp"
#include "api/errors.hpp"
#include "api/torrent_access.hpp"
#include "api/torrent_actions.hpp"
#include "api/torrent_views.hpp"
#include "auth/policy.hpp"
#include "download/layout.hpp"
#include "download/settings.hpp"
#include "http/multipart.hpp"
#include "notify/notifier.hpp"
#include "qbt/adder.hpp"
#include "qbt/client.hpp"
#include "qbt/registry.hpp"
#include "qbt/servers.hpp"
#include "qbt/sync_loop.hpp"
#include "util/clock.hpp"
#include "util/strings.hpp"

#include <boost/asio.hpp>
#include <boost/json.hpp>

#include <algorithm>

namespace essaim::api {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::object entry_object(const qbt::Entry& e, const auth::Viewer& v) {
    return json::parse(torrent_json(e, v)).as_object();
}

http::Response list(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    auto scope_param = req.query_param("scope").value_or("mine");
    Scope scope;
    if (scope_param == "mine")
        scope = Scope::mine;
    else if (scope_param == "all")
        scope = Scope::all;
    else
        throw ApiError(400, "invalid_scope", "Le paramètre scope doit valoir « mine » ou « all ».");
    auto v = auth::Viewer::of(a.user);
    if (scope == Scope::all && !v.see_all && !v.admin)
        throw ApiError(403, "forbidden",
                       "Votre groupe ne vous permet pas de voir les torrents des autres.");
    auto snap = ctx.registry->snapshot();
    http::Response r;
    if (str::to_lower(req.header("accept-encoding")).find("gzip") != std::string::npos) {
        r.shared_body = list_body_gzip(*snap, v, scope);
        r.headers.emplace_back("Content-Encoding", "gzip");
    } else {
        r.shared_body = list_body(*snap, v, scope);
    }
    r.headers.emplace_back("Vary", "Accept-Encoding");
    r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    return r;
}

asio::awaitable<http::Response> add(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    auth::require_permission(a.user, "add_torrents");
    std::vector<qbt::AddInput> inputs;
    auto ct = str::to_lower(req.header("content-type"));
    if (ct.rfind("multipart/form-data", 0) == 0) {
        auto boundary = http::multipart_boundary(req.header("content-type"));
        std::vector<http::Part> parts;
        try {
            parts = http::parse_multipart(req.body, boundary);
        } catch (const std::exception&) {
            throw ApiError(400, "invalid_multipart", "Le formulaire envoyé est mal formé.");
        }
        for (const auto& p : parts) {
            if (p.name == "torrents")
                inputs.push_back({qbt::AddInput::Kind::file,
                                  p.filename.empty() ? "fichier.torrent" : p.filename,
                                  std::string(p.data)});
            else if (p.name == "magnets" || p.name == "urls")
                for (auto line : str::split(p.data, '\n'))
                    if (auto t = str::trim(line); !t.empty())
                        inputs.push_back({p.name == "magnets" ? qbt::AddInput::Kind::magnet
                                                              : qbt::AddInput::Kind::url,
                                          std::string(t), std::string(t)});
        }
    } else {
        auto body = parse_json_object(req);
        for (const char* key : {"magnets", "urls"}) {
            auto* v = body.if_contains(key);
            if (!v || v->is_null()) continue;
            if (!v->is_array())
                throw ApiError(400, "invalid_json",
                               std::string("Le champ « ") + key + " » doit être une liste.", key);
            for (const auto& item : v->as_array()) {
                if (!item.is_string())
                    throw ApiError(
                        400, "invalid_json",
                        std::string("Le champ « ") + key + " » doit contenir des textes.", key);
                auto t = std::string(str::trim(std::string_view(item.as_string())));
                if (t.empty()) continue;
                inputs.push_back({std::string(key) == "magnets" ? qbt::AddInput::Kind::magnet
                                                                : qbt::AddInput::Kind::url,
                                  t, t});
            }
        }
    }
    if (inputs.empty())
        throw ApiError(
            400, "no_torrents",
            "Aucun torrent à ajouter : donnez un lien magnet, un fichier ou une adresse.");
    if (inputs.size() > 100)
        throw ApiError(400, "too_many_torrents", "Au plus 100 torrents par envoi.");
    json::array results;
    for (auto& in : inputs) {
        auto r = co_await ctx.adder->add(a.user, std::move(in));
        json::object o{{"input", r.input.substr(0, 300)}, {"ok", r.ok}};
        if (r.ok) {
            o["hash"] = r.hash;
            o["name"] = r.name;
            if (r.queued) o["queued"] = json::object{{"message", r.message}};
        } else {
            o["error"] = json::object{{"code", r.code}, {"message", r.message}};
        }
        results.push_back(std::move(o));
    }
    co_return http::Response::json(200, json::object{{"results", std::move(results)}});
}

// Where the torrent's files are, as its viewer may know it: the path inside the owner's folder
// ("" = the folder itself), never the absolute path on the qBittorrent machine (administrators
// get `save_path` in the torrent object).
json::value location_of(const Context& ctx, const qbt::Entry& e) {
    if (e.placement != download::Placement::user_folder) return nullptr;
    auto root = download::load_settings(ctx.store).storage_root;
    auto rel = download::relative_inside(download::user_dir(root, e.owner_folder), e.save_path);
    return rel ? json::value(*rel) : json::value(nullptr);
}

asio::awaitable<http::Response> detail(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    auto snap = ctx.registry->snapshot();
    const auto e = visible_entry(*snap, a, req);
    auto o = entry_object(e, auth::Viewer::of(a.user));
    o["location"] = location_of(ctx, e);
    json::array trackers;
    o["piece_size"] = nullptr;
    o["comment"] = "";
    if (e.in_qbt) {
        try {
            auto& client = ctx.servers->client(e.server);
            auto props = co_await client.properties(e.hash);
            if (props.piece_size) o["piece_size"] = *props.piece_size;
            o["comment"] = props.comment;
            for (const auto& t : co_await client.trackers(e.hash))
                trackers.push_back(json::object{{"url", t.url},
                                                {"status", qbt::status_name(t.status)},
                                                {"message", t.message}});
        } catch (const qbt::QbtError& err) {
            if (err.kind != qbt::FailKind::not_found) rethrow_qbt(err);
        }
    }
    o["trackers"] = std::move(trackers);
    co_return http::Response::json(200, o);
}

// The torrents an action names: {hash} in the path, or "hashes" (a list of 1 to 500) in the body
// of the bulk routes (POST /api/torrents/pause|resume|delete). Every one must be visible and
// actionable: one refusal refuses the whole request before anything is done.

Targets targets_of(const qbt::Snapshot& snap, const auth::Authed& a, http::Request& req,
                   const json::object* body) {
    if (!body) return {&actionable_entry(snap, a, req)};
    const auto* list = body->if_contains("hashes");
    if (!list || !list->is_array() || list->as_array().empty() || list->as_array().size() > 500)
        throw ApiError(422, "invalid_hashes", "Choisissez de 1 à 500 torrents.", "hashes");
    Targets out;
    for (const auto& h : list->as_array()) {
        if (!h.is_string())
            throw ApiError(422, "invalid_hashes", "Choisissez de 1 à 500 torrents.", "hashes");
        const auto* e = &actionable_entry(snap, a, std::string_view(h.as_string()));
        if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
    }
    return out;
}

asio::awaitable<http::Response> pause_resume(const Context& ctx, http::Request& req, bool pause,
                                             bool bulk) {
    auto a = require_user(ctx, req);
    auto body = bulk ? parse_json_object(req) : json::object{};
    auto snap = ctx.registry->snapshot();
    auto targets = targets_of(*snap, a, req, bulk ? &body : nullptr);
    // Not listed while its server answers: gone. While it does not (stale), whether it is there
    // cannot be known: asked like a listed one, the call to that server answers 503.
    if (!bulk && !targets.front()->in_qbt && !targets.front()->stale)
        throw ApiError(409, "torrent_not_in_qbittorrent",
                       "Ce torrent n'est pas (ou plus) sur le serveur qBittorrent.");
    co_await pause_torrents(ctx, a, req, targets, pause);
    co_return http::Response::no_content();
}

asio::awaitable<http::Response> remove(const Context& ctx, http::Request& req, bool bulk) {
    auto a = require_user(ctx, req);
    auto body = bulk ? parse_json_object(req) : json::object{};
    bool with_files = false, confirm = false;
    if (bulk) {
        with_files = opt_bool(body, "delete_files").value_or(false);
        confirm = opt_bool(body, "confirm").value_or(false);
    } else {
        auto param = req.query_param("delete_files").value_or("false");
        if (param != "true" && param != "false")
            throw ApiError(400, "invalid_parameter",
                           "delete_files doit valoir « true » ou « false ».", "delete_files");
        with_files = param == "true";
        confirm = req.query_param("confirm") == "true";
    }
    auto snap = ctx.registry->snapshot();
    auto targets = targets_of(*snap, a, req, bulk ? &body : nullptr);
    co_await delete_torrents(ctx, a, req, *snap, targets, with_files, confirm);
    co_return http::Response::no_content();
}

asio::awaitable<http::Response> assign(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    auth::require_admin(a.user, "Seul un administrateur peut attribuer un torrent.");
    auto body = parse_json_object(req);
    auto uid = opt_int(body, "user_id");
    if (!uid)
        throw ApiError(422, "missing_field", "Le champ « user_id » est obligatoire.", "user_id");
    auto target = ctx.store.user_by_id(*uid);
    if (!target) throw ApiError(422, "unknown_user", "Cet utilisateur n'existe pas.", "user_id");
    auto snap = ctx.registry->snapshot();
    const auto e = visible_entry(*snap, a, req);
    try {
        ctx.registry->set_owner(e.hash, *uid);
    } catch (const store::NotFound&) {
        throw ApiError(404, "torrent_not_found", "Torrent introuvable.");
    }
    if (e.in_qbt) {
        try {
            co_await ctx.servers->client(e.server).add_tags(e.hash, qbt::owner_tag(*uid));
        } catch (const qbt::QbtError&) {
            // The database row is what counts; the tag only helps a later reconciliation.
        }
    }
    audit(ctx, a, req, "torrent.assign", "torrent", e.hash, {{"user_id", *uid}});
    auto fresh = ctx.registry->snapshot();
    const auto* ne = fresh->find(e.hash);
    if (!ne) throw ApiError(404, "torrent_not_found", "Torrent introuvable.");
    co_return http::Response::json(200, entry_object(*ne, auth::Viewer::of(a.user)));
}

}  // namespace

void register_torrent_routes(http::Router& r, const Context& ctx) {
    r.add("GET", "/api/torrents", [&ctx](http::Request& q) { return list(ctx, q); });
    r.add_async("POST", "/api/torrents", [&ctx](http::Request& q) { return add(ctx, q); });
    r.add_async("GET", "/api/torrents/{hash}", [&ctx](http::Request& q) { return detail(ctx, q); });
    // Each path written out: the route reviews (test_route_security, test_security_review) read
    // the table from these literals.
    r.add_async("POST", "/api/torrents/{hash}/pause",
                [&ctx](http::Request& q) { return pause_resume(ctx, q, true, false); });
    r.add_async("POST", "/api/torrents/{hash}/resume",
                [&ctx](http::Request& q) { return pause_resume(ctx, q, false, false); });
    r.add_async("POST", "/api/torrents/pause",
                [&ctx](http::Request& q) { return pause_resume(ctx, q, true, true); });
    r.add_async("POST", "/api/torrents/resume",
                [&ctx](http::Request& q) { return pause_resume(ctx, q, false, true); });
    r.add_async("DELETE", "/api/torrents/{hash}",
                [&ctx](http::Request& q) { return remove(ctx, q, false); });
    r.add_async("POST", "/api/torrents/delete",
                [&ctx](http::Request& q) { return remove(ctx, q, true); });
    r.add_async("POST", "/api/torrents/{hash}/owner",
                [&ctx](http::Request& q) { return assign(ctx, q); });
}

}  // namespace essaim::api
