// Group limits that can only be enforced after the add (auth/limits.hpp):
//  - a magnet whose size becomes known (metadata arrived) over the owner's size limit or quota
//    is stopped in qBittorrent and marked "stopped" with the reason (left stopped: the owner
//    sees why and deletes it, nothing is lost behind their back);
//  - torrents added "queued" behind the active-downloads limit are started, oldest first, when
//    the owner has a free slot.
// Driven by the registry's changes (no requests of its own to qBittorrent besides the
// pause/resume it decides); runs on the I/O context, one pass at a time.
#pragma once

#include "qbt/client.hpp"
#include "qbt/registry.hpp"
#include "qbt/servers.hpp"
#include "store/store.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <functional>

namespace essaim::qbt {

class LimitEnforcer {
  public:
    LimitEnforcer(boost::asio::any_io_executor ex, store::Store& store, Registry& registry,
                  Servers& servers)
        : ex_(std::move(ex)), store_(store), registry_(registry), servers_(servers) {}

    // Subscribes to the registry; call once before the sync loop starts.
    void attach();
    // Told when a torrent is stopped over a limit (the owner is notified).
    void set_on_stopped(std::function<void(store::Notification)> f) { on_stopped_ = std::move(f); }
    // Several instances (app/cluster.hpp): only the one polling qBittorrent enforces, so that a
    // queued torrent is not started twice. Unset: always active.
    void set_active(std::function<bool()> f) { active_ = std::move(f); }

  private:
    void schedule();
    boost::asio::awaitable<void> pass();

    boost::asio::any_io_executor ex_;
    store::Store& store_;
    Registry& registry_;
    Servers& servers_;
    std::atomic<bool> running_{false}, again_{false};
    std::function<void(store::Notification)> on_stopped_;
    std::function<bool()> active_;
};

}  // namespace essaim::qbt
