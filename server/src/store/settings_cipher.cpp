#include "store/settings_cipher.hpp"

#include "settings/table.hpp"
#include "util/crypto.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace essaim::store {
namespace {
constexpr std::string_view kPrefix = "enc:v1:";
}

bool is_secret_setting(std::string_view key) {
    return settings::is_secret(key);
}

SettingsCipher::SettingsCipher(std::string_view master_key)
    : key_(crypto::hmac_sha256(master_key, "essaim settings secretbox v1")) {
    static_assert(crypto_secretbox_KEYBYTES == 32);
    if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
}

bool SettingsCipher::is_sealed(std::string_view stored) {
    return stored.starts_with(kPrefix);
}

std::string SettingsCipher::seal(std::string_view plain) const {
    std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
    auto* nonce = reinterpret_cast<unsigned char*>(out.data());
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), nonce,
                          reinterpret_cast<const unsigned char*>(key_.data()));
    return std::string(kPrefix) + crypto::base64url_encode(out);
}

std::optional<std::string> SettingsCipher::open(std::string_view stored) const {
    if (!is_sealed(stored)) return std::nullopt;
    auto raw = crypto::base64url_decode(stored.substr(kPrefix.size()));
    if (!raw || raw->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return std::nullopt;
    const auto* nonce = reinterpret_cast<const unsigned char*>(raw->data());
    std::size_t box = raw->size() - crypto_secretbox_NONCEBYTES;
    std::string plain(box - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                   nonce + crypto_secretbox_NONCEBYTES, box, nonce,
                                   reinterpret_cast<const unsigned char*>(key_.data())) != 0)
        return std::nullopt;
    return plain;
}

}  // namespace essaim::store
