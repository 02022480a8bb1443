// Download settings (from the settings table) and what is derived from them: the signed URL of a
// file, and the nginx configuration that checks those URLs on the qBittorrent machine.
//
// Two modes. nginx mode: `base_url` (e.g. "https://seedbox.example/dl/") is served by nginx with
// `alias <root>/`. Direct mode (one-machine installs): essaim serves "/dl/…" itself, checking the
// same signature, and can stream a folder as "/zip/…". In both modes the signed URI is the decoded
// path of the URL, so one signer serves both.
#pragma once

#include "download/layout.hpp"

#include "store/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace essaim::download {

struct Settings {
    std::string base_url;  // always ends with '/'; "/dl/" in direct mode
    std::string root;      // qBittorrent-side directory that base_url maps to (no trailing '/')
    // Where users' folders are made: `root`, or qBittorrent's default save path when no download
    // root is set (downloads not configured yet). Torrents go to <storage_root>/<user folder>/.
    std::string storage_root;
    std::string secret;
    std::int64_t ttl = 6 * 3600;  // settings::download_ttl
    bool bind_ip = false;         // the client address is part of the hash ($remote_addr)
    bool direct = false;

    bool configured() const { return !root.empty() && !secret.empty() && !base_url.empty(); }
    // Decoded path of base_url: the "$uri" prefix that is signed, e.g. "/dl/".
    std::string uri_prefix() const;
};

// Reads download_base_url, download_root, download_secret, download_ttl, download_bind_ip,
// download_direct (and qbt_save_path for storage_root). Invalid numbers fall back to the
// defaults.
Settings load_settings(store::Store& s);

// The download settings of a server other than server 1 (issue 20), from `base` (server 1's:
// the secret, lifetime and address binding are shared): its own root and link base URL. Without
// a base URL essaim serves that server's files itself (it must see `download_root`) under
// "/dl/~<id>/", a prefix no user folder can take (download/layout.hpp).
Settings server_settings(const Settings& base, std::int64_t id, const std::string& download_root,
                         const std::string& download_base_url);

struct Link {
    std::string url;  // absolute when base_url (or `origin`) gives one
    std::int64_t expires = 0;
};

// The signed URL of `rel` (a clean path relative to the root). `origin` ("http://host:port") is
// prefixed when base_url is a bare path (direct mode). `ip` is used only when bind_ip is set.
Link file_link(const Settings& s, std::string_view rel, std::int64_t now, std::string_view origin,
               std::string_view ip);
// The nginx configuration matching `s`, in French comments, ready to paste: a `map` for the http
// block and the `location` for the server block. `secret_shown` replaces the secret (the web
// page shows a placeholder; `essaim nginx-snippet` on the server prints the real one).
std::string nginx_snippet(const Settings& s, std::string_view secret_shown);

}  // namespace essaim::download
