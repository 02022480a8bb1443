// Watches whether qBittorrent answers, for /api/health and the dashboard: every few seconds,
// GET /api/v2/app/version with the current session cookie (logging in again on 403). Reads
// the connection settings from the store on each round, so a change takes effect without a
// restart. One request per round whatever the number of browsers.
#pragma once

#include "store/store.hpp"

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>

namespace essaim::qbt {

boost::asio::awaitable<void> run_probe(store::Store& store, std::atomic<int>& state,
                                       std::chrono::milliseconds period);

}  // namespace essaim::qbt
