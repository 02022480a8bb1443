// API tokens (issue 19): what one looks like and how it is kept. A token is "essaim_" followed
// by 32 random bytes in base64url; only its SHA-256 (hex) is stored, so a stolen database gives
// no usable token. Pure functions, any thread.
#pragma once

#include <string>
#include <string_view>

namespace essaim::auth {

inline constexpr std::string_view kApiTokenPrefix = "essaim_";

// A new token: shown once to its owner, never stored.
std::string new_api_token();
// What the store keeps and looks a token up by.
std::string api_token_hash(std::string_view token);
// Whether a bearer credential is an API token (rather than a session's JWT).
bool is_api_token(std::string_view credential);

}  // namespace essaim::auth
