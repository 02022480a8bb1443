#include "app/serve.hpp"

#include "api/context.hpp"
#include "api/live_hub.hpp"
#include "api/torrent_views.hpp"
#include "app/bootstrap.hpp"
#include "app/cluster.hpp"
#include "auth/oidc_client.hpp"
#include "config/database_url.hpp"
#include "download/direct.hpp"
#include "http/server.hpp"
#include "notify/dispatcher.hpp"
#include "notify/notifier.hpp"
#include "qbt/adder.hpp"
#include "qbt/client.hpp"
#include "qbt/limit_enforcer.hpp"
#include "qbt/managed.hpp"
#include "qbt/mover.hpp"
#include "qbt/registry.hpp"
#include "qbt/servers.hpp"
#include "qbtapi/routes.hpp"
#include "stats/speed_history.hpp"
#include "store/settings_view.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/json.hpp>

#include <filesystem>
#include <iostream>
#include <thread>

namespace essaim::app {
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

// Environment/file values are initial values: they fill a setting only while it is unset, so
// what the admin later changes in the app is not overwritten at the next start. A value its
// rule refuses is left out, with a warning.
void seed_setting(store::Store& s, const settings::Key& k, const std::string& value) {
    if (value.empty() || s.setting(std::string(k.name))) return;
    try {
        store::write(s, k, value);
    } catch (const settings::Invalid& e) {
        spdlog::warn("valeur initiale de {} ignorée : {}", k.name, e.what());
    }
}

std::string find_web_dir(const config::Config& cfg) {
    if (!cfg.web_dir.empty()) return cfg.web_dir;
    for (const char* c : {"web/dist", "../web/dist", "../../web/dist"})
        if (fs::exists(fs::path(c) / "index.html")) return c;
    return {};
}

}  // namespace

