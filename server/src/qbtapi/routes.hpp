// The qBittorrent-compatible Web API (/api/v2, docs/api-qbittorrent.md): qBittorrent's paths and
// answers, every one scoped to the user whose token signed the tool in. Registered by `serve`;
// `s` must outlive the router.
#pragma once

#include "http/router.hpp"
#include "qbtapi/handler.hpp"

namespace essaim::qbtapi {

void register_routes(http::Router& r, Services& s);

// The parts (each file registers its own).
void register_app_routes(http::Router& r, Services& s);      // auth, app, transfer, sync
void register_torrent_routes(http::Router& r, Services& s);  // torrents: list, read, add, act
void register_label_routes(http::Router& r, Services& s);    // categories and tags

}  // namespace essaim::qbtapi
