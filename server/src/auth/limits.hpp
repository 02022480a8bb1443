// A group's limits (stored as JSON in groups.limits; an absent or null key = unlimited) and the
// checks made when a user adds a torrent. Pure: usage is given (qbt/usage.hpp counts it).
//
// What each limit does:
//  - max_torrents: adding one more is refused;
//  - max_active: a torrent added while the user already has that many downloading is added
//    stopped and started later by the sync loop ("queue"), or refused ("refuse");
//  - max_torrent_size, quota_bytes: refused at add when the size is known (.torrent); for a
//    magnet, checked when its metadata arrives: the torrent is stopped and the reason recorded;
//  - download_limit, upload_limit (bytes/s), ratio_limit, seeding_time_limit (minutes): set on
//    the torrent in qBittorrent when it is added.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace essaim::auth {

struct Limits {
    std::optional<std::int64_t> max_torrents, max_active, max_torrent_size, quota_bytes;
    std::optional<std::int64_t> download_limit, upload_limit, seeding_time_limit;
    std::optional<double> ratio_limit;
    bool queue_when_busy = true;  // active_policy "queue" (default) or "refuse"
};

// Tolerant: unknown keys and wrong types are ignored (the database only holds validated JSON).
Limits parse_limits(std::string_view json);
boost::json::object limits_json(const Limits& l);
// From an API request: throws auth::Denied (invalid) with field "limits.<key>" on a bad value.
Limits limits_from_request(const boost::json::value& v);

// A limit a tool asks for (the qBittorrent-compatible API) under the group's: the group's when
// the tool asks for none, for "no limit" (< 0: qBittorrent's -1; -2 = its global setting,
// treated as none asked) or for more than the group allows; the tool's otherwise.
template <typename T>
std::optional<T> cap_limit(std::optional<T> asked, std::optional<T> group) {
    if (asked && *asked == -2) asked.reset();
    if (!group) return asked;
    if (!asked || *asked < 0 || *asked > *group) return group;
    return asked;
}

struct Usage {
    std::int64_t torrents = 0;   // live torrents owned
    std::int64_t active = 0;     // of which downloading (metadata, downloading, stalled, queued)
    std::int64_t disk_used = 0;  // sum of their sizes
};

struct Refusal {
    std::string code, message;  // French message
};
enum class AddVerdict { add, add_stopped };
// nullopt = fine; otherwise why not. `size` is unknown for magnets. `verdict` tells whether the
// torrent must be added stopped (queued behind the active limit).
std::optional<Refusal> check_add(const Limits& l, const Usage& u, std::optional<std::int64_t> size,
                                 AddVerdict& verdict);
// After metadata: a size over max_torrent_size, or usage (already counting it) over the quota.
std::optional<Refusal> check_size_known(const Limits& l, const Usage& u, std::int64_t size);

// "12,3 Go" — French decimal, binary units, as the web app shows them.
std::string french_size(std::int64_t bytes);

}  // namespace essaim::auth
