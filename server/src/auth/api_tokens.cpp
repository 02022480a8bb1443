#include "auth/api_tokens.hpp"

#include "util/crypto.hpp"

namespace essaim::auth {

std::string new_api_token() {
    return std::string(kApiTokenPrefix) + crypto::random_token(32);
}

std::string api_token_hash(std::string_view token) {
    return crypto::hex_encode(crypto::sha256(token));
}

bool is_api_token(std::string_view credential) {
    return credential.starts_with(kApiTokenPrefix) && credential.size() < 200;
}

}  // namespace essaim::auth
