// `essaim serve`: wires the store, sessions, router, HTTP server, the managed qBittorrent and
// the qBittorrent probe together, then runs until SIGINT/SIGTERM (graceful: in-flight requests
// finish, at most 10 s).
#pragma once

#include "config/config.hpp"

namespace essaim::app {

int serve(const config::Config& cfg);

}  // namespace essaim::app
