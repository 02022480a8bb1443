// The qBittorrent servers behind essaim (issue 20): each one's Client (every call to that
// qBittorrent goes through it) and SyncLoop (the only poller of it), started and stopped as the
// list changes, its download settings, and the candidates for placing a new torrent.
//
// The list is the store's (qbt_servers) with server 1 completed from the settings table (its
// qBittorrent and downloads sections, so ESSAIM_QBT_* and the settings page keep working). It
// is re-read every 5 s (changes made by another instance or the CLI) and at once by reload()
// after an administrator's change. A disabled server's loop stops; its torrents stay listed,
// stale. Clients and loops are never destroyed while essaim runs (a coroutine may hold one): a
// removed server's stay idle — servers are added and removed rarely.
// Threads: every method is safe from any thread.
#pragma once

#include "download/settings.hpp"
#include "qbt/client.hpp"
#include "qbt/placement.hpp"
#include "qbt/registry.hpp"
#include "qbt/sync_loop.hpp"
#include "store/store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace essaim::qbt {

// The store's servers with server 1's connection and download settings from the settings.
std::vector<store::Server> read_servers(store::Store& store);
Connection connection_of(const store::Server& s);

class Servers {
  public:
    Servers(boost::asio::any_io_executor ex, store::Store& store, Registry& registry,
            Counters& counters);
    ~Servers();

    void start();   // reads the list, starts the loops and the 5 s watcher
    void stop();    // stops every loop and the watcher
    void reload();  // re-reads the list now (after an administrator's change)

    std::vector<store::Server> list() const;  // as last read, by id
    std::optional<store::Server> find(std::int64_t id) const;
    // The client of server `id`. Throws QbtError: `disabled` for a disabled server,
    // `unconfigured` for an unknown one.
    Client& client(std::int64_t id);
    // Server 1's client, whatever its state: the version tools are told, the storage mover
    // (torrents of the shared root predate several servers).
    Client& home_client();
    // Server `id`'s download settings (server 1: the settings' downloads section).
    download::Settings downloads(std::int64_t id) const;
    // The root essaim serves "/dl/~<id>/…" from (direct mode), "" when it does not.
    std::string direct_root(std::int64_t id) const;
    // Where users' folders lie on server `id` (download root, or that qBittorrent's default
    // save path, asked once); throws QbtError when it cannot be known.
    boost::asio::awaitable<std::string> storage_root(std::int64_t id);

    // Placement candidates from a snapshot (links, free space, essaim's torrents per server).
    std::vector<Candidate> candidates(const Snapshot& s) const;

    void poke(std::int64_t id);  // that server's loop polls now
    void poke_all();
    Counters& counters() { return counters_; }

    // Several instances (app/cluster.hpp): applied to every loop, present and future.
    void set_gate(std::function<bool()> leading, std::function<void()> remote_poke);
    void set_publisher(SyncLoop::MaindataSink on_maindata, SyncLoop::LinkSink on_link);
    void request_full(std::int64_t id);

  private:
    struct Slot {
        std::unique_ptr<Client> client;
        std::shared_ptr<SyncLoop> loop;  // null while disabled
        std::string default_root;        // qBittorrent's default save path, once asked
    };
    void apply_list(std::vector<store::Server> list);
    void start_loop(std::int64_t id, Slot& slot);
    void watch();

    boost::asio::any_io_executor ex_;
    store::Store& store_;
    Registry& registry_;
    Counters& counters_;
    mutable std::mutex mu_;
    std::vector<store::Server> list_;
    std::map<std::int64_t, Slot> slots_;
    std::function<bool()> leading_;
    std::function<void()> remote_poke_;
    SyncLoop::MaindataSink on_maindata_;
    SyncLoop::LinkSink on_link_;
    boost::asio::steady_timer watch_timer_;
    std::atomic<bool> stopping_{false};
};

}  // namespace essaim::qbt
