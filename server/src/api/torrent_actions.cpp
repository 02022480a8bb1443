#include "api/torrent_actions.hpp"

#include "api/errors.hpp"
#include "api/torrent_access.hpp"
#include "auth/policy.hpp"
#include "download/layout.hpp"
#include "download/settings.hpp"
#include "notify/notifier.hpp"
#include "qbt/client.hpp"
#include "qbt/servers.hpp"
#include "qbt/sync_loop.hpp"
#include "util/clock.hpp"

#include <boost/json.hpp>

namespace essaim::api {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// "a|b|c": qBittorrent acts on several torrents in one request (and ignores ids it does not
// know: a torrent added a moment ago, not seen by the sync loop yet, is still acted on).

// Deleting with the data removes, on the qBittorrent machine, the files the torrent's own list
// names under its save path. That is only safe inside its owner's folder, and only when no
// torrent of someone else has files at, under or above its content path (a look-alike torrent
// named like another's folder): refused otherwise. A torrent still in the shared folder of the
// versions before per-user folders may be deleted with its data by an administrator only, after
// a warning naming what would be deleted (`confirm=true`).
void check_delete_files(const Context& ctx, const qbt::Snapshot& snap, const qbt::Entry& e,
                        const store::User& actor, bool confirmed) {
    if (!e.in_qbt) return;
    // The users' folders of the torrent's own server (the registry places entries against it).
    auto root = ctx.registry->storage_root(e.server);
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

// A torrent on a disabled server: 409 server_disabled before anything else is decided.
void require_usable_servers(const Context& ctx, const Targets& targets) {
    for (const auto* e : targets) {
        if (e->removed) continue;
        try {
            ctx.servers->client(e->server);
        } catch (const qbt::QbtError& err) {
            if (err.kind == qbt::FailKind::disabled) rethrow_qbt(err);
        }
    }
}

}  // namespace

asio::awaitable<void> pause_torrents(const Context& ctx, const auth::Authed& a,
                                     const http::Request& req, const Targets& targets, bool pause) {
    auth::require_pause(a.user);
    require_usable_servers(ctx, targets);
    auto by_server = qbt::hashes_by_server(targets);
    if (by_server.empty())
        throw ApiError(409, "torrent_not_in_qbittorrent",
                       "Ces torrents ne sont plus sur le serveur qBittorrent.");
    // One call per server holding some of them.
    for (const auto& [server, hashes] : by_server) {
        try {
            auto& client = ctx.servers->client(server);
            if (pause)
                co_await client.pause(hashes);
            else
                co_await client.resume(hashes);
        } catch (const qbt::QbtError& err) {
            rethrow_qbt(err);
        }
        ctx.servers->poke(server);
    }
    for (const auto* e : targets)
        audit(ctx, a, req, pause ? "torrent.pause" : "torrent.resume", "torrent", e->hash);
}

asio::awaitable<void> delete_torrents(const Context& ctx, const auth::Authed& a,
                                      const http::Request& req, const qbt::Snapshot& snap,
                                      const Targets& targets, bool with_files, bool confirm) {
    auth::require_delete(a.user, with_files);
    require_usable_servers(ctx, targets);
    if (with_files)
        for (const auto* e : targets) check_delete_files(ctx, snap, *e, a.user, confirm);
    for (const auto& [server, hashes] : qbt::hashes_by_server(targets)) {
        try {
            co_await ctx.servers->client(server).remove(hashes, with_files);
        } catch (const qbt::QbtError& err) {
            if (err.kind != qbt::FailKind::not_found) rethrow_qbt(err);
        }
        ctx.servers->poke(server);
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
}

}  // namespace essaim::api
