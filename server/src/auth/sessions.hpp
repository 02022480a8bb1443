// Sessions: issue, authenticate and revoke. A session is a row in the store plus a signed JWT
// in an HttpOnly cookie; the JWT alone is never enough (the row must exist, the user must be
// enabled and the token_version must match), so logout and password changes take effect at once.
#pragma once

#include "http/message.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace essaim::auth {

constexpr const char* kSessionCookie = "essaim_session";
constexpr const char* kCsrfCookie = "csrf_token";
constexpr const char* kCsrfHeader = "x-csrf-token";

struct Authed {
    store::User user;
    std::string session_id;
    bool via_bearer = false;  // scripts: Authorization: Bearer, no CSRF needed
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
    Issued issue(const store::User& u, const std::string& ip, const std::string& user_agent);
    // Adds the Set-Cookie headers for a new session / for clearing both cookies.
    void set_cookies(http::Response& r, const Issued& s) const;
    void clear_cookies(http::Response& r) const;

    // The session's user, or nullopt (missing, malformed, expired, revoked, disabled user,
    // stale token_version).
    std::optional<Authed> authenticate(const http::Request& req) const;
    // True when the request carries the CSRF token bound to this session.
    bool csrf_ok(const http::Request& req, const Authed& a) const;

    void revoke(const std::string& session_id) { store_.delete_session(session_id); }

  private:
    store::Store& store_;
    std::string key_;
    bool secure_;
    std::int64_t ttl_;
};

}  // namespace essaim::auth
