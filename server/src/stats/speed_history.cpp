#include "stats/speed_history.hpp"

namespace essaim::stats {

namespace {
constexpr std::size_t kTorrentPoints = 600;
}

void SpeedHistory::Ring::add(const Sample& s) {
    std::int64_t bucket = s.t / step;
    if (bucket != acc_bucket && acc_n > 0) {
        points.push_back({acc_bucket * step, acc.dl / acc_n, acc.up / acc_n});
        if (points.size() > capacity) points.pop_front();
        acc = {};
        acc_n = 0;
    }
    acc_bucket = bucket;
    acc.dl += s.dl;
    acc.up += s.up;
    ++acc_n;
}

void SpeedHistory::add(std::int64_t t, std::int64_t dl, std::int64_t up,
                       const std::vector<std::pair<std::string, Sample>>& torrents) {
    std::lock_guard lock(mu_);
    for (auto& r : rings_) r.add({t, dl, up});
    for (const auto& [hash, s] : torrents) {
        auto it = torrents_.find(hash);
        if (it == torrents_.end()) {
            if (s.dl == 0 && s.up == 0) continue;  // idle and unknown: nothing to remember
            it = torrents_.emplace(hash, std::deque<Sample>{}).first;
        }
        it->second.push_back({t, s.dl, s.up});
        if (it->second.size() > kTorrentPoints) it->second.pop_front();
    }
    // Forget torrents idle for the whole window (or gone).
    for (auto it = torrents_.begin(); it != torrents_.end();) {
        bool moved = false;
        for (const auto& p : it->second)
            if (p.dl || p.up) {
                moved = true;
                break;
            }
        bool stale = !it->second.empty() && it->second.back().t < t - 600;
        it = (!moved || stale) ? torrents_.erase(it) : std::next(it);
    }
}

void SpeedHistory::add_server(std::int64_t server, std::int64_t t, std::int64_t dl,
                              std::int64_t up) {
    std::lock_guard lock(mu_);
    auto it = servers_.find(server);
    if (it == servers_.end()) it = servers_.emplace(server, fresh_rings()).first;
    for (auto& r : it->second) r.add({t, dl, up});
}

std::vector<Sample> SpeedHistory::server(std::int64_t id, Range r) const {
    std::lock_guard lock(mu_);
    auto it = servers_.find(id);
    return it == servers_.end() ? std::vector<Sample>{} : read(it->second, r);
}

std::vector<Sample> SpeedHistory::global(Range r) const {
    std::lock_guard lock(mu_);
    return read(rings_, r);
}

std::vector<Sample> SpeedHistory::read(const Rings& rings, Range r) {
    const auto& ring = rings[static_cast<std::size_t>(r)];
    std::vector<Sample> out(ring.points.begin(), ring.points.end());
    if (ring.acc_n > 0 && ring.step == 1)
        out.push_back({ring.acc_bucket, ring.acc.dl / ring.acc_n, ring.acc.up / ring.acc_n});
    return out;
}

std::vector<Sample> SpeedHistory::torrent(const std::string& hash) const {
    std::lock_guard lock(mu_);
    auto it = torrents_.find(hash);
    if (it == torrents_.end()) return {};
    return {it->second.begin(), it->second.end()};
}

std::int64_t SpeedHistory::step(Range r) {
    switch (r) {
        case Range::ten_minutes:
            return 1;
        case Range::hour:
            return 10;
        case Range::day:
            return 240;
    }
    return 1;
}

bool SpeedHistory::tracks(const std::string& hash) const {
    std::lock_guard lock(mu_);
    return torrents_.count(hash) > 0;
}

std::size_t SpeedHistory::tracked_torrents() const {
    std::lock_guard lock(mu_);
    return torrents_.size();
}

}  // namespace essaim::stats
