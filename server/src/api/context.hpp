// What every API handler may use, and the handler boundary (invoke) that turns exceptions
// into JSON errors. Handlers are thin: parse, check permission, call a service, shape JSON.
#pragma once

#include "auth/accounts.hpp"
#include "auth/sessions.hpp"
#include "auth/throttle.hpp"
#include "config/config.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

#include <boost/json/object.hpp>

#include <atomic>
#include <functional>
#include <string>

namespace boost::asio {
class io_context;
}
namespace essaim::qbt {
class AddService;
class Client;
class StorageMover;
class Registry;
class Servers;
}  // namespace essaim::qbt

namespace essaim::notify {
class Notifier;
}
namespace essaim::auth {
class OidcClient;
}
namespace essaim::stats {
class SpeedHistory;
}
namespace essaim::http {
struct ServerCounters;
}

namespace essaim::api {

struct Context {
    const config::Config& cfg;
    store::Store& store;
    auth::SessionService& sessions;
    auth::SignInThrottle& throttle;  // password checks: sign-in, current password
    // Torrent side (set by `serve`; null in unit tests of the account routes).
    qbt::Registry* registry = nullptr;
    qbt::Servers* servers = nullptr;         // each qBittorrent's client and sync loop
    boost::asio::io_context* ioc = nullptr;  // where qBittorrent calls run
    notify::Notifier* notifier = nullptr;    // null in unit tests
    stats::SpeedHistory* speed = nullptr;
    qbt::AddService* adder = nullptr;  // every way to add a torrent goes through it
    qbt::StorageMover* mover = nullptr;
    auth::OidcClient* oidc = nullptr;  // single sign-on's provider cache (set by `serve`)
    // Several instances on one PostgreSQL: {"role": "leader"|"follower", "id": …} for
    // /api/health. Unset with SQLite (one process, nothing to show).
    std::function<boost::json::object()> instance;
    // Live sockets re-check their session and permissions now (api/live_hub.hpp; set by
    // `serve`): after a change to a user, a group or a session. Unset: nothing to tell.
    std::function<void()> recheck_live;
    // The listener's connection and body counters, for /metrics (set by `serve`).
    const http::ServerCounters* connections = nullptr;
    // The database's answer to the last ping (`serve` pings every 2 s on the worker pool), so
    // /api/health answers on the I/O thread without a query — and within milliseconds while
    // the workers are busy (a flood of sign-ins hashing passwords). Null: ask the store.
    const std::atomic<bool>* database_ok = nullptr;
};

// Runs a matched route: origin check for mutating requests, the handler, and the error
// boundary (ApiError → its JSON; anything else → 500 internal_error, logged).
// A coroutine (api/invoke.cpp): sync handlers run inside it on whichever executor awaits it
// (the I/O thread or the worker pool), async handlers are awaited.
boost::asio::awaitable<http::Response> invoke(const http::Route& route, http::Request& req,
                                              const Context& ctx);
// The pieces of invoke's boundary: a mutating request from another site → ApiError 403
// origin_refused; any exception → its JSON answer (ApiError as is; disk full 507; else 500
// internal_error with the request id, logged).
void check_origin(const Context& ctx, const http::Request& req);
http::Response failure_response(const http::Request& req, const std::exception& e);
// The JSON answer for a request no route matched (404 / 405 / 400).
http::Response unmatched(const http::Match& m);
// The server's preflight (http::Preflight), asked from the header alone before a body that may
// be large is read: the origin check of `invoke`, then the session (require_user, CSRF for
// mutating requests). Routes that need no session (login, registration, logout, health) only
// take small JSON bodies: multipart or above cfg.max_body_bytes gets 413. Returns the refusal
// (ApiError → its JSON), or nullopt with `sender` set to "user:<id>" when a user was found.
// Runs on an I/O thread: one session lookup, as the inline routes do.
std::optional<http::Response> preflight(const http::Route& route, const http::Request& req,
                                        const Context& ctx, std::string& sender);

// The qBittorrent-compatible API (qbtapi/) lives under this prefix; its login needs no session.
inline constexpr std::string_view kToolApiPrefix = "/api/v2/";
inline constexpr std::string_view kToolLogin = "/api/v2/auth/login";
// qBittorrent's refusal of a request without a session: 403, "Forbidden" as text.
http::Response tool_forbidden();

// The signed-in user, or 401. For mutating requests also checks CSRF (403).
auth::Authed require_user(const Context& ctx, const http::Request& req);

// require_user + the admin role, else 403.
auth::Authed require_admin(const Context& ctx, const http::Request& req);
// Writes an audit row for this request's user.
void audit(const Context& ctx, const auth::Authed& a, const http::Request& req,
           const std::string& action, const std::string& target_type, const std::string& target_id,
           const boost::json::object& details = {});

// For auth::create_account: a folder name is in use when something is at <root>/<name> on this
// machine's disk or among qBittorrent's torrents.
auth::FolderInUse folder_in_use(const Context& ctx);

// Whether anyone may sign up (POST /api/auth/register, /api/instance): registration is open and
// passwords sign in (with them off, accounts come from the identity provider).
bool registration_open(const Context& ctx);

boost::json::object user_json(const store::User& u);
// user_json + the user's usage against their group's limits (GET /api/me, login, register).
boost::json::object me_json(const Context& ctx, const store::User& u);

// After a change to a user, a group or a session: ctx.recheck_live when set.
inline void recheck_live_sockets(const Context& ctx) {
    if (ctx.recheck_live) ctx.recheck_live();
}

void register_health_routes(http::Router& r, const Context& ctx);
void register_auth_routes(http::Router& r, const Context& ctx);
void register_oidc_routes(http::Router& r, const Context& ctx);
// After essaim's logout of `session_id` (api/sso_api.cpp): the provider's end-session page
// (RP-initiated logout, with the ID token as id_token_hint) when this browser's session was
// opened through the provider and the provider publishes one, else "" — also when the provider
// does not answer. Never throws.
std::string provider_logout_url(const Context& ctx, const http::Request& req,
                                const std::string& session_id);
// Clears that login's logout hint cookie on `r` when the browser sent one.
void forget_provider_login(const Context& ctx, const http::Request& req, http::Response& r);
void register_me_routes(http::Router& r, const Context& ctx);
void register_token_routes(http::Router& r, const Context& ctx);  // API tokens (issue 19)
void register_admin_user_routes(http::Router& r, const Context& ctx);
void register_torrent_routes(http::Router& r, const Context& ctx);  // essaim_net
void register_file_routes(http::Router& r, const Context& ctx);     // essaim_net
void register_admin_group_routes(http::Router& r, const Context& ctx);
void register_admin_server_routes(http::Router& r, const Context& ctx);
void register_audit_routes(http::Router& r, const Context& ctx);
void register_admin_settings_routes(http::Router& r, const Context& ctx);  // essaim_net
void register_notification_routes(http::Router& r, const Context& ctx);
boost::json::object notification_json(const store::Notification& n);
void register_stats_routes(http::Router& r, const Context& ctx);
void register_search_routes(http::Router& r, const Context& ctx);         // essaim_net
void register_metrics_routes(http::Router& r, const Context& ctx);        // essaim_net
void register_admin_storage_routes(http::Router& r, const Context& ctx);  // essaim_net

}  // namespace essaim::api
