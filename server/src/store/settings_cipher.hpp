// Secrets in the settings table (qBittorrent password, Jackett API key, download secret, SMTP
// password) are stored sealed: XSalsa20-Poly1305 (libsodium secretbox) under a key derived from
// essaim's secret key (data_dir/secret.key, or ESSAIM_SECRET) — which never enters the database.
// A copy of essaim.db alone does not reveal them. Format: "enc:v1:" + base64url(nonce || box).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace essaim::store {

bool is_secret_setting(std::string_view key);

class SettingsCipher {
  public:
    // `master_key`: essaim's secret key (≥ 32 bytes); the box key is HMAC-SHA256(master, label).
    explicit SettingsCipher(std::string_view master_key);
    std::string seal(std::string_view plain) const;
    // The plain text, or nullopt when `stored` is not sealed with this key (key changed, damage).
    std::optional<std::string> open(std::string_view stored) const;
    static bool is_sealed(std::string_view stored);

  private:
    std::string key_;  // 32 bytes
};

}  // namespace essaim::store
