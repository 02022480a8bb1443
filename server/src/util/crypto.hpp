// Small wrappers over OpenSSL and libsodium: random bytes, base64url, HMAC, digests.
// Every function here is pure (apart from the random source) and safe to call from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace essaim::crypto {

// Cryptographically secure random bytes (libsodium's randombytes_buf).
std::string random_bytes(std::size_t n);
// n random bytes rendered as base64url without padding: handy for tokens and passwords.
std::string random_token(std::size_t n_bytes);

std::string base64url_encode(std::string_view bytes);                // no '=' padding
std::optional<std::string> base64url_decode(std::string_view text);  // accepts missing padding
std::string base64_encode(std::string_view bytes);                   // standard alphabet, padded
std::string hex_encode(std::string_view bytes);

std::string hmac_sha256(std::string_view key, std::string_view data);  // 32 raw bytes
std::string sha256(std::string_view data);                             // 32 raw bytes
std::string sha1(std::string_view data);                               // 20 raw bytes
std::string md5(std::string_view data);                                // 16 raw bytes
// PBKDF2-HMAC-SHA512 (what qBittorrent stores as WebUI\Password_PBKDF2).
std::string pbkdf2_sha512(std::string_view password, std::string_view salt, int iterations,
                          std::size_t length);

// Comparison whose time does not depend on where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace essaim::crypto
