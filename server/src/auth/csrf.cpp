#include "auth/csrf.hpp"

#include "util/crypto.hpp"

namespace essaim::auth {

std::string csrf_token_for(std::string_view session_id, std::string_view key) {
    return crypto::base64url_encode(crypto::hmac_sha256(key, "csrf:" + std::string(session_id)));
}

bool csrf_valid(std::string_view header_value, std::string_view session_id, std::string_view key) {
    if (header_value.empty() || session_id.empty()) return false;
    return crypto::constant_time_equal(header_value, csrf_token_for(session_id, key));
}

}  // namespace essaim::auth
