// Single sign-on (issue 22; docs/api-auth.md § Single sign-on): GET /api/auth/oidc/start and
// GET /api/auth/oidc/callback, the two legs of an OpenID Connect login in the browser, and
// GET /api/auth/proxy, the sign-in a trusted reverse proxy vouches for. All are top-level
// navigations, so they answer with redirects, never JSON: a refusal sends the browser
// back to the sign-in page with a code (`/connexion?sso=<code>`) that the page turns into a
// French sentence; what exactly went wrong (a provider's error, which check the ID token failed)
// goes to the audit log and the server's log, for administrators.
#include "api/context.hpp"
#include "api/errors.hpp"
#include "auth/denied.hpp"
#include "auth/oidc_accounts.hpp"
#include "auth/oidc_client.hpp"
#include "auth/proxy_auth.hpp"
#include "http/run_on.hpp"
#include "store/audit.hpp"
#include "store/settings_view.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"
#include "util/strings.hpp"

#include <spdlog/spdlog.h>

namespace essaim::api {
namespace {

constexpr const char* kCallbackPath = "/api/auth/oidc/callback";

auth::Provider provider_of(const Context& ctx) {
    return {store::text(ctx.store, settings::oidc_issuer),
            store::text(ctx.store, settings::oidc_client_id),
            store::text(ctx.store, settings::oidc_client_secret),
            store::text(ctx.store, settings::oidc_scopes),
            store::flag(ctx.store, settings::allow_private_targets)};
}

bool configured(const auth::Provider& p) {
    return !p.issuer.empty() && !p.client_id.empty() &&
           (str::starts_with(p.issuer, "https://") || p.allow_private);
}

// Where the provider sends the browser back: essaim's public address when set, else the Host
// this browser used (the provider only redirects to addresses registered for essaim anyway).
std::string origin_of(const Context& ctx, const http::Request& req) {
    if (!ctx.cfg.base_url.empty()) {
        auto o = ctx.cfg.base_url;
        while (!o.empty() && o.back() == '/') o.pop_back();
        return o;
    }
    auto host = req.header("host");
    return "http://" + std::string(host.empty() ? "127.0.0.1" : host);
}

http::Response redirect(const std::string& to) {
    http::Response r;
    r.status = 302;
    r.headers.emplace_back("Location", to);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

std::string login_cookie(const Context& ctx, std::string_view value, long max_age) {
    http::CookieOptions o;
    o.secure = ctx.sessions.secure_cookies();
    o.max_age = max_age;
    o.same_site = "Lax";  // the provider's redirect back is a cross-site navigation
    o.path = "/api/auth/oidc";
    return http::make_set_cookie(auth::kLoginCookie, value, o);
}

std::string cookie_key(const Context& ctx) {
    return ctx.sessions.derived_key("essaim oidc login cookie");
}

// The logout hint (auth::LogoutHint): sent back only to POST /api/auth/logout.
std::string logout_cookie(const Context& ctx, std::string_view value, long max_age) {
    http::CookieOptions o;
    o.secure = ctx.sessions.secure_cookies();
    o.max_age = max_age;
    o.path = "/api/auth/logout";
    return http::make_set_cookie(auth::kLogoutCookie, value, o);
}

std::string logout_key(const Context& ctx) {
    return ctx.sessions.derived_key("essaim oidc logout cookie");
}

// The end of every sign-in the provider or the proxy vouched for: the last login recorded,
// audited like a password login (with its method; a new account's "user.register" first), a
// session and its cookies, the browser sent to `to`. `id_token`: a provider's login, kept for
// the provider's logout.
http::Response signed_in_redirect(const Context& ctx, const http::Request& req,
                                  const auth::Resolved& who, const char* method,
                                  const std::string& to,
                                  const std::optional<std::string>& id_token = std::nullopt) {
    auto now = util::unix_now();
    ctx.store.touch_login(who.user.id, now);
    auto actor = store::Actor::of(who.user, req.remote_ip);
    if (who.created)
        store::audit(ctx.store, actor, "user.register", "user", std::to_string(who.user.id),
                     {{"method", method}});
    store::audit(ctx.store, actor, "user.login", "user", std::to_string(who.user.id),
                 {{"method", method}});
    auto issued =
        ctx.sessions.issue(who.user, req.remote_ip, std::string(req.header("user-agent")));
    auto r = redirect(to);
    ctx.sessions.set_cookies(r, issued);
    if (id_token) {
        auth::LogoutHint hint{issued.session_id, *id_token, issued.expires_at};
        r.headers.emplace_back("Set-Cookie",
                               logout_cookie(ctx, auth::seal_logout(hint, logout_key(ctx)),
                                             static_cast<long>(issued.expires_at - now)));
    }
    return r;
}

http::Response refused(const Context& ctx, const http::Request& req, const std::string& code,
                       const std::string& detail) {
    spdlog::warn("connexion OIDC refusée ({}) : {}", code, detail);
    store::audit(ctx.store, {std::nullopt, "", req.remote_ip}, "user.login_failed", "user", "",
                 {{"method", "oidc"}, {"reason", code}});
    auto r = redirect("/connexion?sso=" + code);
    r.headers.emplace_back("Set-Cookie", login_cookie(ctx, "", 0));
    return r;
}

http::Response start(const Context& ctx, http::Request& req) {
    auto p = provider_of(ctx);
    if (!configured(p)) return redirect("/connexion?sso=disabled");
    auto now = util::unix_now();
    auth::Discovery d;
    try {
        d = http::run_on(*ctx.ioc, ctx.oidc->discovery(p, now));
    } catch (const std::exception& e) {
        return refused(ctx, req, "provider_unavailable", e.what());
    }
    auto login = auth::new_login(now, req.query_param("return_to").value_or("/"));
    auto url = auth::authorization_url(
        d, {p.client_id, origin_of(ctx, req) + kCallbackPath, p.scopes}, login);
    auto r = redirect(url);
    r.headers.emplace_back(
        "Set-Cookie", login_cookie(ctx, auth::seal_login(login, cookie_key(ctx)), auth::kLoginTtl));
    return r;
}

http::Response callback(const Context& ctx, http::Request& req) {
    auto p = provider_of(ctx);
    if (!configured(p)) return redirect("/connexion?sso=disabled");
    auto now = util::unix_now();
    // The login this browser started: its sealed cookie, whose state must be the one the
    // provider sends back (a callback from another browser, a forged or replayed state fail).
    auto cookie = req.cookie(auth::kLoginCookie);
    auto login = cookie ? auth::open_login(*cookie, cookie_key(ctx), now) : std::nullopt;
    auto state = req.query_param("state").value_or("");
    if (!login || state.empty() || !crypto::constant_time_equal(state, login->state))
        return refused(ctx, req, "bad_state", "state absent, expiré ou d'un autre navigateur");
    if (auto err = req.query_param("error"))
        return refused(ctx, req, "provider_refused", "le fournisseur répond " + *err);
    // RFC 9207: when the provider names itself, it must be ours (mix-up attacks).
    if (auto iss = req.query_param("iss"); iss && *iss != p.issuer)
        return refused(ctx, req, "wrong_issuer", "iss " + *iss);
    auto code = req.query_param("code").value_or("");
    if (code.empty()) return refused(ctx, req, "bad_request", "pas de code");
    auth::SignedIn in;
    try {
        in = http::run_on(*ctx.ioc, ctx.oidc->exchange(p, code, origin_of(ctx, req) + kCallbackPath,
                                                       *login, now));
    } catch (const auth::IdTokenError& e) {
        return refused(ctx, req, "invalid_token", e.code + " : " + e.what());
    } catch (const auth::OidcError& e) {
        return refused(ctx, req,
                       e.code == "token_refused"      ? "token_refused"
                       : e.code == "userinfo_invalid" ? "invalid_token"
                                                      : "provider_unavailable",
                       e.what());
    }
    auth::Resolved who;
    try {
        who = auth::account_for(ctx.store, p.issuer, in.token,
                                {store::flag(ctx.store, settings::oidc_auto_create),
                                 store::text(ctx.store, settings::oidc_group_claim),
                                 store::text(ctx.store, settings::oidc_group_map)},
                                now, folder_in_use(ctx));
    } catch (const auth::Denied& e) {
        return refused(ctx, req, e.code, std::string(e.what()) + " (sub " + in.token.sub + ")");
    }
    auto r = signed_in_redirect(ctx, req, who, "oidc", login->return_to, in.raw_id_token);
    r.headers.emplace_back("Set-Cookie", login_cookie(ctx, "", 0));
    return r;
}

// The proxy's header names the user (only from a trusted proxy): the account linked to that
// name, or a new one under the same rule as the provider's (oidc.auto_create).
http::Response proxy_sign_in(const Context& ctx, http::Request& req) {
    auto who_name = auth::proxy_user(*ctx.sessions.proxy_auth(), req);
    if (!who_name) {
        store::audit(ctx.store, {std::nullopt, "", req.remote_ip}, "user.login_failed", "user", "",
                     {{"method", "proxy"}, {"reason", "proxy_untrusted"}});
        return redirect("/connexion?sso=proxy_untrusted");
    }
    auto now = util::unix_now();
    auth::IdToken id{*who_name, {{"preferred_username", *who_name}}};
    auth::Resolved who;
    try {
        who = auth::account_for(ctx.store, auth::kProxyIssuer, id,
                                {store::flag(ctx.store, settings::oidc_auto_create), "", ""}, now,
                                folder_in_use(ctx));
    } catch (const auth::Denied& e) {
        store::audit(ctx.store, {std::nullopt, who_name->substr(0, 64), req.remote_ip},
                     "user.login_failed", "user", "", {{"method", "proxy"}, {"reason", e.code}});
        return redirect("/connexion?sso=" + e.code);
    }
    return signed_in_redirect(ctx, req, who, "proxy",
                              auth::local_path(req.query_param("return_to").value_or("/")));
}

}  // namespace

std::string provider_logout_url(const Context& ctx, const http::Request& req,
                                const std::string& session_id) {
    auto cookie = req.cookie(auth::kLogoutCookie);
    if (!cookie || session_id.empty()) return "";
    auto now = util::unix_now();
    auto hint = auth::open_logout(*cookie, logout_key(ctx), now);
    // Only for the session this hint was issued with (another account's login since: none).
    if (!hint || !crypto::constant_time_equal(hint->session_id, session_id)) return "";
    auto p = provider_of(ctx);
    if (!configured(p)) return "";
    try {
        auto d = http::run_on(*ctx.ioc, ctx.oidc->discovery(p, now));
        return auth::end_session_url(d, p.client_id, hint->id_token,
                                     origin_of(ctx, req) + "/connexion");
    } catch (const std::exception& e) {
        // essaim's own logout is done; the provider's session stays (its page can end it).
        spdlog::warn("déconnexion chez le fournisseur impossible : {}", e.what());
        return "";
    }
}

void forget_provider_login(const Context& ctx, const http::Request& req, http::Response& r) {
    if (req.cookie(auth::kLogoutCookie))
        r.headers.emplace_back("Set-Cookie", logout_cookie(ctx, "", 0));
}

void register_oidc_routes(http::Router& r, const Context& ctx) {
    using http::Exec;
    r.add(
        "GET", "/api/auth/oidc/start", [&ctx](http::Request& q) { return start(ctx, q); },
        Exec::worker);
    r.add(
        "GET", "/api/auth/oidc/callback", [&ctx](http::Request& q) { return callback(ctx, q); },
        Exec::worker);
    r.add(
        "GET", "/api/auth/proxy", [&ctx](http::Request& q) { return proxy_sign_in(ctx, q); },
        Exec::worker);
}

}  // namespace essaim::api
