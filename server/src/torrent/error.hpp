// Errors of the torrent/ module: a stable snake_case code (API error code) and a French message.
#pragma once

#include <stdexcept>
#include <string>

namespace essaim::torrent {

struct TorrentError : std::runtime_error {
    TorrentError(std::string code, const std::string& french_message)
        : std::runtime_error(french_message), code(std::move(code)) {}
    std::string code;  // "invalid_torrent", "invalid_magnet", "torrent_too_large", …
};

}  // namespace essaim::torrent
