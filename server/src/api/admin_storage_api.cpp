// /api/admin/storage: where torrents' files live, and moving the ones still in the shared
// folder (added before per-user folders) into their owner's folder.
//   GET  /api/admin/storage        the root, the layout, the torrents still in the shared
//                                  folder, the last (or running) move with its progress
//   POST /api/admin/storage/move   {"hashes": [...]} (absent or empty: all of them) → 202
// Administrators only. The move runs in the background (qbt/mover.hpp); the page polls GET.
#include "api/context.hpp"
#include "api/errors.hpp"
#include "download/layout.hpp"
#include "download/settings.hpp"
#include "qbt/mover.hpp"
#include "qbt/registry.hpp"
#include "qbt/servers.hpp"
#include "qbt/sync_loop.hpp"

#include <boost/asio.hpp>
#include <boost/json.hpp>

namespace essaim::api {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::value owner_json(const Context& ctx, const std::optional<std::int64_t>& id) {
    if (!id) return nullptr;
    for (const auto& u : ctx.store.user_names())
        if (u.id == *id)
            return json::object{
                {"id", u.id}, {"username", u.username}, {"display_name", u.display_name}};
    return nullptr;
}

json::object item_json(const Context& ctx, const qbt::MoveItem& i) {
    return json::object{
        {"hash", i.hash},
        {"name", i.name},
        {"owner", owner_json(ctx, i.owner_id)},
        {"from", i.from},
        {"to", i.to},
        {"status", i.status},
        {"message", i.message.empty() ? json::value(nullptr) : json::value(i.message)}};
}

json::object state_json(const Context& ctx) {
    auto s = download::load_settings(ctx.store);
    auto snap = ctx.registry->snapshot();
    std::int64_t in_user_folders = 0, shared = 0, elsewhere = 0;
    for (const auto& e : snap->entries) {
        if (!e.in_qbt || e.removed) continue;
        switch (e.placement) {
            case download::Placement::user_folder:
                ++in_user_folders;
                break;
            case download::Placement::shared:
                ++shared;
                break;
            default:
                ++elsewhere;
        }
    }
    json::array waiting;
    for (const auto& i : qbt::StorageMover::plan(*snap, s.storage_root, {}))
        waiting.push_back(item_json(ctx, i));
    auto rep = ctx.mover->report();
    json::value move = nullptr;
    if (rep.started_at) {
        json::array items;
        for (const auto& i : rep.items) items.push_back(item_json(ctx, i));
        move = json::object{
            {"running", rep.running},
            {"started_at", rep.started_at},
            {"finished_at", rep.finished_at ? json::value(rep.finished_at) : json::value(nullptr)},
            {"total", rep.items.size()},
            {"done", rep.count("done")},
            {"failed", rep.count("failed")},
            {"items", std::move(items)}};
    }
    return json::object{
        {"root", s.storage_root.empty() ? json::value(nullptr) : json::value(s.storage_root)},
        {"root_from", s.root.empty() ? "qbittorrent" : "download_root"},
        {"layout", (s.storage_root.empty() ? std::string("…") : s.storage_root) +
                       "/<dossier de l'utilisateur>/<torrent>"},
        {"counts",
         json::object{
             {"user_folder", in_user_folders}, {"shared", shared}, {"elsewhere", elsewhere}}},
        {"shared", std::move(waiting)},
        {"move", std::move(move)}};
}

http::Response get_state(const Context& ctx, http::Request& req) {
    require_admin(ctx, req);
    return http::Response::json(200, state_json(ctx));
}

http::Response start_move(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    std::vector<std::string> hashes;
    if (!req.body.empty()) {
        auto body = parse_json_object(req);
        if (auto* h = body.if_contains("hashes"); h && !h->is_null()) {
            if (!h->is_array())
                throw ApiError(400, "invalid_json", "« hashes » doit être une liste.", "hashes");
            for (const auto& v : h->as_array()) {
                if (!v.is_string())
                    throw ApiError(400, "invalid_json", "« hashes » doit contenir des textes.",
                                   "hashes");
                hashes.emplace_back(v.as_string());
            }
        }
    }
    auto s = download::load_settings(ctx.store);
    auto items = qbt::StorageMover::plan(*ctx.registry->snapshot(), s.storage_root, hashes);
    if (items.empty())
        throw ApiError(409, "nothing_to_move",
                       "Aucun torrent à déplacer : tous sont déjà dans le dossier de leur "
                       "propriétaire.");
    auto count = items.size();
    auto* servers = ctx.servers;
    auto refresh = [servers]() -> asio::awaitable<void> {
        servers->poke(1);
        asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::seconds(1));
        co_await t.async_wait(asio::use_awaitable);
    };
    if (!ctx.mover->start(ctx.ioc->get_executor(), std::move(items), refresh))
        throw ApiError(409, "move_running",
                       "Un déplacement est déjà en cours : attendez qu'il se termine.");
    json::array list;
    for (const auto& h : hashes) list.emplace_back(h);
    audit(ctx, a, req, "storage.move", "storage", "", {{"torrents", count}, {"hashes", list}});
    return http::Response::json(202, state_json(ctx));
}

}  // namespace

void register_admin_storage_routes(http::Router& r, const Context& ctx) {
    r.add(
        "GET", "/api/admin/storage", [&ctx](http::Request& q) { return get_state(ctx, q); },
        http::Exec::worker);
    r.add(
        "POST", "/api/admin/storage/move", [&ctx](http::Request& q) { return start_move(ctx, q); },
        http::Exec::worker);
}

}  // namespace essaim::api
