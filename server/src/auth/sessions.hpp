// Sessions: issue, authenticate and revoke. A session is a row in the store plus a signed JWT
// in an HttpOnly cookie; the JWT alone is never enough (the row must exist, the user must be
// enabled and the token_version must match), so logout and password changes take effect at once.
#pragma once

#include "auth/proxy_auth.hpp"
#include "http/message.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace essaim::auth {

constexpr const char* kSessionCookie = "essaim_session";
constexpr const char* kCsrfCookie = "csrf_token";
constexpr const char* kCsrfHeader = "x-csrf-token";
// qBittorrent's session cookie, for the tools of the qBittorrent-compatible API (qbtapi/).
constexpr const char* kToolCookie = "SID";

struct Authed {
    store::User user;
    std::string session_id;   // "" for a request with an API token
    bool via_bearer = false;  // scripts: Authorization: Bearer, no CSRF needed
    // The API token the request came with, or the session was opened with (qBittorrent's
    // auth/login): its scope (read-only) and name (the journal's "via l'application …").
    std::optional<store::ApiToken> token;
};

class SessionService {
  public:
    SessionService(store::Store& store, std::string key, bool secure_cookies,
                   std::int64_t ttl_seconds = 7 * 24 * 3600)
        : store_(store), key_(std::move(key)), secure_(secure_cookies), ttl_(ttl_seconds) {}

    struct Issued {
        std::string token;
        std::string session_id;
        std::string csrf;
        std::int64_t expires_at = 0;
    };
    // `api_token_id`: a tool's session (qBittorrent's auth/login), which ends with its token.
    Issued issue(const store::User& u, const std::string& ip, const std::string& user_agent,
                 std::optional<std::int64_t> api_token_id = std::nullopt);
    // Set-Cookie for a tool's session: SID=<token>, as qBittorrent sets it.
    std::string tool_cookie(const Issued& s) const;
    // Adds the Set-Cookie headers for a new session / for clearing both cookies.
    void set_cookies(http::Response& r, const Issued& s) const;
    void clear_cookies(http::Response& r) const;

    // The session's user, or nullopt (missing, malformed, expired, revoked, disabled user,
    // stale token_version). `Authorization: Bearer essaim_…` is an API token instead: its
    // user while the token is neither revoked nor expired and the user may use tokens
    // (auth/policy); its last use is recorded at most once a minute.
    std::optional<Authed> authenticate(const http::Request& req) const;
    // The same for the qBittorrent-compatible API: the SID cookie of a tool's session
    // (qBittorrent's auth/login), or `Authorization: Bearer essaim_…`, while the user's group
    // allows tools (use_api). The web app's cookie is not accepted there (a tool's requests
    // carry no CSRF proof), nor a token's SID on /api.
    std::optional<Authed> authenticate_tool(const http::Request& req) const;
    // True when the request carries the CSRF token bound to this session.
    bool csrf_ok(const http::Request& req, const Authed& a) const;

    void revoke(const std::string& session_id) { store_.delete_session(session_id); }

    // A key of its own for another use of essaim's secret (the OpenID login cookie's seal):
    // HMAC-SHA256(secret, label), so no two uses ever share a key.
    std::string derived_key(std::string_view label) const;
    bool secure_cookies() const { return secure_; }
    // The proxy sign-in's settings, re-read at most every 5 s (auth/proxy_auth.hpp): a shared
    // snapshot, as every request asks for it.
    std::shared_ptr<const ProxyAuth> proxy_auth() const;

  private:
    std::optional<Authed> by_credential(const std::string& token, bool bearer,
                                        const http::Request& req) const;
    std::optional<Authed> by_api_token(std::string_view token, const http::Request& req,
                                       std::int64_t now) const;
    void record_use(std::int64_t token_id, const std::string& ip, std::int64_t now) const;

    store::Store& store_;
    mutable std::mutex proxy_mu_;
    mutable std::shared_ptr<const ProxyAuth> proxy_;
    mutable std::int64_t proxy_read_at_ = -1000;
    mutable std::mutex touched_mu_;
    mutable std::unordered_map<std::int64_t, std::int64_t> touched_;  // token id → last recorded
    std::string key_;
    bool secure_;
    std::int64_t ttl_;
};

}  // namespace essaim::auth
