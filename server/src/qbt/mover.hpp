// Moving torrents that still sit in the shared download folder (added before per-user folders,
// download::Placement::shared) into their owner's folder, <root>/<user folder>/, with
// qBittorrent's torrents/setLocation: qBittorrent moves the files itself, one torrent at a time
// here so that two moves never compete for the disk.
//
// A torrent counts as moved when the registry shows it in its owner's folder and no longer in
// qBittorrent's "moving" state; as failed when qBittorrent refuses the move, shows an error
// state, drops the torrent, or has not finished after kMoveTimeout. The server runs one move at
// a time in the background (start/report, polled by the admin page); the CLI
// (`essaim storage move-to-user-folders`) awaits run() with its own registry.
// Thread-safe.
#pragma once

#include "qbt/client.hpp"
#include "qbt/registry.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace essaim::qbt {

struct MoveItem {
    std::string hash, name;
    std::optional<std::int64_t> owner_id;
    std::string from, to;  // save paths (absolute, qBittorrent's side)
    std::string status;    // "waiting" | "moving" | "done" | "failed"
    std::string message;   // French, when failed
};

struct MoveReport {
    bool running = false;
    std::int64_t started_at = 0, finished_at = 0;
    std::vector<MoveItem> items;
    std::size_t count(const char* status) const;
};

class StorageMover {
  public:
    // Called between checks: the server pokes its sync loop and waits; the CLI polls maindata
    // into its own registry.
    using Refresh = std::function<boost::asio::awaitable<void>()>;
    // Called after every change of an item (progress).
    using Progress = std::function<void(const MoveItem&)>;

    StorageMover(Registry& registry, Client& client) : registry_(registry), client_(client) {}

    // The torrents of `snap` in the shared folder whose owner has a folder — all of them, or
    // only `hashes` (any of a torrent's ids) when not empty. `root` is the storage root.
    static std::vector<MoveItem> plan(const Snapshot& snap, const std::string& root,
                                      const std::vector<std::string>& hashes);

    // Starts moving `items` in the background on `ex`. False (nothing started) while a move
    // is running or when `items` is empty.
    bool start(boost::asio::any_io_executor ex, std::vector<MoveItem> items, Refresh refresh);
    MoveReport report() const;

    // Moves the items one by one; `progress` is told of each change. Never throws for one
    // torrent's failure (it is recorded on the item).
    boost::asio::awaitable<void> run(std::vector<MoveItem>& items, Refresh refresh,
                                     Progress progress);

    static constexpr std::chrono::minutes kMoveTimeout{30};

  private:
    Registry& registry_;
    Client& client_;
    mutable std::mutex mu_;
    MoveReport report_;
};

}  // namespace essaim::qbt
