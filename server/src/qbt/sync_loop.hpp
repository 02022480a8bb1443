// A server's sync loop (one per qBittorrent server, owned by qbt/servers.hpp): the only place
// that polls that qBittorrent. About once a second it asks
// /api/v2/sync/maindata?rid=N and feeds the registry, whatever the number of browsers.
// It reads the server's connection each round (a change takes effect without restart),
// backs off while qBittorrent is down (1 s → 30 s), reconciles ownership after each full update
// and every five minutes, and can be woken early (poke) after an add/pause/delete so the
// change shows up at once.
#pragma once

#include "qbt/client.hpp"
#include "qbt/registry.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <boost/json/object.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace essaim::qbt {

class SyncLoop {
  public:
    // `connection` is asked each round (on the loop's executor) for the server's settings.
    SyncLoop(boost::asio::any_io_executor ex, std::int64_t server,
             std::function<Connection()> connection, Client& client, Registry& registry,
             std::chrono::milliseconds period = std::chrono::milliseconds(1000));
    std::int64_t server() const { return server_; }
    boost::asio::awaitable<void> run();
    void poke();  // thread-safe: poll now instead of waiting for the period
    void stop();

    // Several instances on one PostgreSQL (app/cluster.hpp); all unset with SQLite, where the
    // loop polls unconditionally as it always did. Set before run().
    // `leading`: while it answers false the loop does not poll qBittorrent (another instance
    // does) and poke() calls `remote_poke` instead (the leader polls at once).
    void set_gate(std::function<bool()> leading, std::function<void()> remote_poke);
    // Told of every maindata answer applied (with the rid it was asked with; 0 = full update)
    // and of every change of link state, so that the followers can apply the same.
    using MaindataSink =
        std::function<void(std::int64_t server, const boost::json::object&, std::int64_t base_rid)>;
    using LinkSink = std::function<void(std::int64_t server, LinkState, const std::string&)>;
    void set_publisher(MaindataSink on_maindata, LinkSink on_link);
    // Thread-safe: the next poll asks for a full update (a follower lost the thread).
    void request_full();

  private:
    Connection read_connection();
    void wake();
    void set_link(LinkState s, const std::string& error, const std::string& detail = {});
    std::function<bool()> leading_;
    std::function<void()> remote_poke_;
    MaindataSink on_maindata_;
    LinkSink on_link_;
    std::atomic<bool> want_full_{false};
    // Last link state told to on_link_ (only changes are published).
    int published_link_ = -1;
    std::string published_error_;
    std::string published_detail_;  // last detail logged
    std::int64_t server_;
    std::function<Connection()> connection_;
    Client& client_;
    Registry& registry_;
    std::chrono::milliseconds period_;
    boost::asio::steady_timer timer_;
    std::atomic<bool> stopping_{false};
};

}  // namespace essaim::qbt
