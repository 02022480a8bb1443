// Speed charts and the dashboard, from what the sync loop already knows (no request to
// qBittorrent here):
//   GET /api/stats/speed?range=10m|1h|24h   global download/upload speed history
//   GET /api/torrents/{hash}/speed          a torrent's last 10 minutes
//   GET /api/dashboard                      the landing page in one call
#include "api/context.hpp"
#include "api/errors.hpp"
#include "api/torrent_views.hpp"
#include "auth/limits.hpp"
#include "auth/policy.hpp"
#include "qbt/usage.hpp"
#include "stats/speed_history.hpp"
#include "util/strings.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

namespace essaim::api {
namespace json = boost::json;

namespace {

json::array samples_json(const std::vector<stats::Sample>& v) {
    json::array out;
    out.reserve(v.size());
    for (const auto& s : v) out.push_back(json::array{s.t, s.dl, s.up});
    return out;
}

void require_charts(const store::User& u) {
    auth::require_permission(u, "see_charts");
}

http::Response speed(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    require_charts(a.user);
    auto r = req.query_param("range").value_or("10m");
    stats::Range range;
    if (r == "10m")
        range = stats::Range::ten_minutes;
    else if (r == "1h")
        range = stats::Range::hour;
    else if (r == "24h")
        range = stats::Range::day;
    else
        throw ApiError(422, "invalid_range", "Période inconnue (10m, 1h ou 24h).", "range");
    // One server's speeds (several servers): for administrators, who see the servers.
    std::vector<stats::Sample> samples;
    if (auto server = req.query_param("server")) {
        auth::require_admin(a.user);
        auto id = str::parse_uint(*server);
        if (!id) throw ApiError(422, "invalid_server", "Ce serveur n'existe pas.", "server");
        samples = ctx.speed->server(static_cast<std::int64_t>(*id), range);
    } else {
        samples = ctx.speed->global(range);
    }
    json::object out{{"range", r},
                     {"step", stats::SpeedHistory::step(range)},
                     {"samples", samples_json(samples)}};
    if (auto server = req.query_param("server")) out["server"] = *str::parse_uint(*server);
    return http::Response::json(200, out);
}

http::Response torrent_speed(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    require_charts(a.user);
    auto snap = ctx.registry->snapshot();
    auto hash = str::to_lower(req.params.at("hash"));
    const auto* e = snap->find(hash);
    if (!e || !auth::can_see(auth::Viewer::of(a.user), e->owner_id))
        throw ApiError(404, "torrent_not_found", "Torrent introuvable.");
    return http::Response::json(
        200,
        json::object{{"hash", e->hash}, {"samples", samples_json(ctx.speed->torrent(e->hash))}});
}

http::Response dashboard(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    auto snap = ctx.registry->snapshot();
    auto viewer = auth::Viewer::of(a.user);
    json::array active;
    for (const auto& e : snap->entries) {
        if (!e.owner_id || *e.owner_id != a.user.id || e.removed || !qbt::is_active(e)) continue;
        active.push_back(json::parse(torrent_json(e, viewer)));
        if (active.size() >= 20) break;
    }
    std::int64_t unread = 0;
    json::array completions;
    for (const auto& n : ctx.store.notifications(a.user.id, 50, unread)) {
        if (n.kind != "completed") continue;
        completions.push_back(notification_json(n));
        if (completions.size() >= 5) break;
    }
    auto usage = qbt::usage_of(*snap, a.user.id);
    json::object o{{"qbittorrent", qbt::link_name(snap->link)},
                   {"qbittorrent_error", snap->link_error},
                   {"speed", json::object{{"dl", snap->server.dl_info_speed},
                                          {"up", snap->server.up_info_speed}}},
                   {"free_space", snap->server.free_space_on_disk >= 0
                                      ? json::value(snap->server.free_space_on_disk)
                                      : json::value(nullptr)},
                   {"active", std::move(active)},
                   {"recent_completions", std::move(completions)},
                   {"unread", unread},
                   {"usage", json::object{{"torrents", usage.torrents},
                                          {"active", usage.active},
                                          {"disk_used", usage.disk_used}}},
                   {"limits", auth::limits_json(auth::parse_limits(a.user.limits_json))}};
    if (a.user.is_admin()) {
        o["qbittorrent_detail"] = snap->link_detail;
        // Totals per user, from the same snapshot.
        std::map<std::int64_t, auth::Usage> per;
        for (const auto& e : snap->entries) {
            if (e.removed || !e.owner_id) continue;
            auto& u = per[*e.owner_id];
            ++u.torrents;
            u.disk_used += e.size;
            if (qbt::is_active(e)) ++u.active;
        }
        json::array totals;
        for (const auto& u : ctx.store.user_names()) {
            auto it = per.find(u.id);
            auth::Usage us = it == per.end() ? auth::Usage{} : it->second;
            totals.push_back(json::object{{"id", u.id},
                                          {"username", u.username},
                                          {"display_name", u.display_name},
                                          {"torrents", us.torrents},
                                          {"active", us.active},
                                          {"disk_used", us.disk_used}});
        }
        o["totals"] = std::move(totals);
    }
    return http::Response::json(200, o);
}

}  // namespace

void register_stats_routes(http::Router& r, const Context& ctx) {
    r.add("GET", "/api/stats/speed", [&ctx](http::Request& q) { return speed(ctx, q); });
    r.add("GET", "/api/torrents/{hash}/speed",
          [&ctx](http::Request& q) { return torrent_speed(ctx, q); });
    r.add(
        "GET", "/api/dashboard", [&ctx](http::Request& q) { return dashboard(ctx, q); },
        http::Exec::worker);
}

}  // namespace essaim::api
