// GET /api/admin/users: the accounts, for administrators (assigning a torrent to a user now;
// the full user administration comes with the admin pages).
#include "api/context.hpp"
#include "api/errors.hpp"

#include <boost/json.hpp>

namespace essaim::api {

void register_admin_user_routes(http::Router& r, const Context& ctx) {
    r.add("GET", "/api/admin/users", [&ctx](http::Request& req) {
        auto a = require_user(ctx, req);
        if (!a.user.is_admin()) throw ApiError(403, "forbidden", "Réservé aux administrateurs.");
        boost::json::array users;
        for (const auto& u : ctx.store.user_names())
            users.push_back(boost::json::object{
                {"id", u.id}, {"username", u.username}, {"display_name", u.display_name}});
        return http::Response::json(200, boost::json::object{{"users", std::move(users)}});
    });
}

}  // namespace essaim::api
