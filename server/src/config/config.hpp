// Start-up configuration: defaults < TOML file (--config) < environment (ESSAIM_*).
// Settings that the admin can change in the app (qBittorrent, Jackett, downloads) are only
// initial values here; the database holds the live ones.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace essaim::config {

struct Config {
    std::string listen = "127.0.0.1:8080";
    std::string data_dir = "./data";
    std::string
        base_url;         // public URL, e.g. https://essaim.example.org (Secure cookies when https)
    std::string web_dir;  // built SPA (web/dist); empty = look for ./web/dist
    std::string database_url;  // empty = sqlite in data_dir
    std::string secret;        // JWT/cookie key; empty = generated into data_dir/secret.key
    std::string log_level = "info";
    int threads = 0;                           // I/O threads; 0 = number of cores
    int workers = 8;                           // blocking-work threads
    std::size_t max_body_bytes = 1024 * 1024;  // JSON bodies
    std::size_t max_upload_bytes = 32u << 20;  // multipart uploads (.torrent files)
    // Abuse limits (issue 16): open connections in all (lowered below the descriptor limit at
    // start) and per client address; live sockets per user (a new one closes the oldest).
    int max_connections = 4096;
    int max_connections_per_ip = 512;
    int max_websockets_per_user = 20;

    // qBittorrent (initial values)
    std::string qbt_url;
    std::string qbt_username;
    std::string qbt_password;
    // Start a private qbittorrent-nox when no qBittorrent is configured. nullopt = auto (yes).
    std::optional<bool> qbt_managed;
    // "internet" (default: BitTorrent on every interface) or "loopback" (tests: lo only, no DHT).
    std::string qbt_managed_network = "internet";

    // Jackett (initial values)
    std::string jackett_url;
    std::string jackett_api_key;
    int jackett_timeout = 0;  // seconds; 0 = default (30)

    // Downloads (initial values)
    std::string download_base_url;
    std::string download_root;
    std::string download_secret;
    bool download_direct = false;

    bool secure_cookies() const { return base_url.rfind("https://", 0) == 0; }
    std::string sqlite_path() const;  // resolved from database_url / data_dir
};

using Getenv = std::function<const char*(const char*)>;

// The secret key in effect, read only: `secret` when set, else the content of
// data_dir/secret.key; nullopt when neither exists (`serve` creates the file:
// app/bootstrap's load_or_create_secret, which also checks its length).
std::optional<std::string> existing_secret(const Config& cfg);

// Throws std::runtime_error with a French message naming the bad key or file.
Config load(const std::optional<std::string>& file, const Getenv& getenv);

// "127.0.0.1:8080" → {"127.0.0.1", 8080}; "[::1]:80" → {"::1", 80}. Throws on a bad value.
std::pair<std::string, std::uint16_t> split_host_port(const std::string& listen);
// Where a command on this machine reaches the running essaim: the listen address with a
// wildcard host (0.0.0.0, ::) replaced by loopback; the host bare (no brackets).
std::pair<std::string, std::uint16_t> local_endpoint(const Config& cfg);
// The same as "http://host:port" (an IPv6 host in brackets).
std::string local_url(const Config& cfg);

}  // namespace essaim::config
