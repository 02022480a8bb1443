// GET /metrics (Prometheus text format): counters that prove the sync loop's claim — the
// number of requests sent to qBittorrent does not grow with the number of browsers; and the
// listener's abuse counters (connections refused by a cap, large bodies waiting or refused).
// Admin session, or `Authorization: Bearer <ESSAIM_METRICS_TOKEN>` for scrapers.
#include "api/context.hpp"
#include "api/errors.hpp"
#include "http/server.hpp"
#include "qbt/client.hpp"
#include "qbt/registry.hpp"
#include "qbt/servers.hpp"
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
            require_admin(ctx, req);
        }
        auto& c = ctx.servers->counters();
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
        // Each server's link and torrents (several servers, issue 20).
        body +=
            "# HELP essaim_qbittorrent_server_up 1 when that qBittorrent server answers\n"
            "# TYPE essaim_qbittorrent_server_up gauge\n";
        for (const auto& l : snap->servers)
            body += "essaim_qbittorrent_server_up{server=\"" + std::to_string(l.id) + "\"} " +
                    (l.link == qbt::LinkState::ok ? "1" : "0") + "\n";
        body +=
            "# HELP essaim_qbittorrent_server_torrents torrents that qBittorrent server lists\n"
            "# TYPE essaim_qbittorrent_server_torrents gauge\n";
        for (const auto& l : snap->servers)
            body += "essaim_qbittorrent_server_torrents{server=\"" + std::to_string(l.id) + "\"} " +
                    std::to_string(l.torrents) + "\n";
        metric("essaim_torrents", "torrents in the cache", snap->entries.size());
        metric("essaim_websocket_clients", "connected WebSocket clients", g_ws_clients.load());
        if (const auto* n = ctx.connections) {
            metric("essaim_connections_open", "open client connections (HTTP and WebSocket)",
                   n->connections_open.load());
            body +=
                "# HELP essaim_connections_refused_total connections closed at accept by a cap\n"
                "# TYPE essaim_connections_refused_total counter\n"
                "essaim_connections_refused_total{reason=\"global\"} " +
                std::to_string(n->refused_global_total.load()) +
                "\nessaim_connections_refused_total{reason=\"per_address\"} " +
                std::to_string(n->refused_per_address_total.load()) + "\n";
            metric("essaim_accept_errors_total", "failed accepts (e.g. out of descriptors)",
                   n->accept_errors_total.load());
            metric("essaim_bodies_reading", "large request bodies being read (slots taken)",
                   n->bodies_reading.load());
            metric("essaim_bodies_waiting", "large request bodies waiting for a slot",
                   n->bodies_waiting.load());
            metric("essaim_bodies_busy_total", "large request bodies refused with 503 server_busy",
                   n->bodies_busy_total.load());
        }
        http::Response res;
        res.body = std::move(body);
        res.headers.emplace_back("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        return res;
    });
}

}  // namespace essaim::api
