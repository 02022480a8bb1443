// Small pure pieces of qBittorrent's Web API: version numbers and form encoding.
#pragma once

#include <string>
#include <string_view>

namespace essaim::qbt {

struct ApiVersion {
    int major = 0, minor = 0, patch = 0;
    // qBittorrent 5 (WebAPI 2.11.0) renamed pause/resume to stop/start, pausedUP to stoppedUP
    // and the add parameter `paused` to `stopped`.
    bool stop_start() const { return major > 2 || (major == 2 && minor >= 11); }
};
ApiVersion parse_api_version(const std::string& s);

// application/x-www-form-urlencoded value (RFC 3986 unreserved characters kept).
std::string form_encode(std::string_view v);

}  // namespace essaim::qbt
