// Small pure pieces of qBittorrent's Web API: version numbers, form encoding, typed answers.
#pragma once

#include <boost/json/fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

// One entry of torrents/files: `path` is relative to the torrent's save path, '/' separated
// ("Folder/sub/file.mkv" for a multi-file torrent).
struct TorrentFile {
    std::string path;
    std::int64_t size = 0;
    double progress = 0;
    std::int64_t priority = 1;
    std::int64_t index = 0;
};
// torrents/files' answer, typed; entries without a name are skipped, missing numbers are 0.
std::vector<TorrentFile> parse_torrent_files(const boost::json::value& v);

}  // namespace essaim::qbt
