#include "api/context.hpp"

#include "api/errors.hpp"
#include "auth/limits.hpp"
#include "auth/policy.hpp"
#include "download/layout.hpp"
#include "download/paths.hpp"
#include "download/settings.hpp"
#include "qbt/registry.hpp"
#include "qbt/servers.hpp"
#include "qbt/usage.hpp"
#include "store/audit.hpp"
#include "store/settings_view.hpp"
#include "util/strings.hpp"

#include <boost/json.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>

namespace essaim::api {
namespace {

// Browsers send Origin on every cross-origin request and on same-origin POSTs. A mutating
// request whose Origin is another site is refused outright (defence in depth beside CSRF
// tokens; it is the only guard for login/register, which have no session yet).
bool origin_allowed(const http::Request& req, const config::Config& cfg) {
    auto origin = req.header("origin");
    if (origin.empty()) return true;
    auto host = req.header("host");
    if (!host.empty() &&
        (origin == "http://" + std::string(host) || origin == "https://" + std::string(host)))
        return true;
    if (!cfg.base_url.empty()) {
        std::string base = cfg.base_url;
        auto scheme_end = base.find("://");
        if (scheme_end != std::string::npos) {
            auto path = base.find('/', scheme_end + 3);
            if (path != std::string::npos) base.resize(path);
        }
        if (origin == base) return true;
    }
    return false;
}

}  // namespace

void check_origin(const Context& ctx, const http::Request& req) {
    if (req.is_mutating() && !origin_allowed(req, ctx.cfg))
        throw ApiError(403, "origin_refused",
                       "Requête refusée : elle provient d'un autre site que essaim.");
}

http::Response failure_response(const http::Request& req, const std::exception& e) {
    if (const auto* api = dynamic_cast<const ApiError*>(&e)) return error_response(*api);
    if (const auto* denied = dynamic_cast<const auth::Denied*>(&e)) return error_response(*denied);
    spdlog::error("request {} {} {} failed: {}", req.request_id, req.method, req.path, e.what());
    if (store::is_storage_full(e))
        return error_response(507, "storage_full", store::kStorageFullMessage);
    return error_response(500, "internal_error",
                          "Erreur interne du serveur. Réessayez ; si le problème persiste, "
                          "prévenez l'administrateur (référence " +
                              req.request_id + ").");
}

http::Response tool_forbidden() {
    http::Response r;
    r.status = 403;
    r.body = "Forbidden";
    r.set_header("Content-Type", "text/plain; charset=UTF-8");
    return r;
}

std::optional<http::Response> preflight(const http::Route& route, const http::Request& req,
                                        const Context& ctx, std::string& sender) {
    // Routes that answer without a session: they have no one to charge a large body to.
    static constexpr std::string_view kNoSession[] = {"/api/auth/login", "/api/auth/register",
                                                      "/api/auth/logout", "/api/health",
                                                      "/api/instance"};
    try {
        check_origin(ctx, req);
        // The qBittorrent-compatible API (qbtapi/): a tool's session or token, refused the way
        // qBittorrent refuses — 403 "Forbidden" as text; its login takes small forms only.
        if (route.pattern.starts_with(kToolApiPrefix) && route.pattern != kToolLogin) {
            auto a = ctx.sessions.authenticate_tool(req);
            if (!a) return tool_forbidden();
            sender = "user:" + std::to_string(a->user.id);
            return std::nullopt;
        }
        if (route.pattern == kToolLogin ||
            std::ranges::find(kNoSession, route.pattern) != std::end(kNoSession)) {
            // Their limit is the JSON one whatever the content type (a small form still gets
            // its 415 from the handler); no length (chunked) is refused too.
            auto length = str::parse_uint(req.header("content-length"));
            if (!length || static_cast<std::uint64_t>(*length) > ctx.cfg.max_body_bytes)
                throw ApiError(413, "payload_too_large",
                               "Requête trop volumineuse (limite : " +
                                   std::to_string(ctx.cfg.max_body_bytes / 1024) + " Kio).");
            return std::nullopt;
        }
        sender = "user:" + std::to_string(require_user(ctx, req).user.id);
        return std::nullopt;
    } catch (const std::exception& e) {
        return failure_response(req, e);
    }
}

http::Response unmatched(const http::Match& m) {
    using K = http::Match::Kind;
    if (m.kind == K::method_not_allowed) {
        std::string allow;
        for (const auto& a : m.allowed) allow += (allow.empty() ? "" : ", ") + a;
        auto r = error_response(
            405, "method_not_allowed",
            "Méthode non autorisée pour cette adresse (autorisées : " + allow + ").");
        r.set_header("Allow", allow);
        return r;
    }
    if (m.kind == K::bad_path)
        return error_response(400, "bad_request", "Adresse de requête mal formée.");
    return error_response(404, "not_found", "Cette adresse de l'API n'existe pas.");
}

auth::Authed require_user(const Context& ctx, const http::Request& req) {
    auto a = ctx.sessions.authenticate(req);
    if (!a)
        throw ApiError(401, "unauthenticated",
                       "Votre session a expiré ou vous n'êtes pas connecté. Reconnectez-vous.");
    if (req.is_mutating() && !ctx.sessions.csrf_ok(req, *a))
        throw ApiError(
            403, "csrf_failed",
            "Jeton de sécurité (CSRF) manquant ou invalide. Rechargez la page et réessayez.");
    auth::require_token_scope(a->token, req.is_mutating());
    return std::move(*a);
}

auth::Authed require_admin(const Context& ctx, const http::Request& req) {
    auto a = require_user(ctx, req);
    auth::require_admin(a.user);
    return a;
}

void audit(const Context& ctx, const auth::Authed& a, const http::Request& req,
           const std::string& action, const std::string& target_type, const std::string& target_id,
           const boost::json::object& details) {
    if (!a.token) {
        store::audit(ctx.store, store::Actor::of(a.user, req.remote_ip), action, target_type,
                     target_id, details);
        return;
    }
    // Done by one of the user's tools: the journal says which ("via l'application Sonarr").
    auto with_app = details;
    with_app["via_token"] = a.token->name;
    store::audit(ctx.store, store::Actor::of(a.user, req.remote_ip), action, target_type, target_id,
                 with_app);
}

bool registration_open(const Context& ctx) {
    return store::flag(ctx.store, settings::registration_open) &&
           store::flag(ctx.store, settings::local_login);
}

auth::FolderInUse folder_in_use(const Context& ctx) {
    // A user's folder is theirs on every server: free under each server's root.
    std::vector<std::pair<std::int64_t, std::string>> roots{
        {1, download::load_settings(ctx.store).storage_root}};
    if (ctx.servers)
        for (const auto& srv : ctx.servers->list())
            if (srv.id != 1 && !srv.download_root.empty())
                roots.emplace_back(srv.id, srv.download_root);
    return [roots, registry = ctx.registry](const std::string& name) {
        for (const auto& [server, root] : roots) {
            auto dir = download::user_dir(root, name);
            if (dir.empty()) continue;
            // essaim sees server 1's disk (and those it serves directly) as its own.
            if (download::exists_on_disk(dir) || (registry && registry->occupies(server, dir)))
                return true;
        }
        return false;
    };
}

boost::json::object me_json(const Context& ctx, const store::User& u) {
    auto o = user_json(u);
    auto usage = ctx.registry ? qbt::usage_of(*ctx.registry->snapshot(), u.id) : auth::Usage{};
    o["usage"] = boost::json::object{
        {"torrents", usage.torrents}, {"active", usage.active}, {"disk_used", usage.disk_used}};
    o["limits"] = auth::limits_json(auth::parse_limits(u.limits_json));
    o["notify_email"] = u.notify_email;
    o["webhook_url"] =
        u.webhook_url ? boost::json::value(*u.webhook_url) : boost::json::value(nullptr);
    return o;
}

boost::json::object user_json(const store::User& u) {
    boost::json::array perms;
    for (const auto& p : u.permissions) perms.emplace_back(p);
    boost::json::object o{
        {"id", u.id},
        {"username", u.username},
        {"display_name", u.display_name},
        {"email", nullptr},
        {"role", u.role},
        {"group", boost::json::object{{"id", u.group_id}, {"name", u.group_name}}},
        {"permissions", std::move(perms)},
        {"created_at", u.created_at},
        {"last_login_at", nullptr}};
    if (u.email) o["email"] = *u.email;
    if (u.last_login_at) o["last_login_at"] = *u.last_login_at;
    return o;
}

}  // namespace essaim::api
