// What becomes of a user's torrents when the account goes: given to another user (their rows
// change owner; the files stay where they are, shown as in the shared folder until an admin
// moves them), or deleted from qBittorrent with their data — without the data for a torrent
// whose files overlap another owner's (content_shared_with_others). Asynchronous (qBittorrent
// calls); the caller then deletes the account.
#pragma once

#include "qbt/client.hpp"
#include "qbt/registry.hpp"
#include "qbt/servers.hpp"
#include "store/store.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace essaim::qbt {

// Returns how many rows moved to `to`.
std::int64_t give_torrents(store::Store& s, Registry& r, std::int64_t from, std::int64_t to);

// Deletes every live torrent of `user` (qBittorrent, then the rows); returns their ids. Throws
// QbtError when qBittorrent fails (a torrent already gone is not a failure).
boost::asio::awaitable<std::vector<std::string>> delete_torrents(Registry& r, Servers& servers,
                                                                 std::int64_t user);

}  // namespace essaim::qbt