int serve(const config::Config& cfg) {
    ensure_data_dir(cfg.data_dir);
    auto key = load_or_create_secret(cfg);
    auto store = open_store(cfg);
    store->prune_sessions(util::unix_now());

    if (auto admin = ensure_first_admin(*store)) {
        // Printed once on a terminal, never written to the log. Under systemd stdout *is* the
        // journal (which keeps it, readable by adm): the password goes to a private file then.
        if (std::getenv("JOURNAL_STREAM")) {
            auto file = (fs::path(cfg.data_dir) / "admin-password").string();
            write_private_file(file, admin->password + "\n");
            std::cout << "Premier démarrage : administrateur « " << admin->username
                      << " » créé ; son mot de passe est dans " << file
                      << " (lisible par ce compte seulement). Supprimez ce fichier après la "
                         "première connexion."
                      << std::endl;
        } else {
            std::cout << "\n========================================================\n"
                      << "Premier démarrage : compte administrateur créé.\n"
                      << "Administrateur créé : " << admin->username << "\n"
                      << "Mot de passe : " << admin->password << "\n"
                      << "Notez-le : il ne sera plus jamais affiché.\n"
                      << "========================================================\n"
                      << std::endl;
        }
    }

    seed_setting(*store, settings::qbt_url, cfg.qbt_url);
    seed_setting(*store, settings::qbt_username, cfg.qbt_username);
    seed_setting(*store, settings::qbt_password, cfg.qbt_password);
    seed_setting(*store, settings::jackett_url, cfg.jackett_url);
    seed_setting(*store, settings::jackett_api_key, cfg.jackett_api_key);
    if (cfg.jackett_timeout > 0)
        seed_setting(*store, settings::jackett_timeout, std::to_string(cfg.jackett_timeout));
    seed_setting(*store, settings::download_base_url, cfg.download_base_url);
    seed_setting(*store, settings::download_root, cfg.download_root);
    seed_setting(*store, settings::download_secret, cfg.download_secret);
    if (cfg.download_direct) seed_setting(*store, settings::download_direct, "true");

    std::unique_ptr<qbt::ManagedQbittorrent> managed;
    bool managed_mode =
        !store::is_set(*store, settings::qbt_url) || store::flag(*store, settings::qbt_managed);
    if (managed_mode && cfg.qbt_managed.value_or(true)) {
        managed = std::make_unique<qbt::ManagedQbittorrent>(
            cfg.data_dir, cfg.qbt_managed_network, std::make_shared<store::SettingsCipher>(key));
        try {
            auto info = managed->start();
            store::write(*store, settings::qbt_managed, "true");
            store::write(*store, settings::qbt_url, info.url);
            store::write(*store, settings::qbt_username, info.username);
            store::write(*store, settings::qbt_password, info.password);
            store::write(*store, settings::qbt_save_path, info.save_path);
            // One-machine default: essaim serves the downloads itself, no nginx needed.
            if (!store::is_set(*store, settings::download_root)) {
                store::write(*store, settings::download_root, info.save_path);
                store::write(*store, settings::download_direct, "true");
            }
        } catch (const std::exception& e) {
            spdlog::error("qBittorrent local non démarré : {}", e.what());
            managed.reset();
        }
    }

    // Direct serving needs a secret even when nobody configured one.
    if (store::flag(*store, settings::download_direct) &&
        !store::is_set(*store, settings::download_secret))
        store::write(*store, settings::download_secret, crypto::random_token(24));

    auth::SessionService sessions(*store, key, cfg.secure_cookies());
    auth::SignInThrottle throttle;

    auto [host, port] = config::split_host_port(cfg.listen);
    int threads = cfg.threads > 0 ? cfg.threads : std::max(1u, std::thread::hardware_concurrency());
    asio::io_context ioc(threads);
    asio::thread_pool workers(static_cast<std::size_t>(cfg.workers));

    qbt::Counters counters;
    qbt::Registry registry(*store);
    registry.set_storage_root(download::load_settings(*store).storage_root);
    registry.set_renderer(api::render_entry);
    registry.load();
    // Every qBittorrent server: its client and its sync loop (started below, with the listener).
    qbt::Servers servers(ioc.get_executor(), *store, registry, counters);
    qbt::AddService adder(*store, registry, servers);
    qbt::StorageMover mover(registry, servers.home_client());
    stats::SpeedHistory speed;
    notify::Notifier notifier(ioc.get_executor(), *store, registry);
    notifier.attach();
    std::int64_t retry_base = 10;
    if (const char* r = std::getenv("ESSAIM_NOTIFY_RETRY_SECONDS")) retry_base = std::atoll(r);
    notify::Dispatcher dispatcher(*store, cfg.base_url, retry_base);
    notifier.set_on_queued([&dispatcher] { dispatcher.poke(); });
    qbt::LimitEnforcer limits(ioc.get_executor(), *store, registry, servers);
    limits.set_on_stopped([&notifier](store::Notification n) { notifier.notify(std::move(n)); });
    limits.attach();
    // Several instances on one PostgreSQL: only the elected one polls qBittorrent, detects
    // completions, enforces limits and sends e-mails; the others are fed by it (app/cluster.hpp).
    // SQLite: no cluster, everything runs here as before.
    std::unique_ptr<Cluster> cluster;
    if (config::is_postgres_url(cfg.database_url)) {
        cluster = std::make_unique<Cluster>(cfg.database_url, *store, registry, servers);
        auto leading = [c = cluster.get()] { return c->leader(); };
        notifier.set_active(leading);
        limits.set_active(leading);
        dispatcher.set_active(leading);
    }

    dispatcher.start();

    api::Context ctx{cfg, *store, sessions, throttle, &registry, &servers, &ioc, &notifier, &speed};
    ctx.adder = &adder;
    ctx.mover = &mover;
    auth::OidcClient oidc;
    ctx.oidc = &oidc;
    std::atomic<bool> database_ok{store->ping()};
    ctx.database_ok = &database_ok;
    if (cluster)
        ctx.instance = [c = cluster.get()] {
            return boost::json::object{{"role", c->leader() ? "leader" : "follower"},
                                       {"id", c->id()}};
        };
    http::Router router;
    api::register_health_routes(router, ctx);
    api::register_auth_routes(router, ctx);
    api::register_oidc_routes(router, ctx);
    api::register_me_routes(router, ctx);
    api::register_token_routes(router, ctx);
    api::register_admin_user_routes(router, ctx);
    api::register_admin_group_routes(router, ctx);
    api::register_admin_server_routes(router, ctx);
    api::register_admin_settings_routes(router, ctx);
    api::register_audit_routes(router, ctx);
    api::register_torrent_routes(router, ctx);
    api::register_file_routes(router, ctx);
    api::register_notification_routes(router, ctx);
    api::register_stats_routes(router, ctx);
    api::register_search_routes(router, ctx);
    api::register_metrics_routes(router, ctx);
    api::register_admin_storage_routes(router, ctx);
    // Tools (Sonarr, Radarr, scripts): qBittorrent's Web API for each user's own torrents.
    qbtapi::Services tools{ctx};
    qbtapi::register_routes(router, tools);

    auto web_dir = find_web_dir(cfg);
    http::StaticSite site(web_dir);
    if (!site.available())
        spdlog::warn("interface web introuvable (ESSAIM_WEB_DIR={}) : seule l'API est servie",
                     web_dir.empty() ? "non défini" : web_dir);

    http::ServerOptions opts;
    opts.host = host;
    opts.port = port;
    opts.max_body_bytes = cfg.max_body_bytes;
    opts.max_upload_bytes = cfg.max_upload_bytes;
    opts.max_connections = static_cast<std::size_t>(cfg.max_connections);
    opts.max_connections_per_address = static_cast<std::size_t>(cfg.max_connections_per_ip);
    http::Server server(
        ioc, workers, opts, router,
        [&ctx](const http::Route& r, http::Request& q) { return api::invoke(r, q, ctx); },
        [](const http::Match& m) { return api::unmatched(m); }, site);
    // Large bodies are read only for a signed-in user (or a small public JSON route).
    server.set_preflight([&ctx](const http::Route& r, const http::Request& q, std::string& who) {
        return api::preflight(r, q, ctx, who);
    });
    ctx.connections = &server.counters();
    auto hub = std::make_shared<api::LiveHub>(ctx);
    hub->attach();
    ctx.recheck_live = [hub] { hub->recheck_all(); };
    // Once a second: the latest snapshot's speeds into the history, and to the charts.
    asio::steady_timer sampler(ioc);
    std::function<void()> sample = [&] {
        sampler.expires_after(std::chrono::seconds(1));
        sampler.async_wait([&](boost::system::error_code ec) {
            if (ec) return;
            auto snap = registry.snapshot();
            auto now = util::unix_now();
            std::vector<std::pair<std::string, stats::Sample>> per;
            for (const auto& e : snap->entries)
                if (e.in_qbt && (e.dlspeed || e.upspeed || speed.tracks(e.hash)))
                    per.push_back({e.hash, {now, e.dlspeed, e.upspeed}});
            speed.add(now, snap->server.dl_info_speed, snap->server.up_info_speed, per);
            if (snap->servers.size() > 1)
                for (const auto& l : snap->servers)
                    if (l.link == qbt::LinkState::ok)
                        speed.add_server(l.id, now, l.state.dl_info_speed, l.state.up_info_speed);
            if (snap->link == qbt::LinkState::ok)
                hub->send_to_chart_viewers(boost::json::serialize(
                    boost::json::object{{"type", "speed"},
                                        {"t", now},
                                        {"dl", snap->server.dl_info_speed},
                                        {"up", snap->server.up_info_speed}}));
            sample();
        });
    };
    sample();
    // Every 2 s: a ping of the database on the worker pool, for /api/health (Context::
    // database_ok). One at a time: a ping stuck on a dead PostgreSQL does not pile up others.
    asio::steady_timer db_check(ioc);
    std::atomic<bool> pinging{false};
    std::function<void()> check_database = [&] {
        db_check.expires_after(std::chrono::seconds(2));
        db_check.async_wait([&](boost::system::error_code ec) {
            if (ec) return;
            if (!pinging.exchange(true))
                asio::post(workers, [&] {
                    database_ok.store(store->ping());
                    pinging.store(false);
                });
            check_database();
        });
    };
    check_database();
    notifier.set_sink([hub, &store, c = cluster.get()](const store::Notification& n) {
        std::int64_t unread = 0;
        store->notifications(n.user_id, 1, unread);
        auto message =
            boost::json::serialize(boost::json::object{{"type", "notification"},
                                                       {"notification", api::notification_json(n)},
                                                       {"unread", unread}});
        // The user's other tabs may be open on other instances.
        if (c) c->broadcast_to_user(n.user_id, message);
        hub->send_to_user(n.user_id, std::move(message));
    });
    if (cluster) {
        cluster->set_on_user_message([hub](std::int64_t user_id, std::string message) {
            hub->send_to_user(user_id, std::move(message));
        });
        cluster->start();
    }
    server.add_websocket("/api/ws", hub);
    // Signed downloads served by essaim itself (direct mode; refused with a page otherwise).
    auto serve_download = [&store, &servers](http::Request& q) {
        return download::serve_signed(
            download::load_settings(*store),
            [&servers](std::int64_t id) { return servers.direct_root(id); }, q, util::unix_now());
    };
    server.add_prefix_handler("/dl/", serve_download);
    try {
        server.start();
    } catch (const std::exception& e) {
        spdlog::critical("{}", e.what());
        return 1;
    }
    spdlog::info("essaim {} à l'écoute sur http://{}:{}", ESSAIM_VERSION,
                 host.find(':') != std::string::npos ? "[" + host + "]" : host,
                 server.bound_port());

    servers.start();

    // Graceful shutdown: stop accepting, let in-flight requests finish (10 s at most).
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    asio::steady_timer drain(ioc);
    auto deadline = std::make_shared<std::chrono::steady_clock::time_point>();
    std::function<void()> wait_drained = [&] {
        if (server.in_flight() == 0 || std::chrono::steady_clock::now() > *deadline) {
            ioc.stop();
            return;
        }
        drain.expires_after(std::chrono::milliseconds(50));
        drain.async_wait([&](auto) { wait_drained(); });
    };
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
        if (ec) return;
        spdlog::info("signal {} reçu : arrêt en cours", sig);
        server.stop_accepting();
        servers.stop();
        *deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        wait_drained();
    });

    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
    if (cluster) cluster->stop();
    workers.join();
    dispatcher.stop();
    if (managed) managed->stop();
    spdlog::info("essaim arrêté");
    return 0;
}

}  // namespace essaim::app
