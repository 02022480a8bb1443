// API tokens (issue 19): a user's own (GET/POST /api/me/tokens, DELETE /api/me/tokens/{id}) and
// everyone's for administrators (GET /api/admin/tokens, DELETE /api/admin/tokens/{id}). A new
// token is shown once, in the creation's answer; the list never carries it. Creating needs the
// group's use_api (auth/policy); a token cannot create another (tools do not mint tools).
#include "api/context.hpp"
#include "api/errors.hpp"
#include "auth/api_tokens.hpp"
#include "auth/policy.hpp"
#include "util/clock.hpp"
#include "util/strings.hpp"

#include <boost/json.hpp>

namespace essaim::api {
namespace {

namespace json = boost::json;

// A user's tokens at the most: a flood of creations stops here.
constexpr std::size_t kMaxTokensPerUser = 20;
constexpr std::int64_t kMaxDays = 3650;

template <class T>
json::value or_null(const std::optional<T>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::object token_json(const store::ApiToken& t) {
    return {{"id", t.id},
            {"name", t.name},
            {"read_only", t.read_only},
            {"created_at", t.created_at},
            {"expires_at", or_null(t.expires_at)},
            {"last_used_at", or_null(t.last_used_at)},
            {"last_used_ip", or_null(t.last_used_ip)},
            {"user", json::object{{"id", t.user_id}, {"username", t.username}}}};
}

json::object list_json(const std::vector<store::ApiToken>& tokens) {
    json::array out;
    for (const auto& t : tokens) out.push_back(token_json(t));
    return {{"tokens", std::move(out)}};
}

std::int64_t path_id(const http::Request& req) {
    auto id = str::parse_uint(req.params.at("id"));
    if (!id) throw ApiError(404, "token_not_found", "Jeton introuvable.");
    return static_cast<std::int64_t>(*id);
}

http::Response list_mine(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    return http::Response::json(200, list_json(ctx.store.api_tokens(a.user.id)));
}

http::Response create(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    auth::require_permission(a.user, "use_api");
    if (a.token)
        throw ApiError(403, "forbidden",
                       "Un jeton d'application ne peut pas créer d'autre jeton : créez-le depuis "
                       "le site.");
    auto body = parse_json_object(req);
    auto name = std::string(str::trim(req_string(body, "name")));
    if (name.empty() || name.size() > 64)
        throw ApiError(422, "invalid_name",
                       "Donnez au jeton un nom de 1 à 64 caractères (par exemple « Sonarr »).",
                       "name");
    std::optional<std::int64_t> days;
    if (!is_null(body, "expires_in_days")) days = opt_int(body, "expires_in_days");
    if (days && (*days < 1 || *days > kMaxDays))
        throw ApiError(422, "invalid_expiry",
                       "La durée de validité va de 1 à 3 650 jours (ou sans limite).",
                       "expires_in_days");
    if (ctx.store.api_tokens(a.user.id).size() >= kMaxTokensPerUser)
        throw ApiError(409, "too_many_tokens",
                       "Vous avez déjà 20 jetons : révoquez ceux qui ne servent plus.");
    auto now = util::unix_now();
    store::ApiToken t;
    t.user_id = a.user.id;
    t.name = name;
    t.read_only = opt_bool(body, "read_only").value_or(false);
    t.created_at = now;
    if (days) t.expires_at = now + *days * 86400;
    t.username = a.user.username;
    auto secret = auth::new_api_token();
    t.id = ctx.store.create_api_token(t, auth::api_token_hash(secret));
    audit(ctx, a, req, "token.create", "user", std::to_string(a.user.id),
          {{"name", t.name}, {"read_only", t.read_only}});
    auto out = token_json(t);
    out["token"] = secret;  // the only time it is shown
    return http::Response::json(201, out);
}

http::Response revoke(const Context& ctx, http::Request& req, bool as_admin) {
    auto a = as_admin ? require_admin(ctx, req) : require_user(ctx, req);
    auto id = path_id(req);
    std::optional<std::int64_t> owner;
    if (!as_admin) owner = a.user.id;
    // Found for the name the journal keeps; someone else's token is "not found" for a user.
    std::optional<store::ApiToken> found;
    for (auto& t : ctx.store.api_tokens(owner))
        if (t.id == id) found = std::move(t);
    if (!found || !ctx.store.delete_api_token(id, owner))
        throw ApiError(404, "token_not_found", "Jeton introuvable.");
    audit(ctx, a, req, "token.revoke", "user", std::to_string(found->user_id),
          {{"name", found->name}});
    return http::Response::no_content();
}

http::Response list_all(const Context& ctx, http::Request& req) {
    require_admin(ctx, req);
    return http::Response::json(200, list_json(ctx.store.api_tokens(std::nullopt)));
}

}  // namespace

void register_token_routes(http::Router& r, const Context& ctx) {
    using http::Exec;
    r.add(
        "GET", "/api/me/tokens", [&ctx](http::Request& q) { return list_mine(ctx, q); },
        Exec::worker);
    r.add(
        "POST", "/api/me/tokens", [&ctx](http::Request& q) { return create(ctx, q); },
        Exec::worker);
    r.add(
        "DELETE", "/api/me/tokens/{id}", [&ctx](http::Request& q) { return revoke(ctx, q, false); },
        Exec::worker);
    r.add(
        "GET", "/api/admin/tokens", [&ctx](http::Request& q) { return list_all(ctx, q); },
        Exec::worker);
    r.add(
        "DELETE", "/api/admin/tokens/{id}",
        [&ctx](http::Request& q) { return revoke(ctx, q, true); }, Exec::worker);
}

}  // namespace essaim::api
