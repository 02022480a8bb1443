// JWT, HS256 only. The header is fixed ({"alg":"HS256","typ":"JWT"}); a token whose header
// names any other algorithm ("none", RS256, …) is refused, whatever its signature.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace essaim::auth {

struct SessionClaims {
    std::int64_t user_id = 0;
    std::int64_t token_version = 0;  // bumped by "log out everywhere" and password changes
    std::string session_id;          // revocable by logout
    std::int64_t issued_at = 0;
    std::int64_t expires_at = 0;
};

std::string jwt_encode(const SessionClaims& c, std::string_view key);
// nullopt when malformed, not HS256, badly signed, or expired at `now`.
std::optional<SessionClaims> jwt_decode(std::string_view token, std::string_view key,
                                        std::int64_t now);

}  // namespace essaim::auth
