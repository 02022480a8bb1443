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

// The fields only the qBittorrent-compatible API shows (qbtapi/), kept as qBittorrent sends them
// (its defaults when it sends none: -2 = "the global setting", -1 = unlimited). Not kept:
// magnet_uri (~200 bytes a torrent, twice), which qbtapi writes from the ids, name and tracker.
struct TorrentExtra {
    std::string download_path;
    double max_ratio = -1, ratio_limit = -2, availability = 0;
    std::int64_t max_seeding_time = -1, seeding_time_limit = -2, inactive_seeding_time_limit = -2,
                 max_inactive_seeding_time = -1, seeding_time = 0, time_active = 0,
                 last_activity = 0, seen_complete = 0, completed = 0, downloaded_session = 0,
                 uploaded_session = 0, dl_limit = 0, up_limit = 0, priority = 0, trackers_count = 0;
    bool auto_tmm = false, force_start = false, seq_dl = false, f_l_piece_prio = false,
         super_seeding = false;
};

struct TorrentInfo {
    std::string hash, infohash_v1, infohash_v2, name, state, save_path, content_path, tracker, tags,
        category;
    double progress = 0, ratio = 0;
    std::int64_t size = 0, total_size = 0, downloaded = 0, uploaded = 0, dlspeed = 0, upspeed = 0,
                 eta = 0;
    std::int64_t num_seeds = 0, num_leechs = 0, num_complete = 0, num_incomplete = 0;
    std::int64_t added_on = 0, completion_on = 0, amount_left = 0;
    TorrentExtra extra;
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
