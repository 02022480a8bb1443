// GET/PATCH /api/me and POST /api/me/password: the signed-in user's own account. The current
// password's check is throttled like a sign-in (auth/throttle.hpp).
#include "api/context.hpp"
#include "api/errors.hpp"
#include "auth/limits.hpp"
#include "auth/password.hpp"
#include "auth/validation.hpp"
#include "qbt/registry.hpp"
#include "util/clock.hpp"
#include "util/strings.hpp"

namespace essaim::api {
namespace {

http::Response get_me(const Context& ctx, http::Request& req) {
    return http::Response::json(200, me_json(ctx, require_user(ctx, req).user));
}

http::Response patch_me(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    auto body = parse_json_object(req);
    auto display_name = a.user.display_name;
    auto email = a.user.email;
    if (auto d = opt_string(body, "display_name")) display_name = auth::validate_display_name(*d);
    if (is_null(body, "email"))
        email.reset();
    else if (auto e = opt_string(body, "email"))
        email = auth::validate_email(*e);
    // Notification channels (opt-in): e-mail needs an address; a webhook is an http(s) URL.
    bool notify_email = opt_bool(body, "notify_email").value_or(a.user.notify_email);
    auto webhook = a.user.webhook_url;
    if (is_null(body, "webhook_url")) {
        webhook.reset();
    } else if (auto w = opt_string(body, "webhook_url")) {
        auto t = std::string(str::trim(*w));
        if (t.empty()) {
            webhook.reset();
        } else {
            if ((!str::starts_with(t, "http://") && !str::starts_with(t, "https://")) ||
                t.size() > 500 || t.find_first_of(" \t\r\n") != std::string::npos)
                throw ApiError(422, "invalid_url",
                               "L'adresse du webhook doit commencer par http:// ou https://.",
                               "webhook_url");
            webhook = t;
        }
    }
    if (notify_email && !email)
        throw ApiError(422, "email_required",
                       "Indiquez une adresse e-mail pour recevoir les notifications par e-mail.",
                       "notify_email");
    ctx.store.update_profile(a.user.id, display_name, email);
    ctx.store.set_notify_prefs(a.user.id, notify_email, webhook);
    audit(ctx, a, req, "user.profile_update", "user", std::to_string(a.user.id));
    auto user = ctx.store.user_by_id(a.user.id);
    if (!user) throw std::runtime_error("user vanished");
    if (ctx.registry) ctx.registry->refresh_users();  // owner names shown in torrent lists
    return http::Response::json(200, me_json(ctx, *user));
}

http::Response change_password(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    auto body = parse_json_object(req);
    auto current = req_string(body, "current_password");
    auto fresh = req_string(body, "new_password");
    // Checking the current password is a way to guess it (a stolen session): throttled like a
    // sign-in, with the same keys (this user name, this address), failures counted.
    auto now = util::unix_now();
    auto attempt = ctx.throttle.begin(a.user.username, req.remote_ip, now);
    if (attempt.wait() > 0) {
        auto retry = attempt.wait();
        ApiError e(429, "too_many_attempts",
                   "Trop d'essais du mot de passe actuel. Réessayez dans " + std::to_string(retry) +
                       (retry > 1 ? " secondes." : " seconde."));
        e.headers.emplace_back("Retry-After", std::to_string(retry));
        throw e;
    }
    if (!auth::verify_password(a.user.password_hash, current)) {
        attempt.failed(now);
        throw ApiError(422, "wrong_password", "Le mot de passe actuel est incorrect.",
                       "current_password");
    }
    attempt.succeeded();
    // Every token issued before is dead, on every device (this browser gets a new one below).
    auth::set_password(ctx.store, a.user.id, fresh, "new_password");
    audit(ctx, a, req, "user.password_change", "user", std::to_string(a.user.id));
    recheck_live_sockets(ctx);  // the user's other sessions ended
    auto user = ctx.store.user_by_id(a.user.id);
    if (!user) throw std::runtime_error("user vanished");
    // This browser stays signed in with a fresh session.
    auto issued = ctx.sessions.issue(*user, req.remote_ip, std::string(req.header("user-agent")));
    auto r = http::Response::no_content();
    ctx.sessions.set_cookies(r, issued);
    return r;
}

}  // namespace

// The user's recent e-mail/webhook deliveries, failures included (their account page).
http::Response deliveries(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    boost::json::array out;
    for (const auto& d : ctx.store.user_deliveries(a.user.id, 20))
        out.push_back(boost::json::object{
            {"id", d.id},
            {"channel", d.channel},
            {"target", d.target},
            {"status", d.status},
            {"attempts", d.attempts},
            {"last_error",
             d.last_error.empty() ? boost::json::value(nullptr) : boost::json::value(d.last_error)},
            {"updated_at", d.updated_at},
            {"notification", notification_json(d.notification)}});
    return http::Response::json(200, boost::json::object{{"deliveries", std::move(out)}});
}

void register_me_routes(http::Router& r, const Context& ctx) {
    using http::Exec;
    r.add("GET", "/api/me", [&ctx](http::Request& q) { return get_me(ctx, q); });
    r.add(
        "PATCH", "/api/me", [&ctx](http::Request& q) { return patch_me(ctx, q); }, Exec::worker);
    r.add(
        "GET", "/api/me/deliveries", [&ctx](http::Request& q) { return deliveries(ctx, q); },
        Exec::worker);
    r.add(
        "POST", "/api/me/password", [&ctx](http::Request& q) { return change_password(ctx, q); },
        Exec::worker);
}

}  // namespace essaim::api
