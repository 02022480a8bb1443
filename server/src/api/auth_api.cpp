// POST /api/auth/register, /api/auth/login, /api/auth/logout.
// Login answers the same 401 whether the user exists or not, and spends the same argon2 time
// either way (dummy hash), so neither the message nor the timing tells user names apart.
#include "api/context.hpp"
#include "api/errors.hpp"
#include "auth/password.hpp"
#include "auth/policy.hpp"
#include "auth/validation.hpp"
#include "store/audit.hpp"
#include "store/settings_view.hpp"
#include "util/clock.hpp"
#include "util/strings.hpp"

namespace essaim::api {
namespace {

void throw_throttled(std::int64_t retry) {
    ApiError e(429, "too_many_attempts",
               "Trop de tentatives de connexion. Réessayez dans " + std::to_string(retry) +
                   (retry > 1 ? " secondes." : " seconde."));
    e.headers.emplace_back("Retry-After", std::to_string(retry));
    throw e;
}

http::Response signed_in(const Context& ctx, const store::User& u, const http::Request& req,
                         int status) {
    auto issued = ctx.sessions.issue(u, req.remote_ip, std::string(req.header("user-agent")));
    auto r = http::Response::json(status, me_json(ctx, u));
    ctx.sessions.set_cookies(r, issued);
    return r;
}

http::Response do_register(const Context& ctx, http::Request& req) {
    auto body = parse_json_object(req);
    if (!registration_open(ctx))
        throw ApiError(403, "registration_closed",
                       "Les inscriptions sont fermées. Demandez un compte à l'administrateur.");
    auth::NewAccount na;
    na.username = req_string(body, "username");
    na.password = req_string(body, "password");
    na.email = opt_string(body, "email");
    na.display_name = opt_string(body, "display_name");
    auto id = auth::create_account(ctx.store, na, folder_in_use(ctx)).id;
    ctx.store.touch_login(id, util::unix_now());  // registering signs the user in
    auto user = ctx.store.user_by_id(id);
    if (!user) throw std::runtime_error("user vanished after insert");
    store::audit(ctx.store, store::Actor::of(*user, req.remote_ip), "user.register", "user",
                 std::to_string(id));
    return signed_in(ctx, *user, req, 201);
}

http::Response do_login(const Context& ctx, http::Request& req) {
    auto body = parse_json_object(req);
    auto username = std::string(str::trim(req_string(body, "username")));
    auto password = req_string(body, "password");
    auto now = util::unix_now();
    // In flight in the throttles (auth/throttle.hpp) from here until settled: parallel attempts
    // cannot all pass the check before the first failures count.
    auto attempt = ctx.throttle.begin(username, req.remote_ip, now);
    if (attempt.wait() > 0) throw_throttled(attempt.wait());

    std::optional<store::User> user;
    if (username.size() <= 64 && password.size() <= auth::kMaxPasswordLength)
        user = ctx.store.user_by_username(username);
    bool ok = user ? auth::verify_password(user->password_hash, password)
                   : (auth::verify_password(auth::dummy_hash(), password), false);
    if (!ok) {
        attempt.failed(now);
        store::audit(
            ctx.store,
            {user ? std::optional(user->id) : std::nullopt, username.substr(0, 64), req.remote_ip},
            "user.login_failed", "user", user ? std::to_string(user->id) : "");
        throw ApiError(401, "invalid_credentials", "Nom d'utilisateur ou mot de passe incorrect.");
    }
    if (user->disabled)
        throw ApiError(403, "account_disabled",
                       "Ce compte est désactivé. Contactez l'administrateur.");
    // Checked after the password, so that a refusal does not tell which name is the
    // break-glass administrator's.
    if (!auth::password_sign_in_allowed(store::flag(ctx.store, settings::local_login),
                                        store::text(ctx.store, settings::break_glass_admin), *user))
        throw ApiError(403, "local_login_disabled",
                       "La connexion par mot de passe est désactivée : utilisez le bouton de "
                       "connexion de votre fournisseur d'identité.");
    attempt.succeeded();
    if (auth::needs_rehash(user->password_hash))
        ctx.store.set_password(user->id, auth::hash_password(password), false);
    ctx.store.touch_login(user->id, now);
    user->last_login_at = now;
    store::audit(ctx.store, store::Actor::of(*user, req.remote_ip), "user.login", "user",
                 std::to_string(user->id));
    return signed_in(ctx, *user, req, 200);
}

http::Response do_logout(const Context& ctx, http::Request& req) {
    auto a = ctx.sessions.authenticate(req);
    std::string provider_page;
    if (a) {
        if (!ctx.sessions.csrf_ok(req, *a))
            throw ApiError(403, "csrf_failed",
                           "Jeton de sécurité (CSRF) manquant ou invalide. Rechargez la page et "
                           "réessayez.");
        ctx.sessions.revoke(a->session_id);
        audit(ctx, *a, req, "user.logout", "user", std::to_string(a->user.id));
        recheck_live_sockets(ctx);  // that session's sockets close now
        provider_page = provider_logout_url(ctx, req, a->session_id);
    }
    // Signed in through the provider: the browser goes on to its logout page.
    auto r = provider_page.empty()
                 ? http::Response::no_content()
                 : http::Response::json(200, {{"end_session_url", provider_page}});
    ctx.sessions.clear_cookies(r);
    forget_provider_login(ctx, req, r);
    return r;
}

}  // namespace

void register_auth_routes(http::Router& r, const Context& ctx) {
    using http::Exec;
    r.add(
        "POST", "/api/auth/register", [&ctx](http::Request& q) { return do_register(ctx, q); },
        Exec::worker);
    r.add(
        "POST", "/api/auth/login", [&ctx](http::Request& q) { return do_login(ctx, q); },
        Exec::worker);
    r.add(
        "POST", "/api/auth/logout", [&ctx](http::Request& q) { return do_logout(ctx, q); },
        Exec::worker);
}

}  // namespace essaim::api
