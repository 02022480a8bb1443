#include "auth/password.hpp"

#include "util/crypto.hpp"

#include <sodium.h>

#include <stdexcept>

namespace essaim::auth {

std::string hash_password(std::string_view password) {
    crypto::random_bytes(0);  // makes sure libsodium is initialised
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(
            out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("argon2id: out of memory");
    return out;
}

bool verify_password(std::string_view stored_hash, std::string_view password) {
    crypto::random_bytes(0);
    // crypto_pwhash_str_verify needs a NUL-terminated string.
    std::string h(stored_hash);
    return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(std::string_view stored_hash) {
    std::string h(stored_hash);
    return crypto_pwhash_str_needs_rehash(h.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

const std::string& dummy_hash() {
    static const std::string h = hash_password(crypto::random_token(16));
    return h;
}

}  // namespace essaim::auth
