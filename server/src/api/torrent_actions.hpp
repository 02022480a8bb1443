// What can be done to torrents already chosen: pause or resume them, delete them (with their
// files when that is safe). The one path for the web app's routes (api/torrents_api.cpp) and the
// tools' qBittorrent-compatible API (qbtapi/): same permissions, same safety checks on files,
// same journal rows and notifications. The caller has checked that each target is visible and
// actionable for `a` (api/torrent_access.hpp, or the tool's own torrents).
// Errors: ApiError (403 permission, 409 unsafe deletion or nothing left in qBittorrent, 502/503
// from qBittorrent). Coroutines on the I/O threads.
#pragma once

#include "api/context.hpp"
#include "qbt/registry.hpp"

#include <boost/asio/awaitable.hpp>

#include <vector>

namespace essaim::api {

using Targets = std::vector<const qbt::Entry*>;

// Pause (stop) or resume (start) the targets; 409 when none is in qBittorrent any more.
boost::asio::awaitable<void> pause_torrents(const Context& ctx, const auth::Authed& a,
                                            const http::Request& req, const Targets& targets,
                                            bool pause);
// Delete the targets, with their files when `with_files` (each checked: inside its owner's
// folder, shared with nobody else's torrent; `confirm` for an administrator's deletion outside).
boost::asio::awaitable<void> delete_torrents(const Context& ctx, const auth::Authed& a,
                                             const http::Request& req, const qbt::Snapshot& snap,
                                             const Targets& targets, bool with_files, bool confirm);

}  // namespace essaim::api
