// GET /api/ws: live torrent updates. Each browser gets, after connecting, the full list it may
// see, then only the changes it may see (filtered by the same policy as the REST list) — no
// extra request to qBittorrent per browser. Changes are coalesced: at most one delta every
// kFlushEvery (the first change after a quiet spell goes out at once). Half a second: with
// several qBittorrent servers each applies its own updates, and a one-second window added up
// to a second to a change that had just arrived (server/bench, issue 20).
// Slow consumers are disconnected (bounded queue); sessions are re-checked every 30 s so a
// logout or a disabled account closes the socket — at once when the change was made through
// this instance (recheck_all, after a user's, a group's or a session's change).
// At most cfg.max_websockets_per_user (default 20) sockets per user: a new one closes that
// user's OLDEST socket (close code 1008, French reason), so that a user with many tabs keeps a
// working one where they look, and one account cannot hold thousands of sockets.
#pragma once

#include "api/context.hpp"
#include "http/server.hpp"
#include "qbt/registry.hpp"

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_set>

namespace essaim::api {

// Close code of a socket closed because its user opened more than the cap allows (the oldest
// goes): the web app then polls instead of reconnecting (which would close another tab's).
inline constexpr std::uint16_t kReplacedCloseCode = 4001;
inline constexpr std::chrono::milliseconds kFlushEvery{500};

class LiveHub : public http::WebSocketEndpoint, public std::enable_shared_from_this<LiveHub> {
  public:
    explicit LiveHub(const Context& ctx);
    void attach();  // subscribes to the registry
    std::optional<http::Response> authorize(const http::Request& req,
                                            std::shared_ptr<void>& state) override;
    boost::asio::awaitable<void> run(http::WebSocket ws, std::shared_ptr<void> state) override;
    std::size_t clients() const;
    // Every socket checks its session and its user's permissions now, not at its next 30 s
    // check: an administrator changed a user or a group, or a session ended, on this instance.
    void recheck_all();
    // Sends `message` to every open socket of that user (notifications).
    void send_to_user(std::int64_t user_id, std::string message);
    // Sends `message` to every socket whose user may see the speed charts.
    void send_to_chart_viewers(std::string message);

    struct Client;

  private:
    void on_change(const qbt::Change& c);
    void flush();
    // Closes the user's oldest sockets beyond the per-user cap. Called with mu_ held.
    void evict_oldest(std::int64_t user_id);
    const Context& ctx_;
    mutable std::mutex mu_;
    std::unordered_set<std::shared_ptr<Client>> clients_;
    std::uint64_t opened_ = 0;  // sockets opened so far: orders a user's sockets by age
    std::shared_ptr<const qbt::Snapshot> last_;  // what clients have been sent
    // Changes waiting for the next flush.
    std::shared_ptr<const qbt::Snapshot> pending_;
    std::unordered_set<std::string> pending_changed_, pending_removed_;
    bool pending_link_ = false;
    bool flush_scheduled_ = false;
    std::chrono::steady_clock::time_point last_flush_{};
    std::unique_ptr<boost::asio::steady_timer> timer_;
};

}  // namespace essaim::api
