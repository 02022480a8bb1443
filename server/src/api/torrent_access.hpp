// Finding the torrent behind {hash} for the signed-in user, and turning qBittorrent failures into
// API errors — shared by the torrent, file and download handlers.
#pragma once

#include "auth/sessions.hpp"
#include "http/message.hpp"
#include "qbt/registry.hpp"

namespace essaim::qbt {
struct QbtError;
}

namespace essaim::api {

// The entry of this hash (any case), visible to this user, or 404 (never 403: do not reveal
// others' torrents to users who may not see them). The `req` forms take {hash} from the path.
const qbt::Entry& visible_entry(const qbt::Snapshot& s, const auth::Authed& a,
                                std::string_view hash);
const qbt::Entry& visible_entry(const qbt::Snapshot& s, const auth::Authed& a,
                                const http::Request& req);
// Visible and actionable (own, or act_all), else 403.
const qbt::Entry& actionable_entry(const qbt::Snapshot& s, const auth::Authed& a,
                                   std::string_view hash);
const qbt::Entry& actionable_entry(const qbt::Snapshot& s, const auth::Authed& a,
                                   const http::Request& req);
// 404 torrent_not_found, 502 qbittorrent_refused or 503 qbittorrent_unreachable.
[[noreturn]] void rethrow_qbt(const qbt::QbtError& e);

}  // namespace essaim::api
