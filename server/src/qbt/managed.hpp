// A private qbittorrent-nox run by essaim when no qBittorrent server is configured, so that a
// newcomer gets a working seedbox from `make run` alone.
//
// Profile, downloads and credentials live under <data_dir>/qbittorrent/ (0700). The WebUI listens
// on 127.0.0.1 only, with a generated user/password (PBKDF2 hash written into qBittorrent.conf
// before the first start, as qBittorrent expects); essaim keeps the password sealed with its
// secret key in essaim-credentials.json (0600). On restart, a still-running instance of the
// same profile (pid file) is adopted instead of started twice. stop() sends SIGTERM and waits.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

namespace essaim::store {
class SettingsCipher;
}

namespace essaim::qbt {

struct ManagedInfo {
    std::string url;  // http://127.0.0.1:PORT
    std::string username;
    std::string password;
    std::string save_path;  // <data_dir>/qbittorrent/downloads
};

class ManagedQbittorrent {
  public:
    // network: "internet" (BitTorrent on every interface, DHT/PeX/LSD on) or "loopback"
    // (BitTorrent on lo only, no DHT/PeX/LSD: tests and offline machines).
    ManagedQbittorrent(std::string data_dir, std::string network,
                       std::shared_ptr<const store::SettingsCipher> cipher);
    ~ManagedQbittorrent();
    ManagedQbittorrent(const ManagedQbittorrent&) = delete;
    ManagedQbittorrent& operator=(const ManagedQbittorrent&) = delete;

    // Starts (or adopts) the process and waits until its WebUI accepts connections.
    // Throws std::runtime_error with a French message when qbittorrent-nox is missing or fails.
    ManagedInfo start(int timeout_seconds = 30);
    void stop();
    pid_t pid() const { return pid_; }

  private:
    std::string dir_;
    std::string network_;
    std::shared_ptr<const store::SettingsCipher> cipher_;
    pid_t pid_ = -1;
    bool own_child_ = false;
};

// "@ByteArray(base64(salt):base64(PBKDF2-HMAC-SHA512(password, salt, 100000, 64)))"
std::string qbittorrent_password_hash(const std::string& password, const std::string& salt);

}  // namespace essaim::qbt
