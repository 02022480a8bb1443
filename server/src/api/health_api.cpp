// GET /api/health (no auth; used by `essaim health`, load balancers and the dashboard) and
// GET /api/instance (what the login page needs to know before anyone is signed in).
#include "api/context.hpp"

namespace essaim::api {

void register_health_routes(http::Router& r, const Context& ctx) {
    r.add("GET", "/api/health", [&ctx](http::Request&) {
        static constexpr const char* names[] = {"unconfigured", "ok", "down"};
        int q = ctx.qbt_state.load();
        bool db = ctx.store.ping();
        boost::json::object body{{"status", db ? "ok" : "degraded"},
                                 {"version", ESSAIM_VERSION},
                                 {"database", db ? "ok" : "down"},
                                 {"qbittorrent", names[q >= 0 && q <= 2 ? q : 2]}};
        if (ctx.instance) body["instance"] = ctx.instance();
        return http::Response::json(db ? 200 : 503, std::move(body));
    });
    r.add("GET", "/api/instance", [&ctx](http::Request&) {
        auto open = ctx.store.setting("registration_open").value_or("true") == "true";
        return http::Response::json(
            200,
            boost::json::object{{"site_name", ctx.store.setting("site_name").value_or("essaim")},
                                {"registration_open", open},
                                {"version", ESSAIM_VERSION}});
    });
}

}  // namespace essaim::api
