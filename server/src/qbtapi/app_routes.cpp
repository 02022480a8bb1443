// /api/v2/auth, app, transfer and sync: signing a tool in (its token as the password), what it
// asks about the server (versions, preferences scoped to its user), its user's share of the
// transfer, and sync/maindata from the registry.
#include "api/errors.hpp"
#include "auth/api_tokens.hpp"
#include "auth/limits.hpp"
#include "auth/password.hpp"
#include "auth/policy.hpp"
#include "auth/validation.hpp"
#include "qbt/client.hpp"
#include "qbt/servers.hpp"
#include "qbtapi/handler.hpp"
#include "qbtapi/routes.hpp"
#include "qbtapi/torrents.hpp"
#include "settings/table.hpp"
#include "store/audit.hpp"
#include "store/settings_view.hpp"
#include "util/clock.hpp"
#include "util/strings.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

namespace essaim::qbtapi {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// auth/login: the password is one of the user's API tokens (or, where the administrator allows
// it, the account's password). "Ok." with a SID cookie, or "Fails." — both with 200, as
// qBittorrent answers; throttled like the web app's sign-in (the same counters).
http::Response login(Services& s, http::Request& req) {
    const auto& ctx = s.ctx;
    std::optional<Form> form;
    try {
        form.emplace(req);
    } catch (const std::invalid_argument&) {
        return text("Bad Request", 400);
    }
    auto username = std::string(str::trim(form->value_or("username", "")));
    auto password = form->value_or("password", "");
    auto now = util::unix_now();
    auto attempt = ctx.throttle.begin(username, req.remote_ip, now);
    if (attempt.wait() > 0)
        return text(
            "Your IP address has been banned after too many failed authentication "
            "attempts.",
            403);
    std::optional<store::User> user;
    std::optional<store::ApiToken> token;
    bool ok = false;
    if (auth::is_api_token(password) && password.size() <= 256) {
        if (auto who = ctx.store.user_for_api_token(auth::api_token_hash(password), now);
            who && who->token && str::to_lower(who->user.username) == str::to_lower(username)) {
            user = std::move(who->user);
            token = std::move(who->token);
            ok = true;
        }
    } else if (store::flag(ctx.store, settings::api_password_login) && username.size() <= 64 &&
               password.size() <= auth::kMaxPasswordLength) {
        user = ctx.store.user_by_username(username);
        ok = user ? auth::verify_password(user->password_hash, password)
                  : (auth::verify_password(auth::dummy_hash(), password), false);
    }
    // A disabled account, or a group without tools, is a failure like a wrong password: a tool
    // has no page to say more, and the web app's sign-in does.
    if (ok && (user->disabled || !auth::may_use_token(*user))) ok = false;
    if (!ok) {
        attempt.failed(now);
        store::audit(
            ctx.store,
            {user ? std::optional(user->id) : std::nullopt, username.substr(0, 64), req.remote_ip},
            "user.login_failed", "user", user ? std::to_string(user->id) : "", {{"api", true}});
        return text("Fails.");
    }
    attempt.succeeded();
    auto issued = ctx.sessions.issue(*user, req.remote_ip, std::string(req.header("user-agent")),
                                     token ? std::optional(token->id) : std::nullopt);
    json::object details{{"api", true}};
    if (token) details["via_token"] = token->name;
    store::audit(ctx.store, store::Actor::of(*user, req.remote_ip), "user.login", "user",
                 std::to_string(user->id), details);
    auto r = text("Ok.");
    r.headers.emplace_back("Set-Cookie", ctx.sessions.tool_cookie(issued));
    return r;
}

asio::awaitable<http::Response> logout(Services& s, http::Request&, Caller& c) {
    if (!c.a.session_id.empty()) s.ctx.sessions.revoke(c.a.session_id);
    s.feed.forget(c.feed_key);
    co_return text("");
}

asio::awaitable<http::Response> version(Services& s, http::Request&, Caller&) {
    co_return text(co_await s.ctx.servers->home_client().app_version());
}

asio::awaitable<http::Response> webapi_version(Services& s, http::Request&, Caller&) {
    co_return text((co_await s.ctx.servers->home_client().api_version()).text());
}

asio::awaitable<http::Response> build_info(Services& s, http::Request&, Caller&) {
    auto body = co_await s.ctx.servers->home_client().call("GET", "/api/v2/app/buildInfo");
    http::Response r = text(std::move(body));
    r.set_header("Content-Type", "application/json");
    co_return r;
}

// A user's view of the preferences: where their torrents go, their group's limits as the global
// ones, qBittorrent's queueing as it is (priorities answer 409 without it).
asio::awaitable<http::Response> preferences(Services& s, http::Request&, Caller& c) {
    auto folder = co_await folder_of(s, c.a.user);
    auto q = co_await qbt_preferences(s);
    auto limits = auth::parse_limits(c.a.user.limits_json);
    auto from_qbt = [&](const char* key, json::value fallback) {
        auto* v = q.if_contains(key);
        return v ? *v : fallback;
    };
    json::object p{
        {"locale", "fr"},
        {"save_path", folder},
        {"temp_path_enabled", false},
        {"temp_path", ""},
        {"auto_tmm_enabled", false},
        {"torrent_changed_tmm_enabled", false},
        {"save_path_changed_tmm_enabled", false},
        {"category_changed_tmm_enabled", false},
        {"create_subfolder_enabled", from_qbt("create_subfolder_enabled", true)},
        {"torrent_content_layout", from_qbt("torrent_content_layout", "Original")},
        {"start_paused_enabled", false},
        {"queueing_enabled", from_qbt("queueing_enabled", false)},
        {"max_active_downloads", from_qbt("max_active_downloads", 3)},
        {"max_active_torrents", from_qbt("max_active_torrents", 5)},
        {"max_active_uploads", from_qbt("max_active_uploads", 3)},
        {"dont_count_slow_torrents", from_qbt("dont_count_slow_torrents", false)},
        {"dht", from_qbt("dht", false)},
        {"pex", from_qbt("pex", false)},
        {"lsd", from_qbt("lsd", false)},
        {"dl_limit", limits.download_limit.value_or(0)},
        {"up_limit", limits.upload_limit.value_or(0)},
        {"max_ratio_enabled", limits.ratio_limit.has_value()},
        {"max_ratio", limits.ratio_limit.value_or(-1)},
        {"max_seeding_time_enabled", limits.seeding_time_limit.has_value()},
        {"max_seeding_time", limits.seeding_time_limit.value_or(-1)},
        {"max_inactive_seeding_time_enabled", false},
        {"max_inactive_seeding_time", -1},
        {"max_ratio_act", 0},
        {"web_ui_port", from_qbt("web_ui_port", 8080)},
    };
    co_return json_answer(p);
}

// What a user may not change (everything here: qBittorrent's preferences are the
// administrator's) is accepted and ignored, as the issue asks: tools that set a preference
// while configuring keep working.
asio::awaitable<http::Response> set_preferences(Services&, http::Request& req, Caller&) {
    Form f(req);
    boost::system::error_code ec;
    auto j = f.get("json");
    if (!j || !json::parse(*j, ec).is_object() || ec) co_return text("Bad Request", 400);
    co_return text("");
}

asio::awaitable<http::Response> default_save_path(Services& s, http::Request&, Caller& c) {
    co_return text(co_await folder_of(s, c.a.user));
}

// The user's share: their torrents' speeds and amounts, their group's limits.
json::object server_state(const qbt::Snapshot& snap, const store::User& u) {
    std::int64_t dl = 0, up = 0, dl_data = 0, up_data = 0;
    for (const auto* e : owned(snap, u.id)) {
        dl += e->dlspeed;
        up += e->upspeed;
        dl_data += e->downloaded;
        up_data += e->uploaded;
    }
    auto limits = auth::parse_limits(u.limits_json);
    return {{"dl_info_speed", dl},
            {"up_info_speed", up},
            {"dl_info_data", dl_data},
            {"up_info_data", up_data},
            {"dl_rate_limit", limits.download_limit.value_or(0)},
            {"up_rate_limit", limits.upload_limit.value_or(0)},
            {"dht_nodes", 0},
            {"connection_status",
             snap.link == qbt::LinkState::ok
                 ? (snap.server.connection_status.empty() ? std::string("connected")
                                                          : snap.server.connection_status)
                 : std::string("disconnected")},
            {"free_space_on_disk", snap.server.free_space_on_disk},
            {"queueing", false},
            {"use_alt_speed_limits", false},
            {"refresh_interval", 1500}};
}

asio::awaitable<http::Response> transfer_info(Services& s, http::Request&, Caller& c) {
    auto st = server_state(*s.ctx.registry->snapshot(), c.a.user);
    st.erase("free_space_on_disk");
    st.erase("queueing");
    st.erase("use_alt_speed_limits");
    st.erase("refresh_interval");
    co_return json_answer(st);
}

asio::awaitable<http::Response> maindata(Services& s, http::Request& req, Caller& c) {
    auto rid = Form(req).integer("rid").value_or(0);
    auto folder = co_await folder_of(s, c.a.user);
    auto snap = s.ctx.registry->snapshot();
    auto labels = labels_of(s, c.a.user.id, *snap, folder);
    auto body = s.feed.answer(c.feed_key, rid, *snap, c.a.user.id, labels,
                              server_state(*snap, c.a.user), util::unix_now());
    http::Response r = text(std::move(body));
    r.set_header("Content-Type", "application/json");
    co_return r;
}

}  // namespace

