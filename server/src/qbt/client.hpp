// qBittorrent Web API client (checked against 4.5.2, WebAPI 2.8.19; 5.x renames handled).
//
// - Session: POST auth/login, SID cookie; any 403 means "log in again", retried once.
// - A wrong password is HTTP 200 "Fails." and five failures get essaim's IP banned for an hour:
//   after one "Fails." the client stops trying with those credentials until they change
//   (bad_credentials); a ban (403 on login) blocks login attempts for ten minutes.
// - Never sends Referer/Origin, and Host is exactly the URL's host:port (else 401).
// - Keep-alive connections, a deadline on every request, a counter of every request sent.
// - pause/resume use torrents/stop|start when webapiVersion >= 2.11 (qBittorrent 5).
// Thread-safe: the sync loop and request handlers share one Client.
#pragma once

#include "http/client.hpp"
#include "qbt/webapi.hpp"
#include "store/store.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace essaim::qbt {

struct Connection {
    std::string url;  // http://host:port (no trailing slash)
    std::string username;
    std::string password;
    bool operator==(const Connection&) const = default;
};

enum class FailKind {
    unconfigured,
    unreachable,
    bad_credentials,
    banned,
    refused,
    not_found,
    protocol,
    disabled  // an administrator disabled the server (qbt/servers.hpp)
};

class QbtError : public std::runtime_error {
  public:
    QbtError(FailKind kind, const std::string& french_message, int status = 0)
        : std::runtime_error(french_message), kind(kind), status(status) {}
    FailKind kind;
    int status;
};

// What any user may read about a failure of this kind: no address, no upstream text (those go
// to the log and to administrators).
std::string user_message(FailKind kind);

struct Counters {
    std::atomic<std::uint64_t> requests{0};  // every HTTP request sent to qBittorrent
    std::atomic<std::uint64_t> maindata{0};  // of which sync/maindata
    std::atomic<std::uint64_t> logins{0};
    std::atomic<std::uint64_t> failures{0};
};

struct AddRequest {
    std::vector<std::string> urls;  // magnets (or http URLs qBittorrent fetches itself)
    std::string torrent_bytes;      // one .torrent file, or empty
    std::string torrent_filename = "upload.torrent";
    std::vector<std::string> tags;
    // The owner's folder. When set, automatic torrent management and qBittorrent's separate
    // folder for incomplete downloads are turned off for this torrent: its files live in this
    // folder from the first byte (nowhere shared with other users).
    std::string save_path;  // empty = qBittorrent's default
    bool paused = false;
    // Per-torrent limits from the owner's group (absent = qBittorrent's global settings).
    std::optional<std::int64_t> download_limit, upload_limit;  // bytes/s
    std::optional<double> ratio_limit;
    std::optional<std::int64_t> seeding_time_limit;  // minutes
    // What a tool may ask for (qbtapi/): a category name, download order, another name.
    std::string category;
    bool sequential = false, first_last_piece = false;
    std::string rename;
};

// The connection the settings describe (qbt_url, qbt_username, qbt_password).
Connection connection_of(store::Store& s);

class Client {
  public:
    Client(boost::asio::any_io_executor ex, Counters& counters);

    void set_connection(Connection c);  // resets the session and the login block
    Connection connection() const;

    // Returns the body of a 200 answer; throws QbtError otherwise.
    boost::asio::awaitable<std::string> call(
        std::string method, std::string path, std::string body = {}, std::string content_type = {},
        std::chrono::milliseconds timeout = std::chrono::seconds(15));

    boost::asio::awaitable<ApiVersion> api_version();   // cached per connection
    boost::asio::awaitable<std::string> app_version();  // "v4.5.2", cached per connection
    std::optional<std::string> known_version() const;   // the cached one, if asked already
    boost::asio::awaitable<boost::json::value> maindata(std::int64_t rid);
    boost::asio::awaitable<void> add(const AddRequest& r);
    boost::asio::awaitable<void> pause(const std::string& hash);
    boost::asio::awaitable<void> resume(const std::string& hash);
    boost::asio::awaitable<void> remove(const std::string& hash, bool delete_files);
    // setDownloadLimit, setUploadLimit, setShareLimits for several torrents ("h1|h2"); absent
    // limits reset to unlimited (speed) or to qBittorrent's global setting (share).
    boost::asio::awaitable<void> set_limits(const std::string& hashes,
                                            std::optional<std::int64_t> download_limit,
                                            std::optional<std::int64_t> upload_limit,
                                            std::optional<double> ratio_limit,
                                            std::optional<std::int64_t> seeding_time_limit);
    // torrents/files, typed. QbtError not_found for an unknown hash.
    boost::asio::awaitable<std::vector<TorrentFile>> files(const std::string& hash);
    boost::asio::awaitable<TorrentProperties> properties(const std::string& hash);
    boost::asio::awaitable<std::vector<Tracker>> trackers(const std::string& hash);
    boost::asio::awaitable<void> add_tags(const std::string& hash, const std::string& tags);
    // app/defaultSavePath: where qBittorrent saves torrents added without a save path.
    boost::asio::awaitable<std::string> default_save_path();
    // torrents/setLocation: moves the torrents' files ("h1|h2") into `location` (qBittorrent
    // creates it; the move itself runs in qBittorrent after the answer, state "moving").
    boost::asio::awaitable<void> set_location(const std::string& hashes,
                                              const std::string& location);

    Counters& counters() { return counters_; }

  private:
    boost::asio::awaitable<std::string> login(const Connection& c);
    std::string login_result(const Connection& c, const http::ClientResponse& res);
    http::HttpClient http_;
    Counters& counters_;
    mutable std::mutex mu_;
    Connection conn_;
    std::string sid_;
    std::uint64_t generation_ = 0;  // bumped by set_connection
    std::string blocked_message_;   // non-empty: do not try to log in
    FailKind blocked_kind_ = FailKind::bad_credentials;
    std::chrono::steady_clock::time_point blocked_until_{};
    std::optional<ApiVersion> version_;
    std::optional<std::string> app_version_;
};

}  // namespace essaim::qbt
