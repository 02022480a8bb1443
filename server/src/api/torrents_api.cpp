// /api/torrents…: list (from the registry snapshot), add, detail, pause/resume, delete,
// assign owner. Lists never reach qBittorrent; actions and the detail view do, as coroutines
// (waiting for qBittorrent or a slow .torrent URL holds no thread).
#include "api/context.hpp"
#include "api/errors.hpp"
#include "api/torrent_access.hpp"
#include "api/torrent_views.hpp"
#include "auth/policy.hpp"
#include "download/layout.hpp"
#include "download/settings.hpp"
#include "http/multipart.hpp"
#include "notify/notifier.hpp"
#include "qbt/adder.hpp"
#include "qbt/client.hpp"
#include "qbt/registry.hpp"
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
            auto props = co_await ctx.qbt->properties(e.hash);
            if (props.piece_size) o["piece_size"] = *props.piece_size;
            o["comment"] = props.comment;
            for (const auto& t : co_await ctx.qbt->trackers(e.hash))
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
using Targets = std::vector<const qbt::Entry*>;

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

// "a|b|c": qBittorrent acts on several torrents in one request (and ignores ids it does not
// know: a torrent added a moment ago, not seen by the sync loop yet, is still acted on).
std::string joined_hashes(const Targets& t) {
    std::string out;
    for (const auto* e : t)
        if (!e->removed) out += (out.empty() ? "" : "|") + e->hash;
    return out;
}

asio::awaitable<http::Response> pause_resume(const Context& ctx, http::Request& req, bool pause,
                                             bool bulk) {
    auto a = require_user(ctx, req);
    auto body = bulk ? parse_json_object(req) : json::object{};
    auto snap = ctx.registry->snapshot();
    auto targets = targets_of(*snap, a, req, bulk ? &body : nullptr);
    auth::require_pause(a.user);
    if (!bulk && !targets.front()->in_qbt)
        throw ApiError(409, "torrent_not_in_qbittorrent",
                       "Ce torrent n'est pas (ou plus) sur le serveur qBittorrent.");
    auto hashes = joined_hashes(targets);
    if (hashes.empty())
        throw ApiError(409, "torrent_not_in_qbittorrent",
                       "Ces torrents ne sont plus sur le serveur qBittorrent.");
    try {
        if (pause)
            co_await ctx.qbt->pause(hashes);
        else
            co_await ctx.qbt->resume(hashes);
    } catch (const qbt::QbtError& err) {
        rethrow_qbt(err);
    }
    for (const auto* e : targets)
        audit(ctx, a, req, pause ? "torrent.pause" : "torrent.resume", "torrent", e->hash);
    ctx.sync->poke();
    co_return http::Response::no_content();
}

// Deleting with the data removes, on the qBittorrent machine, the files the torrent's own list
// names under its save path. That is only safe inside its owner's folder, and only when no
// torrent of someone else has files at, under or above its content path (a look-alike torrent
// named like another's folder): refused otherwise. A torrent still in the shared folder of the
// versions before per-user folders may be deleted with its data by an administrator only, after
// a warning naming what would be deleted (`confirm=true`).
void check_delete_files(const Context& ctx, const qbt::Snapshot& snap, const qbt::Entry& e,
                        const store::User& actor, bool confirmed) {
    if (!e.in_qbt) return;
    auto root = download::load_settings(ctx.store).storage_root;
    auto content = e.content_path.empty() ? e.save_path : e.content_path;
    // Inside the owner's folder (the folder itself too: with qBittorrent's "no subfolder" layout
    // a multi-file torrent's content path is its save path; only its own files are deleted).
    auto mine = download::user_dir(root, e.owner_folder);
    bool inside = !mine.empty() && download::path_inside(mine, content);
    if (!inside && !actor.is_admin())
        throw ApiError(409, "outside_user_folder",
                       "Les fichiers de ce torrent ne sont pas dans le dossier de son "
                       "propriétaire : seul un administrateur peut les supprimer. Supprimez-le "
                       "sans ses fichiers, ou demandez à un administrateur.");
    if (content_shared_with_others(snap, e))
        throw ApiError(409, "content_shared",
                       "Les fichiers de ce torrent se trouvent au même endroit que ceux d'un "
                       "autre torrent : supprimez-le sans ses fichiers.");
    if (!inside && !confirmed) {
        auto rel = download::relative_inside(root, content);
        throw ApiError(409, "confirm_required",
                       "Ce torrent n'est pas dans le dossier de son propriétaire : supprimer ses "
                       "fichiers effacera « " +
                           (rel && !rel->empty() ? *rel : std::string("le dossier commun")) +
                           " » sur le serveur. Confirmez pour continuer.");
    }
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
    auth::require_delete(a.user, with_files);
    if (with_files)
        for (const auto* e : targets) check_delete_files(ctx, *snap, *e, a.user, confirm);
    if (auto hashes = joined_hashes(targets); !hashes.empty()) {
        try {
            co_await ctx.qbt->remove(hashes, with_files);
        } catch (const qbt::QbtError& err) {
            if (err.kind != qbt::FailKind::not_found) rethrow_qbt(err);
        }
    }
    for (const auto* t : targets) {
        const auto& e = *t;
        ctx.registry->mark_removed(e.hash, util::unix_now());
        bool own = e.owner_id && *e.owner_id == a.user.id;
        // Whose torrent it was, by name too: the owner may be deleted later.
        json::object details{
            {"delete_files", with_files}, {"owner_id", nullptr}, {"owner", nullptr}};
        if (e.owner_id) {
            details["owner_id"] = *e.owner_id;
            if (auto o = ctx.store.user_by_id(*e.owner_id)) details["owner"] = o->username;
        }
        audit(ctx, a, req, own ? "torrent.delete" : "torrent.delete_other", "torrent", e.hash,
              details);
        if (!own && e.owner_id && ctx.notifier)
            ctx.notifier->notify({0, *e.owner_id, "removed", e.hash, e.name,
                                  "« " + e.name + " » a été supprimé par " + a.user.display_name +
                                      (with_files ? " (avec ses fichiers)." : "."),
                                  0, std::nullopt});
    }
    ctx.sync->poke();
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
            co_await ctx.qbt->add_tags(e.hash, qbt::owner_tag(*uid));
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
