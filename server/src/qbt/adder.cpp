#include "qbt/adder.hpp"

#include "auth/limits.hpp"

#include "auth/policy.hpp"
#include "http/client.hpp"
#include "torrent/error.hpp"
#include "torrent/magnet.hpp"
#include "torrent/metainfo.hpp"
#include "util/strings.hpp"

#include <spdlog/spdlog.h>
#include "http/run_on.hpp"

#include <boost/asio.hpp>
#include <boost/url.hpp>

#include <ctime>

namespace essaim::qbt {
namespace asio = boost::asio;
using torrent::TorrentError;

namespace {

struct Identity {
    std::string v1, v2, qbt_id, name;
    std::optional<std::int64_t> size;
};

std::string duplicate_message(const Registry::Existing& ex, const store::User& user,
                              store::Store& store) {
    if (ex.row.id == 0) return "Ce torrent est déjà présent sur le serveur qBittorrent.";
    if (ex.row.owner_id && *ex.row.owner_id == user.id)
        return "Ce torrent est déjà dans votre liste.";
    if (auth::has_permission(user, "see_all") && ex.row.owner_id) {
        for (const auto& u : store.user_names())
            if (u.id == *ex.row.owner_id)
                return "Ce torrent a déjà été ajouté par " + u.display_name + ".";
    }
    return "Ce torrent a déjà été ajouté par un autre utilisateur.";
}

}  // namespace

std::pair<std::string, std::string> resolve_torrent_url(asio::io_context& ioc,
                                                        const std::string& start,
                                                        const std::string& allowed_origin) {
    std::string url = start;
    for (int hop = 0; hop <= 5; ++hop) {
        auto u = boost::urls::parse_absolute_uri(url);
        if (!allowed_origin.empty() && url_origin(url) != allowed_origin)
            throw TorrentError(
                "url_fetch_failed",
                "Ce résultat pointe hors du serveur Jackett configuré : essaim ne le suit pas.");
        if (!u || (u->scheme() != "http" && u->scheme() != "https"))
            throw TorrentError("url_fetch_failed",
                               "Adresse invalide : seules les adresses http(s) sont acceptées.");
        http::ClientRequest req{"GET",
                                url,
                                {{"Accept", "application/x-bittorrent, */*"}},
                                {},
                                std::chrono::seconds(20),
                                AddService::kMaxTorrentBytes};
        auto res = http::run_on(ioc, http::fetch(std::move(req)));
        if (res.too_large)
            throw TorrentError(
                "torrent_too_large",
                "Le fichier à cette adresse dépasse 10 Mio : ce n'est pas un .torrent.");
        if (res.status == 0)
            throw TorrentError("url_fetch_failed",
                               "Impossible de télécharger l'adresse : " + res.error + ".");
        if (res.status >= 300 && res.status < 400) {
            auto loc = res.header("location");
            if (loc.empty())
                throw TorrentError("url_fetch_failed", "Redirection sans destination.");
            if (str::starts_with(str::to_lower(loc), "magnet:")) return {"magnet", loc};
            boost::urls::url next;
            auto ref = boost::urls::parse_uri_reference(loc);
            if (!ref)
                throw TorrentError("url_fetch_failed", "Redirection vers une adresse invalide.");
            if (boost::urls::resolve(*u, *ref, next))
                throw TorrentError("url_fetch_failed", "Redirection invalide.");
            url = std::string(next.buffer());
            continue;
        }
        if (res.status != 200)
            throw TorrentError("url_fetch_failed",
                               "Le serveur distant a répondu par une erreur (HTTP " +
                                   std::to_string(res.status) + ").");
        return {"torrent", std::move(res.body)};
    }
    throw TorrentError("url_fetch_failed", "Trop de redirections.");
}

std::string url_origin(const std::string& url) {
    auto u = boost::urls::parse_absolute_uri(url);
    if (!u || (u->scheme() != "http" && u->scheme() != "https")) return {};
    std::string port =
        u->has_port() ? std::string(u->port()) : (u->scheme() == "https" ? "443" : "80");
    return std::string(u->scheme()) + "://" + str::to_lower(std::string(u->encoded_host())) + ":" +
           port;
}

AddResult AddService::add(const store::User& user, const AddInput& in) {
    AddResult r;
    r.input = in.label;
    try {
        auth::require_permission(user, "add_torrents");
        Identity id;
        AddRequest req;
        std::string source;
        auto kind = in.kind;
        std::string data = in.data;
        if (kind == AddInput::Kind::url || kind == AddInput::Kind::search) {
            auth::require_permission(user,
                                     kind == AddInput::Kind::url ? "add_torrent_files" : "search");
            auto [what, payload] = str::starts_with(str::to_lower(data), "magnet:")
                                       ? std::pair<std::string, std::string>{"magnet", data}
                                       : resolve_torrent_url(ioc_, data, in.allowed_origin);
            source = kind == AddInput::Kind::url ? "url" : "search";
            kind = what == "magnet" ? AddInput::Kind::magnet : AddInput::Kind::file;
            data = std::move(payload);
        }
        if (kind == AddInput::Kind::magnet) {
            if (source.empty()) auth::require_permission(user, "add_magnets");
            auto m = torrent::parse_magnet(data);
            id = {m.info_hash_v1, m.info_hash_v2, m.qbt_id(),
                  m.display_name.empty() ? m.qbt_id() : m.display_name, m.exact_length};
            req.urls.push_back(data);
            if (source.empty()) source = "magnet";
        } else {
            if (source.empty()) auth::require_permission(user, "add_torrent_files");
            if (data.size() > kMaxTorrentBytes)
                throw TorrentError("torrent_too_large", "Le fichier .torrent dépasse 10 Mio.");
            auto mi = [&] {
                try {
                    return torrent::parse_torrent(data);
                } catch (const TorrentError& e) {
                    if (in.kind != AddInput::Kind::file)
                        throw TorrentError("not_a_torrent",
                                           "L'adresse ne renvoie pas un fichier .torrent valide.");
                    throw;
                }
            }();
            id = {mi.info_hash_v1, mi.info_hash_v2, mi.qbt_id(), mi.name, mi.total_size};
            req.torrent_bytes = data;
            req.torrent_filename = in.label.empty() ? "upload.torrent" : in.label;
            if (source.empty()) source = "file";
        }
        if (auto ex = registry_.find_existing(id.v1, id.v2, id.qbt_id))
            throw TorrentError("duplicate_torrent", duplicate_message(*ex, user, store_));

        // The group's limits: refused now when the size is known, queued behind the active
        // limit, transfer limits set on the torrent by qBittorrent itself at add.
        auto limits = auth::parse_limits(user.limits_json);
        auth::AddVerdict verdict = auth::AddVerdict::add;
        if (auto no = auth::check_add(limits, auth::usage_of(*registry_.snapshot(), user.id),
                                      id.size, verdict))
            throw TorrentError(no->code, no->message);
        req.paused = verdict == auth::AddVerdict::add_stopped;
        req.download_limit = limits.download_limit;
        req.upload_limit = limits.upload_limit;
        req.ratio_limit = limits.ratio_limit;
        req.seeding_time_limit = limits.seeding_time_limit;

        store::TorrentRow row;
        row.qbt_hash = id.qbt_id;
        row.hash_v1 = id.v1;
        row.hash_v2 = id.v2;
        row.owner_id = user.id;
        row.source = source;
        row.name = id.name;
        row.size = id.size;
        row.added_at = static_cast<std::int64_t>(std::time(nullptr));
        if (req.paused) row.limit_state = "queued";
        // A magnet's size is unknown until its metadata arrives: the limit enforcer checks it.
        if (!id.size && (limits.max_torrent_size || limits.quota_bytes)) row.size_checked = false;
        std::int64_t row_id;
        try {
            row_id = registry_.add_row(row);
        } catch (const store::Conflict&) {
            throw TorrentError("duplicate_torrent",
                               "Ce torrent vient d'être ajouté par quelqu'un d'autre.");
        } catch (const std::exception& e) {
            // Disk full: this item fails before qBittorrent is called; the ones before it in
            // the same request stay reported as added.
            if (store::is_storage_full(e))
                throw TorrentError("storage_full", store::kStorageFullMessage);
            throw;
        }
        req.tags = {owner_tag(user.id)};
        try {
            http::run_on(ioc_, client_.add(req));
        } catch (const QbtError& e) {
            registry_.drop_row(row_id);
            if (e.kind == FailKind::refused && e.status == 200)
                throw TorrentError("qbittorrent_refused",
                                   "qBittorrent a refusé ce torrent (déjà présent ou invalide).");
            if (e.kind == FailKind::refused)
                throw TorrentError("qbittorrent_refused",
                                   std::string("qBittorrent a refusé ce torrent : ") + e.what());
            throw TorrentError("qbittorrent_unreachable", e.what());
        }
        try {  // the torrent is added and owned: a failed audit row must not report a failure
            store_.audit({user.id, user.username, "torrent.add", "torrent", id.qbt_id,
                          "{\"source\":\"" + source + "\"}", ""});
        } catch (const std::exception& e) {
            spdlog::error("journal d'audit : ajout de {} non enregistré : {}", id.qbt_id, e.what());
        }
        sync_.poke();
        r.ok = true;
        r.hash = id.qbt_id;
        r.name = id.name;
        if (req.paused) {
            r.queued = true;
            r.message = "Ajouté en file d'attente : vous avez déjà " +
                        std::to_string(*limits.max_active) +
                        " téléchargements en cours (maximum de votre groupe). Il démarrera dès "
                        "qu'un se termine.";
        }
    } catch (const TorrentError& e) {
        r.code = e.code;
        r.message = e.what();
    }
    return r;
}

}  // namespace essaim::qbt
