// Small pure pieces of qBittorrent's Web API: version numbers, typed answers.
#pragma once

#include <boost/json/fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace essaim::qbt {

struct ApiVersion {
    int major = 0, minor = 0, patch = 0;
    std::string text() const {
        return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
    }
    // qBittorrent 5 (WebAPI 2.11.0) renamed pause/resume to stop/start, pausedUP to stoppedUP
    // and the add parameter `paused` to `stopped`.
    bool stop_start() const { return major > 2 || (major == 2 && minor >= 11); }
};
ApiVersion parse_api_version(const std::string& s);

// One entry of torrents/files: `path` is relative to the torrent's save path, '/' separated
// ("Folder/sub/file.mkv" for a multi-file torrent).
struct TorrentFile {
    std::string path;
    std::int64_t size = 0;
    double progress = 0;
    std::int64_t priority = 1;
    std::int64_t index = 0;
};
// torrents/properties, the fields essaim shows.
struct TorrentProperties {
    std::optional<std::int64_t> piece_size;
    std::string comment;
};
TorrentProperties parse_properties(const boost::json::value& v);

// One row of torrents/trackers: a real tracker (qBittorrent's DHT, PeX and LSD rows, "** [",
// are left out), its state as qBittorrent numbers it and its last message.
struct Tracker {
    enum class Status { disabled, not_contacted, working, updating, not_working };
    std::string url;
    Status status = Status::not_working;
    std::string message;
};
std::vector<Tracker> parse_trackers(const boost::json::value& v);
// "disabled" | "not_contacted" | "working" | "updating" | "not_working" (the API's names).
const char* status_name(Tracker::Status s);

// torrents/files' answer, typed; entries without a name are skipped, missing numbers are 0.
std::vector<TorrentFile> parse_torrent_files(const boost::json::value& v);

}  // namespace essaim::qbt
