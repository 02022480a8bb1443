// Adding torrents — the flow that must never lose a hash (DESIGN.md flow 2):
//   1. essaim computes the ids itself (magnet xt, or SHA-1/SHA-256 of the raw `info` bytes);
//   2. refuses a duplicate with a clear message;
//   3. chooses its server (qbt/placement.hpp: the owner's group's servers, answering, not full,
//      not draining; the fewest torrents) and records ownership with it in the database;
//   4. only then sends the torrent to that qBittorrent, tagged "essaim:<user id>" and saved in
//      the owner's own folder, <that server's download root>/<user folder>/
//      (download/layout.hpp);
//   5. removes the row again if qBittorrent refuses it.
// Every way in (the web form, a search result, the qBittorrent-compatible API) comes here.
// Asynchronous: a slow URL or a slow qBittorrent holds no thread. Each user may have at most
// kMaxFetchesPerUser URLs being fetched at once (others are refused at once), so one user's
// slow URLs cannot pile up. Thread-safe.
#pragma once

#include "qbt/client.hpp"
#include "qbt/registry.hpp"
#include "qbt/servers.hpp"
#include "store/store.hpp"

#include <boost/asio/awaitable.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace essaim::qbt {

// What a tool asks for beyond the web form (the qBittorrent-compatible API, qbtapi/). The caller
// has checked the names (qbtapi/torrents.hpp) and that `subdir` stays inside the owner's folder.
struct AddOptions {
    std::string subdir;    // relative to the owner's folder ("" = the folder itself)
    std::string category;  // a category of the owner's
    std::vector<std::string> tags;
    bool stopped = false;
    // Share limits asked by the tool: never above the group's (qBittorrent's -1 = none, -2 = its
    // global setting).
    std::optional<double> ratio_limit;
    std::optional<std::int64_t> seeding_time_limit;  // minutes
    bool sequential = false, first_last_piece = false;
    std::string rename;
    std::string via;  // the tool's token name, for the journal ("via l'application …")
};

struct AddInput {
    enum class Kind { magnet, file, url, search } kind = Kind::magnet;
    std::string label;  // what the user gave (magnet, file name, URL) for the result list
    std::string data;   // magnet URI, .torrent bytes, or URL
    // For search results: every http(s) URL fetched (redirects included) must be on this origin
    // (the configured Jackett), so a result's Link cannot make essaim request anything else.
    std::string allowed_origin;
    AddOptions options;
};

struct AddResult {
    std::string input;
    bool ok = false;
    std::string hash, name;
    std::string code, message;  // when !ok (French message); when queued, why
    bool queued = false;        // added stopped, behind the group's active-downloads limit
};

class AddService {
  public:
    AddService(store::Store& store, Registry& registry, Servers& servers)
        : store_(store), registry_(registry), servers_(servers) {}

    // Never throws for a refused item: the reason is in the result (code + French message).
    boost::asio::awaitable<AddResult> add(store::User user, AddInput in);
    // The owner's folder on server `server`'s machine (absolute); throws torrent::TorrentError
    // (storage_unknown, qbittorrent_unreachable) when it cannot be known.
    boost::asio::awaitable<std::string> folder_of(const store::User& user, std::int64_t server = 1);

    static constexpr std::size_t kMaxTorrentBytes = 10u << 20;
    static constexpr int kMaxFetchesPerUser = 4;

  private:
    store::Store& store_;
    Registry& registry_;
    Servers& servers_;
    std::mutex mu_;
    std::mutex place_mu_;  // a server is chosen and the row recorded as one step
    std::unordered_map<std::int64_t, int> fetching_;  // user id → URLs being fetched
};

}  // namespace essaim::qbt
