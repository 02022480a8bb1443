// GET /api/health (no auth; used by `essaim health`, load balancers and the dashboard) and
// GET /api/instance (what the login page needs to know before anyone is signed in).
#include "api/context.hpp"
#include "qbt/registry.hpp"
#include "qbt/servers.hpp"
#include "store/settings_view.hpp"

namespace essaim::api {

void register_health_routes(http::Router& r, const Context& ctx) {
    // Inline: the database state comes from the last periodic ping (Context::database_ok), the
    // link state from the registry's snapshot — a load balancer's probe never queues behind
    // the workers.
    r.add("GET", "/api/health", [&ctx](http::Request&) {
        auto snap = ctx.registry ? ctx.registry->snapshot() : nullptr;
        auto link = snap ? snap->link : qbt::LinkState::unconfigured;
        bool db = ctx.database_ok ? ctx.database_ok->load() : ctx.store.ping();
        boost::json::object body{{"status", db ? "ok" : "degraded"},
                                 {"version", ESSAIM_VERSION},
                                 {"database", db ? "ok" : "down"},
                                 {"qbittorrent", qbt::link_name(link)}};
        if (ctx.instance) body["instance"] = ctx.instance();
        // Each server's link, by id only: no name, no address on this unauthenticated route.
        if (snap) {
            boost::json::array servers;
            auto list = ctx.servers ? ctx.servers->list() : std::vector<store::Server>{};
            for (const auto& l : snap->servers) {
                std::string state = "active";
                for (const auto& s : list)
                    if (s.id == l.id) state = s.state;
                servers.push_back(boost::json::object{
                    {"id", l.id}, {"state", state}, {"link", qbt::link_name(l.link)}});
            }
            body["servers"] = std::move(servers);
        }
        return http::Response::json(db ? 200 : 503, std::move(body));
    });
    // Reads settings: on the worker pool.
    r.add(
        "GET", "/api/instance",
        [&ctx](http::Request&) {
            auto open = registration_open(ctx);
            boost::json::object body{
                {"site_name", store::text(ctx.store, settings::site_name)},
                {"registration_open", open},
                {"version", ESSAIM_VERSION},
                {"local_login", store::flag(ctx.store, settings::local_login)}};
            // The sign-in page's "Se connecter avec …" button, while a provider is configured.
            if (store::is_set(ctx.store, settings::oidc_issuer) &&
                store::is_set(ctx.store, settings::oidc_client_id)) {
                auto name = store::text(ctx.store, settings::oidc_display_name);
                body["sso"] = boost::json::object{
                    {"display_name",
                     name.empty() ? std::string("l'authentification unique") : name},
                    {"start", "/api/auth/oidc/start"}};
            }
            // Behind a signing-in reverse proxy: where the page sends the browser to sign in.
            if (ctx.sessions.proxy_auth()->enabled()) body["proxy_sign_in"] = "/api/auth/proxy";
            return http::Response::json(200, std::move(body));
        },
        http::Exec::worker);
}

}  // namespace essaim::api
