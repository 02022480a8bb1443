// GET/PATCH /api/me and POST /api/me/password: the signed-in user's own account.
#include "api/context.hpp"
#include "api/errors.hpp"
#include "auth/limits.hpp"
#include "auth/password.hpp"
#include "auth/validation.hpp"
#include "qbt/registry.hpp"

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
    ctx.store.update_profile(a.user.id, display_name, email);
    ctx.store.audit({a.user.id, a.user.username, "user.profile_update", "user",
                     std::to_string(a.user.id), "{}", req.remote_ip});
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
    if (!auth::verify_password(a.user.password_hash, current))
        throw ApiError(422, "wrong_password", "Le mot de passe actuel est incorrect.",
                       "current_password");
    auth::validate_password(fresh, "new_password");
    // New hash + token_version bump: every token issued before is dead, on every device.
    ctx.store.set_password(a.user.id, auth::hash_password(fresh), true);
    ctx.store.delete_user_sessions(a.user.id, "");
    ctx.store.audit({a.user.id, a.user.username, "user.password_change", "user",
                     std::to_string(a.user.id), "{}", req.remote_ip});
    auto user = ctx.store.user_by_id(a.user.id);
    if (!user) throw std::runtime_error("user vanished");
    // This browser stays signed in with a fresh session.
    auto issued = ctx.sessions.issue(*user, req.remote_ip, std::string(req.header("user-agent")));
    auto r = http::Response::no_content();
    ctx.sessions.set_cookies(r, issued);
    return r;
}

}  // namespace

void register_me_routes(http::Router& r, const Context& ctx) {
    using http::Exec;
    r.add("GET", "/api/me", [&ctx](http::Request& q) { return get_me(ctx, q); });
    r.add(
        "PATCH", "/api/me", [&ctx](http::Request& q) { return patch_me(ctx, q); }, Exec::worker);
    r.add(
        "POST", "/api/me/password", [&ctx](http::Request& q) { return change_password(ctx, q); },
        Exec::worker);
}

}  // namespace essaim::api
