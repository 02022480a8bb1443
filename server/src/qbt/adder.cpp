#include "qbt/adder.hpp"

#include "auth/limits.hpp"
#include "auth/policy.hpp"
#include "download/layout.hpp"
#include "download/settings.hpp"
#include "qbt/placement.hpp"
#include "qbt/url_fetch.hpp"
#include "qbt/usage.hpp"
#include "store/audit.hpp"
#include "store/settings_view.hpp"
#include "torrent/error.hpp"
#include "torrent/magnet.hpp"
#include "torrent/metainfo.hpp"
#include "util/clock.hpp"
#include "util/strings.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>

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

// One URL fetch counted against the user's limit for as long as it runs.
class FetchSlot {
  public:
    FetchSlot(std::mutex& mu, std::unordered_map<std::int64_t, int>& counts, std::int64_t user,
              int max)
        : mu_(mu), counts_(counts), user_(user) {
        std::lock_guard lock(mu_);
        if (counts_[user_] >= max)
            throw TorrentError("too_many_fetches",
                               "Vous avez déjà " + std::to_string(max) +
                                   " adresses en cours de téléchargement : attendez qu'elles "
                                   "aboutissent, puis réessayez.");
        ++counts_[user_];
    }
    FetchSlot(const FetchSlot&) = delete;
    FetchSlot& operator=(const FetchSlot&) = delete;
    ~FetchSlot() {
        std::lock_guard lock(mu_);
        if (--counts_[user_] <= 0) counts_.erase(user_);
    }

  private:
    std::mutex& mu_;
    std::unordered_map<std::int64_t, int>& counts_;
    std::int64_t user_;
};

}  // namespace

asio::awaitable<std::string> AddService::folder_of(const store::User& user, std::int64_t server) {
    std::string root;
    try {
        root = co_await servers_.storage_root(server);
    } catch (const QbtError& e) {
        spdlog::warn("qBittorrent (serveur {}) : {}", server, e.what());
        throw TorrentError("qbittorrent_unreachable", user_message(e.kind));
    }
    if (root.empty() || root.front() != '/')
        throw TorrentError("storage_unknown",
                           "Le dossier de téléchargement de qBittorrent est inconnu : un "
                           "administrateur doit renseigner le dossier racine des "
                           "téléchargements.");
    auto dir = download::user_dir(root, user.folder);
    if (dir.empty())
        throw TorrentError("storage_unknown",
                           "Votre dossier de téléchargement n'est pas défini : prévenez "
                           "l'administrateur.");
    co_return dir;
}

asio::awaitable<AddResult> AddService::add(store::User user, AddInput in) {
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
            std::pair<std::string, std::string> fetched{"magnet", data};
            if (!str::starts_with(str::to_lower(data), "magnet:")) {
                FetchSlot slot(mu_, fetching_, user.id, kMaxFetchesPerUser);
                // A search result may only lead within the configured Jackett's origin, which
                // the admin chose (often on this machine or the LAN): private addresses are
                // allowed there. A user's own URL follows the setting.
                UrlPolicy policy{in.allowed_origin,
                                 !in.allowed_origin.empty() ||
                                     store::flag(store_, settings::allow_private_targets)};
                fetched = co_await fetch_torrent_url(data, std::move(policy));
            }
            auto& [what, payload] = fetched;
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
        if (auto no =
                auth::check_add(limits, usage_of(*registry_.snapshot(), user.id), id.size, verdict))
            throw TorrentError(no->code, no->message);
        bool queued = verdict == auth::AddVerdict::add_stopped;
        const auto& opt = in.options;
        req.paused = queued || opt.stopped;
        req.download_limit = limits.download_limit;
        req.upload_limit = limits.upload_limit;
        req.ratio_limit = auth::cap_limit(opt.ratio_limit, limits.ratio_limit);
        req.seeding_time_limit = auth::cap_limit(opt.seeding_time_limit, limits.seeding_time_limit);
        req.category = opt.category;
        req.sequential = opt.sequential;
        req.first_last_piece = opt.first_last_piece;
        req.rename = opt.rename;

        store::TorrentRow row;
        row.qbt_hash = id.qbt_id;
        row.hash_v1 = id.v1;
        row.hash_v2 = id.v2;
        row.owner_id = user.id;
        row.source = source;
        row.name = id.name;
        row.size = id.size;
        row.added_at = util::unix_now();
        if (queued) row.limit_state = "queued";
        // A magnet's size is unknown until its metadata arrives: the limit enforcer checks it.
        if (!id.size && (limits.max_torrent_size || limits.quota_bytes)) row.size_checked = false;
        std::int64_t row_id;
        try {
            // The server and the row as one step: the next add counts this torrent.
            std::lock_guard place(place_mu_);
            auto snap = registry_.snapshot();
            auto candidates = servers_.candidates(*snap);
            auto allowed = store_.group_servers(user.group_id);
            auto chosen = choose_server(candidates, allowed, id.size);
            if (!chosen) {
                // One server that does not answer (or none configured) says why, as it always
                // did: its link's sentence, written for any user.
                bool unconfigured = true;
                for (const auto& c : candidates) unconfigured = unconfigured && !c.configured;
                if (unconfigured)
                    throw TorrentError("qbittorrent_unreachable",
                                       user_message(FailKind::unconfigured));
                if (candidates.size() == 1 && !candidates[0].answering) {
                    const auto* l = snap->server_link(candidates[0].id);
                    throw TorrentError(
                        "qbittorrent_unreachable",
                        l && !l->error.empty() ? l->error : user_message(FailKind::unreachable));
                }
                throw TorrentError("no_server",
                                   "Aucun serveur qBittorrent ne peut recevoir ce torrent pour le "
                                   "moment.");
            }
            row.server_id = *chosen;
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
        req.tags.insert(req.tags.end(), opt.tags.begin(), opt.tags.end());
        std::optional<TorrentError> failed;
        try {
            req.save_path = co_await folder_of(user, row.server_id);
            if (!opt.subdir.empty()) req.save_path += "/" + opt.subdir;
            co_await servers_.client(row.server_id).add(req);
        } catch (const TorrentError& e) {
            failed = e;
        } catch (const QbtError& e) {
            // qBittorrent's own text and address stay in the log: users get a French sentence.
            spdlog::warn("ajout de {} refusé par qBittorrent : {}", id.qbt_id, e.what());
            failed = e.kind == FailKind::refused
                         ? TorrentError("qbittorrent_refused",
                                        "qBittorrent a refusé ce torrent (déjà présent ou "
                                        "invalide).")
                         : TorrentError("qbittorrent_unreachable", user_message(e.kind));
        }
        if (failed) {
            registry_.drop_row(row_id);
            throw *failed;
        }
        try {  // the torrent is added and owned: a failed audit row must not report a failure
            boost::json::object details{{"source", source}};
            if (!opt.via.empty()) details["via_token"] = opt.via;
            store::audit(store_, store::Actor::of(user), "torrent.add", "torrent", id.qbt_id,
                         details);
        } catch (const std::exception& e) {
            spdlog::error("journal d'audit : ajout de {} non enregistré : {}", id.qbt_id, e.what());
        }
        servers_.poke(row.server_id);
        r.ok = true;
        r.hash = id.qbt_id;
        r.name = id.name;
        if (queued) {
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
    co_return r;
}

}  // namespace essaim::qbt
