// argon2id password hashing (libsodium, "interactive" limits: ~70 ms, 64 MiB per hash).
// Hashes are self-describing PHC strings ($argon2id$v=19$m=…), so limits can change later:
// needs_rehash() tells when a stored hash uses older parameters.
#pragma once

#include <string>
#include <string_view>

namespace essaim::auth {

std::string hash_password(std::string_view password);
bool verify_password(std::string_view stored_hash, std::string_view password);
bool needs_rehash(std::string_view stored_hash);
// A hash of a random password, verified against when a user does not exist so that the
// response time does not tell whether a user name is taken.
const std::string& dummy_hash();

}  // namespace essaim::auth
