#include "qbt/usage.hpp"

namespace essaim::qbt {

bool is_active(const Entry& e) {
    if (e.removed) return false;
    // Just added, not yet listed by qBittorrent: it will start (unless added queued).
    if (!e.in_qbt) return e.limit_state != "queued";
    const auto& s = e.state;
    return s == "metadata" || s == "downloading" || s == "stalled" ||
           (s == "queued" && e.progress < 1.0);
}

auth::Usage usage_of(const Snapshot& s, std::int64_t user_id) {
    auth::Usage u;
    for (const auto& e : s.entries) {
        if (e.removed || !e.owner_id || *e.owner_id != user_id) continue;
        ++u.torrents;
        u.disk_used += e.size;
        if (is_active(e)) ++u.active;
    }
    return u;
}

}  // namespace essaim::qbt
