// Adding torrents — the flow that must never lose a hash (DESIGN.md flow 2):
//   1. essaim computes the ids itself (magnet xt, or SHA-1/SHA-256 of the raw `info` bytes);
//   2. refuses a duplicate with a clear message;
//   3. records ownership in the database;
//   4. only then sends the torrent to qBittorrent, tagged "essaim:<user id>";
//   5. removes the row again if qBittorrent refuses it.
// Blocking: called from the worker pool; qBittorrent calls run on the I/O context.
#pragma once

#include "qbt/client.hpp"
#include "qbt/registry.hpp"
#include "qbt/sync_loop.hpp"
#include "store/store.hpp"

#include <boost/asio/io_context.hpp>

#include <string>
#include <vector>

namespace essaim::qbt {

struct AddInput {
    enum class Kind { magnet, file, url, search } kind = Kind::magnet;
    std::string label;  // what the user gave (magnet, file name, URL) for the result list
    std::string data;   // magnet URI, .torrent bytes, or URL
    // For search results: every http(s) URL fetched (redirects included) must be on this origin
    // (the configured Jackett), so a result's Link cannot make essaim request anything else.
    std::string allowed_origin;
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
    AddService(store::Store& store, Registry& registry, Client& client, SyncLoop& sync,
               boost::asio::io_context& ioc)
        : store_(store), registry_(registry), client_(client), sync_(sync), ioc_(ioc) {}

    AddResult add(const store::User& user, const AddInput& in);

    static constexpr std::size_t kMaxTorrentBytes = 10u << 20;

  private:
    store::Store& store_;
    Registry& registry_;
    Client& client_;
    SyncLoop& sync_;
    boost::asio::io_context& ioc_;
};

// Fetches a .torrent URL the way Jackett links need it: redirects followed by hand (at most 5),
// a `magnet:` redirect target accepted, 10 MiB and 20 s at most. Returns {"magnet", uri} or
// {"torrent", bytes}; throws torrent::TorrentError (url_fetch_failed, not_a_torrent,
// torrent_too_large) with a French message.
std::pair<std::string, std::string> resolve_torrent_url(boost::asio::io_context& ioc,
                                                        const std::string& url,
                                                        const std::string& allowed_origin = {});
// "http://host:port" of a URL (default port made explicit), or "" when it is not http(s).
std::string url_origin(const std::string& url);

}  // namespace essaim::qbt
