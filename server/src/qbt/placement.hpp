// Where a new torrent goes when several qBittorrent servers stand behind essaim (issue 20).
// Pure: no I/O.
//
// Among the servers that are active (not draining, not disabled), answering, not full and
// allowed to the owner's group (its servers, or all when it lists none): the one holding the
// fewest torrents; ties: the most free space, then the lowest id. "Full": free space known and
// below the torrent's size (0 when unknown, a magnet) plus kFreeMargin.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace essaim::qbt {

struct Candidate {
    std::int64_t id = 0;
    bool active = true;            // state "active" (not draining, not disabled)
    bool configured = true;        // it has an address
    bool answering = true;         // configured and not known down (not polled yet counts as up)
    std::int64_t free_space = -1;  // bytes, -1 or 0 unknown
    std::int64_t torrents = 0;     // essaim's live torrents on it (just-added ones included)
};

inline constexpr std::int64_t kFreeMargin = 256ll << 20;

// `allowed` empty = every server. nullopt: no server can take it now.
std::optional<std::int64_t> choose_server(const std::vector<Candidate>& servers,
                                          const std::vector<std::int64_t>& allowed,
                                          std::optional<std::int64_t> size);

}  // namespace essaim::qbt