void register_app_routes(http::Router& r, Services& s) {
    r.add(
        "POST", "/api/v2/auth/login", [&s](http::Request& q) { return login(s, q); },
        http::Exec::worker);
    r.add_async("POST", "/api/v2/auth/logout", tool_route(s, false, logout));
    r.add_async("GET", "/api/v2/app/version", tool_route(s, false, version));
    r.add_async("POST", "/api/v2/app/version", tool_route(s, false, version));
    r.add_async("GET", "/api/v2/app/webapiVersion", tool_route(s, false, webapi_version));
    r.add_async("POST", "/api/v2/app/webapiVersion", tool_route(s, false, webapi_version));
    r.add_async("GET", "/api/v2/app/buildInfo", tool_route(s, false, build_info));
    r.add_async("POST", "/api/v2/app/buildInfo", tool_route(s, false, build_info));
    r.add_async("GET", "/api/v2/app/preferences", tool_route(s, false, preferences));
    r.add_async("POST", "/api/v2/app/preferences", tool_route(s, false, preferences));
    r.add_async("POST", "/api/v2/app/setPreferences", tool_route(s, true, set_preferences));
    r.add_async("GET", "/api/v2/app/defaultSavePath", tool_route(s, false, default_save_path));
    r.add_async("POST", "/api/v2/app/defaultSavePath", tool_route(s, false, default_save_path));
    r.add_async("GET", "/api/v2/transfer/info", tool_route(s, false, transfer_info));
    r.add_async("POST", "/api/v2/transfer/info", tool_route(s, false, transfer_info));
    r.add_async("GET", "/api/v2/sync/maindata", tool_route(s, false, maindata));
    r.add_async("POST", "/api/v2/sync/maindata", tool_route(s, false, maindata));
}

}  // namespace essaim::qbtapi
