// Shaping torrents for a viewer, shared by GET /api/torrents and the WebSocket hub.
// Works on registry snapshots only: building a list never talks to qBittorrent.
#pragma once

#include "auth/policy.hpp"
#include "qbt/registry.hpp"

#include <memory>
#include <string>

namespace essaim::api {

enum class Scope { mine, all };

// The registry's renderer (qbt::Registry::set_renderer): a torrent object as every viewer gets it,
// without its closing brace, the viewer's own fields being appended to it.
std::shared_ptr<const std::string> render_entry(const qbt::Entry& e);

// One torrent as JSON for this viewer (`can_act` appended; for administrators also
// `save_path` and `placement`).
std::string torrent_json(const qbt::Entry& e, const auth::Viewer& v);
// The whole GET /api/torrents body; cached in the snapshot per viewer and scope.
std::shared_ptr<const std::string> list_body(const qbt::Snapshot& s, const auth::Viewer& v,
                                             Scope scope);
// The same body gzip-compressed (also cached), for clients sending Accept-Encoding: gzip.
std::shared_ptr<const std::string> list_body_gzip(const qbt::Snapshot& s, const auth::Viewer& v,
                                                  Scope scope);
// The WebSocket message sent after connecting: {"type":"torrents","full":true,"torrents":[…]}.
std::string full_message(const qbt::Snapshot& s, const auth::Viewer& v);
// A delta for this viewer, or "" when nothing they may see changed. `prev` is the snapshot the
// viewer last saw (to know which torrents left their view).
std::string delta_message(const qbt::Change& c, const qbt::Snapshot* prev, const auth::Viewer& v);
std::string status_message(const qbt::Snapshot& s);

}  // namespace essaim::api
