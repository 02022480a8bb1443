// THE sync loop: the only place that polls qBittorrent. About once a second it asks
// /api/v2/sync/maindata?rid=N and feeds the registry, whatever the number of browsers.
// It re-reads the connection settings each round (a change takes effect without restart),
// backs off while qBittorrent is down (1 s → 30 s), reconciles ownership after each full update
// and every five minutes, and can be woken early (poke) after an add/pause/delete so the
// change shows up at once.
#pragma once

#include "qbt/client.hpp"
#include "qbt/registry.hpp"
#include "store/store.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>

namespace essaim::qbt {

class SyncLoop {
  public:
    SyncLoop(boost::asio::any_io_executor ex, store::Store& store, Client& client,
             Registry& registry,
             std::chrono::milliseconds period = std::chrono::milliseconds(1000));
    boost::asio::awaitable<void> run();
    void poke();  // thread-safe: poll now instead of waiting for the period
    void stop();

  private:
    Connection read_connection();
    store::Store& store_;
    Client& client_;
    Registry& registry_;
    std::chrono::milliseconds period_;
    boost::asio::steady_timer timer_;
    std::atomic<bool> stopping_{false};
};

}  // namespace essaim::qbt
