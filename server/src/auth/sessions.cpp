#include "auth/sessions.hpp"

#include "auth/api_tokens.hpp"
#include "auth/csrf.hpp"
#include "auth/jwt.hpp"
#include "auth/policy.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <ctime>

namespace essaim::auth {

SessionService::Issued SessionService::issue(const store::User& u, const std::string& ip,
                                             const std::string& user_agent,
                                             std::optional<std::int64_t> api_token_id) {
    auto now = util::unix_now();
    Issued s;
    s.session_id = crypto::random_token(18);
    s.expires_at = now + ttl_;
    store_.create_session({s.session_id, u.id, now, s.expires_at, ip, user_agent, api_token_id});
    s.token = jwt_encode({u.id, u.token_version, s.session_id, now, s.expires_at}, key_);
    s.csrf = csrf_token_for(s.session_id, key_);
    return s;
}

void SessionService::set_cookies(http::Response& r, const Issued& s) const {
    r.headers.emplace_back("Set-Cookie",
                           http::make_set_cookie(kSessionCookie, s.token, {true, secure_, ttl_}));
    r.headers.emplace_back("Set-Cookie",
                           http::make_set_cookie(kCsrfCookie, s.csrf, {false, secure_, ttl_}));
}

std::string SessionService::tool_cookie(const Issued& s) const {
    return http::make_set_cookie(kToolCookie, s.token, {true, secure_, ttl_});
}

void SessionService::clear_cookies(http::Response& r) const {
    r.headers.emplace_back("Set-Cookie",
                           http::make_set_cookie(kSessionCookie, "", {true, secure_, 0}));
    r.headers.emplace_back("Set-Cookie",
                           http::make_set_cookie(kCsrfCookie, "", {false, secure_, 0}));
}

std::optional<Authed> SessionService::authenticate(const http::Request& req) const {
    std::string token;
    bool bearer = false;
    auto authz = req.header("authorization");
    if (authz.size() > 7 && (authz.starts_with("Bearer ") || authz.starts_with("bearer "))) {
        token = std::string(authz.substr(7));
        bearer = true;
    } else if (auto c = req.cookie(kSessionCookie)) {
        token = *c;
    }
    auto a = by_credential(token, bearer, req);
    // Behind a signing-in proxy, its word wins over an older session of someone else.
    if (a && !bearer)
        if (auto vouched = proxy_user(*proxy_auth(), req))
            if (store_.user_for_identity(kProxyIssuer, *vouched) != a->user.id) return std::nullopt;
    return a;
}

std::shared_ptr<const ProxyAuth> SessionService::proxy_auth() const {
    auto now = util::unix_now();
    std::lock_guard lock(proxy_mu_);
    if (now - proxy_read_at_ >= 5) {
        proxy_ = std::make_shared<const ProxyAuth>(auth::proxy_auth_of(store_));
        proxy_read_at_ = now;
    }
    return proxy_;
}

std::optional<Authed> SessionService::authenticate_tool(const http::Request& req) const {
    auto authz = req.header("authorization");
    if (authz.size() > 7 && (authz.starts_with("Bearer ") || authz.starts_with("bearer "))) {
        std::string token(authz.substr(7));
        // Only API tokens: a web session's JWT is no tool's credential.
        if (!is_api_token(token)) return std::nullopt;
        return by_credential(token, true, req);
    }
    auto c = req.cookie(kToolCookie);
    if (!c) return std::nullopt;
    // A session opened by qBittorrent's auth/login (with a token, or with the account's password
    // where the administrator allows it): the group must still allow tools.
    auto a = by_credential(*c, false, req);
    if (!a || !may_use_token(a->user)) return std::nullopt;
    return a;
}

std::optional<Authed> SessionService::by_credential(const std::string& token, bool bearer,
                                                    const http::Request& req) const {
    if (token.empty() || token.size() > 4096) return std::nullopt;
    auto now = util::unix_now();
    if (bearer && is_api_token(token)) return by_api_token(token, req, now);
    auto claims = jwt_decode(token, key_, now);
    if (!claims) return std::nullopt;
    auto who = store_.user_for_session(claims->session_id, claims->user_id, now);
    if (!who || who->user.disabled || who->user.token_version != claims->token_version)
        return std::nullopt;
    // A session opened with a token (qBittorrent's auth/login) lives under the token's rules.
    if (who->token &&
        (!may_use_token(who->user) || (who->token->expires_at && *who->token->expires_at <= now)))
        return std::nullopt;
    // ... and only on the qBittorrent-compatible API: its SID is no key to the web app's /api.
    if (who->token && !bearer && !req.cookie(kToolCookie)) return std::nullopt;
    return Authed{std::move(who->user), claims->session_id, bearer, std::move(who->token)};
}

std::optional<Authed> SessionService::by_api_token(std::string_view token, const http::Request& req,
                                                   std::int64_t now) const {
    auto who = store_.user_for_api_token(api_token_hash(token), now);
    if (!who || !who->token || !may_use_token(who->user)) return std::nullopt;
    record_use(who->token->id, req.remote_ip, now);
    return Authed{std::move(who->user), "", true, std::move(who->token)};
}

void SessionService::record_use(std::int64_t token_id, const std::string& ip,
                                std::int64_t now) const {
    {
        // One write a minute at most per token, however often a tool polls.
        std::lock_guard lock(touched_mu_);
        auto& last = touched_[token_id];
        if (now - last < 60) return;
        last = now;
        if (touched_.size() > 10000) touched_.clear();
    }
    try {
        store_.touch_api_token(token_id, now, ip);
    } catch (const std::exception&) {
        // A full disk must not refuse the request: the last use is only informative.
    }
}

bool SessionService::csrf_ok(const http::Request& req, const Authed& a) const {
    return a.via_bearer || csrf_valid(req.header(kCsrfHeader), a.session_id, key_);
}

std::string SessionService::derived_key(std::string_view label) const {
    return crypto::hmac_sha256(key_, label);
}

}  // namespace essaim::auth
