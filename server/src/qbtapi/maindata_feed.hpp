// sync/maindata for tools (qBittorrent-compatible API): each tool's session gets qBittorrent's
// answer — a full update, then deltas against what that session was last sent (`rid`) — for
// its user's torrents, categories and tags, computed from the registry's snapshot: however many
// tools poll, qBittorrent is asked nothing more. A changed torrent is sent whole (qBittorrent
// sends only its changed fields; clients merge either). A rid the feed does not know (0, another
// session's, one lost to eviction) gets a full update, as qBittorrent does.
// Threads: every method is safe from any thread.
#pragma once

#include "qbt/registry.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

namespace essaim::qbtapi {

// A user's categories (name → the save path a tool is shown) and tags.
struct Labels {
    std::map<std::string, std::string> categories;
    std::set<std::string> tags;
};

class MaindataFeed {
  public:
    // The body of sync/maindata?rid=`rid` for the session `key` of user `user_id`.
    std::string answer(const std::string& key, std::int64_t rid, const qbt::Snapshot& s,
                       std::int64_t user_id, const Labels& labels,
                       const boost::json::object& server_state, std::int64_t now);
    // The session ended (auth/logout).
    void forget(const std::string& key);

    // Sessions remembered at most; the least recently used goes first.
    static constexpr std::size_t kMaxSessions = 4096;

  private:
    struct State {
        std::int64_t rid = 0, used = 0;
        std::unordered_map<std::string, std::uint64_t> stamps;  // hash → entry stamp sent
        Labels labels;
        std::string server;  // server_state sent, serialised
    };
    std::mutex mu_;
    std::unordered_map<std::string, State> states_;
};

}  // namespace essaim::qbtapi
