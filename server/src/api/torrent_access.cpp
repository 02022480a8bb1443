#include "api/torrent_access.hpp"

#include "api/errors.hpp"
#include "auth/policy.hpp"
#include "qbt/client.hpp"
#include "util/strings.hpp"

#include <spdlog/spdlog.h>

namespace essaim::api {

const qbt::Entry& visible_entry(const qbt::Snapshot& s, const auth::Authed& a,
                                std::string_view hash) {
    const auto* e = s.find(str::to_lower(hash));
    if (!e || !auth::can_see(auth::Viewer::of(a.user), e->owner_id))
        throw ApiError(404, "torrent_not_found", "Torrent introuvable.");
    return *e;
}

const qbt::Entry& visible_entry(const qbt::Snapshot& s, const auth::Authed& a,
                                const http::Request& req) {
    return visible_entry(s, a, req.params.at("hash"));
}

const qbt::Entry& actionable_entry(const qbt::Snapshot& s, const auth::Authed& a,
                                   std::string_view hash) {
    const auto& e = visible_entry(s, a, hash);
    if (!auth::can_act(auth::Viewer::of(a.user), e.owner_id))
        throw ApiError(403, "forbidden",
                       "Vous ne pouvez pas agir sur le torrent d'un autre utilisateur.");
    return e;
}

const qbt::Entry& actionable_entry(const qbt::Snapshot& s, const auth::Authed& a,
                                   const http::Request& req) {
    return actionable_entry(s, a, req.params.at("hash"));
}

void rethrow_qbt(const qbt::QbtError& e) {
    if (e.kind == qbt::FailKind::not_found)
        throw ApiError(404, "torrent_not_found",
                       "Ce torrent n'existe plus sur le serveur qBittorrent.");
    // qBittorrent's own text and its address stay in the log (admins see the state in Réglages).
    spdlog::warn("qBittorrent : {}", e.what());
    if (e.kind == qbt::FailKind::disabled)
        throw ApiError(409, "server_disabled", qbt::user_message(e.kind));
    if (e.kind == qbt::FailKind::refused)
        throw ApiError(502, "qbittorrent_refused", qbt::user_message(e.kind));
    throw ApiError(503, "qbittorrent_unreachable", qbt::user_message(e.kind));
}

}  // namespace essaim::api
