// qBittorrent's sync/maindata state, rebuilt from its full update and deltas. Pure: no I/O.
//
// maindata answers {"rid":N,"full_update":true,...} (replace everything) or a delta where only
// changed keys are present, `torrents` keyed by hash (no "hash" field inside), removals in
// `torrents_removed`. A full update can come at any time (e.g. after a re-login), so apply()
// handles both.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace essaim::qbt {

struct TorrentInfo {
    std::string hash, infohash_v1, infohash_v2, name, state, save_path, content_path, tracker, tags,
        category;
    double progress = 0, ratio = 0;
    std::int64_t size = 0, total_size = 0, downloaded = 0, uploaded = 0, dlspeed = 0, upspeed = 0,
                 eta = 0;
    std::int64_t num_seeds = 0, num_leechs = 0, num_complete = 0, num_incomplete = 0;
    std::int64_t added_on = 0, completion_on = 0, amount_left = 0;
};

struct ServerState {
    std::int64_t dl_info_speed = 0, up_info_speed = 0, dl_info_data = 0, up_info_data = 0;
    std::int64_t free_space_on_disk = -1;
    std::string connection_status;
};

struct MainDataDelta {
    bool full = false;
    std::vector<std::string> changed;  // hashes added or modified
    std::vector<std::string> removed;
    bool server_changed = false;
    bool empty() const { return !full && changed.empty() && removed.empty() && !server_changed; }
};

class MainData {
  public:
    std::int64_t rid() const { return rid_; }
    bool complete() const { return complete_; }  // a full update has been applied
    // Throws std::runtime_error on a malformed document (state unchanged then).
    MainDataDelta apply(const boost::json::object& md);
    void reset();
    const std::unordered_map<std::string, TorrentInfo>& torrents() const { return torrents_; }
    const ServerState& server() const { return server_; }

  private:
    std::int64_t rid_ = 0;
    bool complete_ = false;
    std::unordered_map<std::string, TorrentInfo> torrents_;
    ServerState server_;
};

// qBittorrent state → essaim state (see docs/api-torrents.md).
std::string_view essaim_state(std::string_view qbt_state);
// Completed torrents: progress 1 with a completion time, or an upload-side state.
bool is_complete(const TorrentInfo& t);

}  // namespace essaim::qbt
