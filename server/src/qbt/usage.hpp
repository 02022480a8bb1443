// A user's usage against their group's limits (auth/limits.hpp), counted on a registry snapshot:
// the torrents they own, how many are downloading, and the disk they take.
#pragma once

#include "auth/limits.hpp"
#include "qbt/registry.hpp"

#include <cstdint>

namespace essaim::qbt {

// Downloading or about to (metadata, downloading, stalled, queued before completion; a torrent
// just added and not yet listed by qBittorrent unless it was added queued).
bool is_active(const Entry& e);
auth::Usage usage_of(const Snapshot& s, std::int64_t user_id);

}  // namespace essaim::qbt
