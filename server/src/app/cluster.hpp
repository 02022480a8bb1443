// Several essaim instances on one PostgreSQL (issue 9): one leader polls qBittorrent, every
// instance serves its own browsers from its own registry. (Why this design: docs/decisions.md,
// "Several instances".)
//
// - Election: a session-level advisory lock (pg_try_advisory_lock) on a connection held for the
//   life of the process. PostgreSQL releases it when the process or the connection dies, and
//   the others retry every 2 s, so a new leader polls within a few seconds. Losing that
//   connection demotes the leader at once (it can no longer know it is the only one).
// - The leader writes every maindata answer it applied into `sync_feed` (migration 0007) and
//   sends NOTIFY essaim_sync (kind "maindata" for server 1, "maindata:<id>" for the others;
//   "link" likewise); followers LISTEN, read the rows after the last one they applied and
//   feed them to Registry::apply — the sync loop's own path — so their LiveHub, speed charts and
//   lists behave as on the leader. A delta applies only on top of the answer it followed (same
//   leader, same rid); otherwise the follower waits for a full update and asks the leader for
//   one (NOTIFY essaim_leader 'full').
// - Ownership rows changed by any instance: NOTIFY essaim_rows, the others reload their rows.
// - Notifications stored by one instance are pushed live to the user's sockets on the others
//   (NOTIFY essaim_notify with the WebSocket message).
// - A follower's poke (after an add/pause/delete) becomes NOTIFY essaim_leader 'poke'.
// - Users, groups or sessions changed by any process: a trigger sends NOTIFY essaim_auth
//   (migrations/0008_auth_notify.pg.sql) and the store drops its session cache; while this thread
//   is not listening (not yet connected, connection lost) the store caches nothing.
//
// One thread of its own with one dedicated connection (lock + LISTEN + feed reads), waiting on
// the connection's socket with poll(); the leader publishes from the sync loop on a second
// connection. Neither is taken from the store's pool: the lock must outlive any request.
#pragma once

#include "qbt/registry.hpp"
#include "qbt/servers.hpp"
#include "store/pg.hpp"
#include "store/store.hpp"

#include <boost/json/object.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

namespace essaim::app {

class Cluster {
  public:
    Cluster(std::string url, store::Store& store, qbt::Registry& registry, qbt::Servers& servers);
    ~Cluster();
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    // Wires the sync loop (gate, publisher), the registry (rows changed) and starts the thread.
    void start();
    void stop();

    bool leader() const { return leader_.load(); }
    const std::string& id() const { return id_; }

    // Any thread, never blocks: queued, sent by the cluster's thread.
    void poke_leader();
    // `message` (the WebSocket frame) to user `user_id`'s sockets on the other instances.
    void broadcast_to_user(std::int64_t user_id, const std::string& message);
    // Called on the cluster's thread with what another instance broadcast.
    void set_on_user_message(std::function<void(std::int64_t, std::string)> f) {
        on_user_message_ = std::move(f);
    }

    static constexpr std::int64_t kLockKey = 0x65737361696d01;  // "essaim" + 1
    static constexpr std::int64_t kFeedKeepSeconds = 600;

  private:
    void run();
    void connect();
    void handle(const store::pg::Connection::Notify& n);
    void read_feed();
    void send_queued();
    void publish_maindata(std::int64_t server, const boost::json::object& md,
                          std::int64_t base_rid);
    void publish_link(std::int64_t server, qbt::LinkState s, const std::string& error);
    void publish(const std::string& kind, std::int64_t base_rid, const std::string& payload);
    void queue(std::string channel, std::string payload);

    std::string url_;
    store::Store& store_;
    qbt::Registry& registry_;
    qbt::Servers& servers_;
    std::string id_;  // random per process: the source of this leader's feed rows
    std::atomic<bool> leader_{false}, stopping_{false};
    std::thread thread_;
    std::function<void(std::int64_t, std::string)> on_user_message_;

    // Cluster thread only.
    std::unique_ptr<store::pg::Connection> conn_;
    std::int64_t last_seq_ = 0;
    // Per qBittorrent server: the leader and rid of the last answer applied (absent or -1:
    // waiting for a full update).
    std::map<std::int64_t, std::string> applied_source_;
    std::map<std::int64_t, std::int64_t> applied_rid_;
    bool feed_due_ = true, rows_due_ = false, told_follower_ = false;
    std::chrono::steady_clock::time_point next_lock_try_{}, next_feed_read_{}, last_full_ask_{};

    // Outgoing NOTIFYs, from any thread.
    std::mutex out_mu_;
    std::deque<std::pair<std::string, std::string>> out_;

    // Leader side, from the sync loop.
    std::mutex pub_mu_;
    std::unique_ptr<store::pg::Connection> pub_;
    std::chrono::steady_clock::time_point last_prune_{};
};

}  // namespace essaim::app
