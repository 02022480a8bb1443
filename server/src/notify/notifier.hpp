// Tells users what happened to their torrents: completed (exactly once, persisted — see
// migration 0005), stopped by a group limit, in error, removed by an administrator.
// Completions are detected from the sync loop's changes (qBittorrent's progress == 1 with
// completion_on > 0: amount_left == 0 is also true of a magnet without metadata), never by
// polling from browsers. Each notification is stored, then handed to the sink (the WebSocket
// hub pushes it to every open tab of that user).
#pragma once

#include "qbt/registry.hpp"
#include "store/store.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <functional>
#include <mutex>
#include <unordered_set>

namespace essaim::notify {

class Notifier {
  public:
    using Sink = std::function<void(const store::Notification&)>;

    Notifier(boost::asio::any_io_executor ex, store::Store& store, qbt::Registry& registry)
        : ex_(std::move(ex)), store_(store), registry_(registry) {}

    void set_sink(Sink s) { sink_ = std::move(s); }
    // Called after e-mail/webhook deliveries were queued (wakes the dispatcher).
    void set_on_queued(std::function<void()> f) { on_queued_ = std::move(f); }
    void attach();  // subscribes to the registry; call before the sync loop starts
    // Several instances (app/cluster.hpp): only the one polling qBittorrent detects
    // completions and errors, so that errors are not told once per instance. (Completions are
    // exactly-once in the database anyway.) Unset: always active.
    void set_active(std::function<bool()> f) { active_ = std::move(f); }

    // Stores and delivers a notification of another kind (limit_stopped, removed…).
    void notify(store::Notification n);

  private:
    struct Candidate {
        std::int64_t row_id = 0;
        std::string hash, name;
        std::int64_t completion_on = 0;
    };
    void on_change(const qbt::Change& c);
    void complete(const std::vector<Candidate>& found);
    void deliver(const store::Notification& n);

    boost::asio::any_io_executor ex_;
    store::Store& store_;
    qbt::Registry& registry_;
    Sink sink_;
    std::function<void()> on_queued_;
    std::function<bool()> active_;
    std::mutex mu_;
    std::unordered_set<std::int64_t> done_;    // rows notified during this run
    std::unordered_set<std::string> errored_;  // hashes whose error was notified
};

// The French sentence of a completion.
std::string completion_message(const std::string& name);

}  // namespace essaim::notify
