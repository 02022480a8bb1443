// GET /metrics (Prometheus text format): counters that prove the sync loop's claim — the
// number of requests sent to qBittorrent does not grow with the number of browsers.
// Admin session, or `Authorization: Bearer <ESSAIM_METRICS_TOKEN>` for scrapers.
#include "api/context.hpp"
#include "api/errors.hpp"
#include "qbt/client.hpp"
#include "qbt/registry.hpp"
#include "util/crypto.hpp"

#include <cstdlib>

namespace essaim::api {

std::atomic<std::int64_t> g_ws_clients{0};

void register_metrics_routes(http::Router& r, const Context& ctx) {
    r.add("GET", "/metrics", [&ctx](http::Request& req) {
        const char* token = std::getenv("ESSAIM_METRICS_TOKEN");
        auto authz = req.header("authorization");
        bool by_token = token && *token && authz.starts_with("Bearer ") &&
                        crypto::constant_time_equal(authz.substr(7), token);
        if (!by_token) {
            auto a = require_user(ctx, req);
            if (!a.user.is_admin())
                throw ApiError(403, "forbidden", "Réservé aux administrateurs.");
        }
        auto& c = ctx.qbt->counters();
        auto snap = ctx.registry->snapshot();
        std::string body;
        auto metric = [&](const char* name, const char* help, auto value) {
            body += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name +
                    (std::string(name).ends_with("_total") ? " counter\n" : " gauge\n") + name +
                    " " + std::to_string(value) + "\n";
        };
        metric("essaim_qbittorrent_requests_total", "HTTP requests sent to qBittorrent",
               c.requests.load());
        metric("essaim_qbittorrent_maindata_requests_total", "sync/maindata requests",
               c.maindata.load());
        metric("essaim_qbittorrent_logins_total", "logins to qBittorrent", c.logins.load());
        metric("essaim_qbittorrent_failures_total", "failed requests to qBittorrent",
               c.failures.load());
        metric("essaim_qbittorrent_up", "1 when qBittorrent answers",
               snap->link == qbt::LinkState::ok ? 1 : 0);
        metric("essaim_torrents", "torrents in the cache", snap->entries.size());
        metric("essaim_websocket_clients", "connected WebSocket clients", g_ws_clients.load());
        http::Response res;
        res.body = std::move(body);
        res.headers.emplace_back("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        return res;
    });
}

}  // namespace essaim::api
