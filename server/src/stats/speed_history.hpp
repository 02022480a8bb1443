// Speed history for the charts, fed once a second from the sync loop's latest snapshot (no
// request of its own to qBittorrent). Bounded memory whatever the uptime:
//   10 min at 1 s (600 points), 1 h at 10 s (360), 24 h at 4 min (360) for the global speeds;
//   the same per qBittorrent server when there are several (the global ones are their sum);
//   per torrent, the last 10 min at 1 s, kept only for torrents that moved in that window.
// In memory: a page reload keeps the history; a restart of essaim starts it again.
// Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace essaim::stats {

struct Sample {
    std::int64_t t = 0;           // unix seconds
    std::int64_t dl = 0, up = 0;  // bytes/s
};

enum class Range { ten_minutes, hour, day };

class SpeedHistory {
  public:
    // `torrents`: (hash, dl, up) of every torrent at this instant.
    void add(std::int64_t t, std::int64_t dl, std::int64_t up,
             const std::vector<std::pair<std::string, Sample>>& torrents = {});
    std::vector<Sample> global(Range r) const;
    // One server's speeds (several servers); a server removed is forgotten with forget_servers.
    void add_server(std::int64_t server, std::int64_t t, std::int64_t dl, std::int64_t up);
    std::vector<Sample> server(std::int64_t id, Range r) const;
    std::vector<Sample> torrent(const std::string& hash) const;
    static std::int64_t step(Range r);  // seconds between points
    std::size_t tracked_torrents() const;
    bool tracks(const std::string& hash) const;  // idle torrents still in the 10 min window

  private:
    struct Ring {
        std::size_t capacity;
        std::int64_t step;
        std::deque<Sample> points;
        Sample acc;  // being averaged
        std::int64_t acc_n = 0, acc_bucket = -1;
        void add(const Sample& s);
    };
    mutable std::mutex mu_;
    using Rings = std::array<Ring, 3>;
    static Rings fresh_rings() {
        return {Ring{600, 1, {}, {}, 0, -1}, Ring{360, 10, {}, {}, 0, -1},
                Ring{360, 240, {}, {}, 0, -1}};
    }
    static std::vector<Sample> read(const Rings& rings, Range r);
    Rings rings_ = fresh_rings();
    std::unordered_map<std::int64_t, Rings> servers_;
    std::unordered_map<std::string, std::deque<Sample>> torrents_;
};

}  // namespace essaim::stats
