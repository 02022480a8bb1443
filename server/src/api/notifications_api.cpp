// /api/notifications: the signed-in user's notification centre (list with the unread count,
// mark read, clear). New ones also arrive over the WebSocket as {"type":"notification"}.
#include "api/context.hpp"
#include "api/errors.hpp"
#include "util/clock.hpp"
#include "util/strings.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace essaim::api {
namespace json = boost::json;

json::object notification_json(const store::Notification& n) {
    return json::object{{"id", n.id},
                        {"kind", n.kind},
                        {"torrent_hash", n.torrent_hash},
                        {"torrent_name", n.torrent_name},
                        {"message", n.message},
                        {"created_at", n.created_at},
                        {"read_at", n.read_at ? json::value(*n.read_at) : json::value(nullptr)}};
}

namespace {

http::Response list(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    auto limit = str::parse_uint(req.query_param("limit").value_or("50")).value_or(50);
    std::int64_t unread = 0;
    json::array out;
    for (const auto& n :
         ctx.store.notifications(a.user.id, std::clamp<std::int64_t>(limit, 1, 200), unread))
        out.push_back(notification_json(n));
    return http::Response::json(
        200, json::object{{"notifications", std::move(out)}, {"unread", unread}});
}

http::Response mark_read(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    std::vector<std::int64_t> ids;
    if (!req.body.empty()) {
        auto body = parse_json_object(req);
        if (auto* v = body.if_contains("ids")) {
            if (!v->is_array())
                throw ApiError(400, "invalid_json", "« ids » doit être une liste de nombres.",
                               "ids");
            for (const auto& id : v->as_array()) {
                if (!id.is_int64())
                    throw ApiError(400, "invalid_json", "« ids » doit être une liste de nombres.",
                                   "ids");
                ids.push_back(id.as_int64());
            }
            if (ids.empty()) return http::Response::no_content();
        }
    }
    ctx.store.mark_notifications_read(a.user.id, ids, util::unix_now());
    std::int64_t unread = 0;
    ctx.store.notifications(a.user.id, 1, unread);
    return http::Response::json(200, json::object{{"unread", unread}});
}

http::Response clear(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    ctx.store.clear_notifications(a.user.id);
    return http::Response::no_content();
}

}  // namespace

void register_notification_routes(http::Router& r, const Context& ctx) {
    using http::Exec;
    r.add(
        "GET", "/api/notifications", [&ctx](http::Request& q) { return list(ctx, q); },
        Exec::worker);
    r.add(
        "POST", "/api/notifications/read", [&ctx](http::Request& q) { return mark_read(ctx, q); },
        Exec::worker);
    r.add(
        "DELETE", "/api/notifications", [&ctx](http::Request& q) { return clear(ctx, q); },
        Exec::worker);
}

}  // namespace essaim::api
