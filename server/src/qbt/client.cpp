#include "qbt/client.hpp"

#include "http/message.hpp"
#include "store/settings_view.hpp"
#include "util/crypto.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace essaim::qbt {
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

std::string sid_from(const http::ClientResponse& r) {
    for (const auto& c : r.header_all("set-cookie"))
        if (c.rfind("SID=", 0) == 0) return c.substr(4, c.find(';') - 4);
    return {};
}

boost::json::value parse_json(const std::string& body, const char* what) {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (ec)
        throw QbtError(FailKind::protocol,
                       std::string("réponse JSON illisible de qBittorrent (") + what + ")");
    return v;
}

}  // namespace

Client::Client(asio::any_io_executor ex, Counters& counters)
    : http_(std::move(ex), 4), counters_(counters) {}

void Client::set_connection(Connection c) {
    std::lock_guard lock(mu_);
    while (!c.url.empty() && c.url.back() == '/') c.url.pop_back();
    if (c == conn_) return;
    conn_ = std::move(c);
    sid_.clear();
    blocked_message_.clear();
    version_.reset();
    app_version_.reset();
    ++generation_;
    http_.drop_idle();
}

Connection Client::connection() const {
    std::lock_guard lock(mu_);
    return conn_;
}

// Interprets the answer to auth/login (plain function: g++ 12 mishandles some string
// temporaries inside coroutines). Returns the SID or throws.
std::string Client::login_result(const Connection& c, const http::ClientResponse& res) {
    if (res.status == 0) {
        counters_.failures++;
        throw QbtError(FailKind::unreachable,
                       "qBittorrent est injoignable (" + c.url + ") : " + res.error);
    }
    std::lock_guard lock(mu_);
    if (res.status == 200 && res.body == "Ok.") {
        auto sid = sid_from(res);
        if (conn_ == c) sid_ = sid;
        return sid;
    }
    counters_.failures++;
    if (res.status == 200 && res.body == "Fails.") {
        blocked_kind_ = FailKind::bad_credentials;
        blocked_message_ =
            "qBittorrent refuse le nom d'utilisateur ou le mot de passe configuré. Corrigez-les "
            "dans les "
            "paramètres : essaim ne réessaie pas d'ici là, pour ne pas faire bannir son adresse "
            "IP.";
        blocked_until_ = std::chrono::steady_clock::time_point::max();
        spdlog::error(
            "qBittorrent: login refused for user '{}' — not retrying until the settings change",
            c.username);
        throw QbtError(FailKind::bad_credentials, blocked_message_, 200);
    }
    if (res.status == 403) {
        blocked_kind_ = FailKind::banned;
        blocked_message_ =
            "qBittorrent a banni l'adresse IP de essaim après trop d'échecs de connexion. Attendez "
            "la fin "
            "du bannissement (une heure par défaut) ou redémarrez qBittorrent.";
        blocked_until_ = std::chrono::steady_clock::now() + 10min;
        throw QbtError(FailKind::banned, blocked_message_, 403);
    }
    if (res.status == 401)
        throw QbtError(FailKind::refused,
                       "qBittorrent refuse la requête (401) : vérifiez que l'adresse configurée "
                       "est exactement "
                       "celle de son interface web.",
                       401);
    throw QbtError(FailKind::protocol,
                   "réponse inattendue de qBittorrent à la connexion (HTTP " +
                       std::to_string(res.status) + ")",
                   res.status);
}

asio::awaitable<std::string> Client::login(const Connection& c) {
    counters_.requests++;
    counters_.logins++;
    http::ClientRequest req{
        "POST",
        c.url + "/api/v2/auth/login",
        {{"Content-Type", http::kFormType}},
        "username=" + http::form_encode(c.username) + "&password=" + http::form_encode(c.password),
        10s};
    auto res = co_await http_.request(std::move(req));
    co_return login_result(c, res);
}

asio::awaitable<std::string> Client::call(std::string method, std::string path, std::string body,
                                          std::string content_type,
                                          std::chrono::milliseconds timeout) {
    Connection c;
    std::string sid;
    {
        std::lock_guard lock(mu_);
        c = conn_;
        sid = sid_;
        if (c.url.empty())
            throw QbtError(FailKind::unconfigured, "Aucun serveur qBittorrent n'est configuré.");
        if (!blocked_message_.empty()) {
            if (std::chrono::steady_clock::now() < blocked_until_)
                throw QbtError(blocked_kind_, blocked_message_);
            blocked_message_.clear();
        }
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (sid.empty()) sid = co_await login(c);
        http::ClientRequest req{method, c.url + path, {}, body, timeout};
        if (!sid.empty()) req.headers.emplace_back("Cookie", "SID=" + sid);
        if (!content_type.empty()) req.headers.emplace_back("Content-Type", content_type);
        counters_.requests++;
        if (path.rfind("/api/v2/sync/maindata", 0) == 0) counters_.maindata++;
        auto res = co_await http_.request(std::move(req));
        if (res.status == 0) {
            counters_.failures++;
            throw QbtError(FailKind::unreachable,
                           "qBittorrent est injoignable (" + c.url + ") : " + res.error);
        }
        if (res.status == 403) {  // session expired or qBittorrent restarted: log in again
            sid.clear();
            continue;
        }
        if (res.status == 200) co_return std::move(res.body);
        counters_.failures++;
        if (res.status == 404)
            throw QbtError(FailKind::not_found, "qBittorrent ne connaît pas cet élément (404).",
                           404);
        throw QbtError(FailKind::refused,
                       "qBittorrent a refusé la requête (HTTP " + std::to_string(res.status) + ")" +
                           (res.body.empty() ? "" : " : " + res.body.substr(0, 200)),
                       res.status);
    }
    throw QbtError(FailKind::refused,
                   "qBittorrent refuse l'accès malgré une connexion réussie (403).", 403);
}

asio::awaitable<ApiVersion> Client::api_version() {
    {
        std::lock_guard lock(mu_);
        if (version_) co_return *version_;
    }
    auto v = parse_api_version(co_await call("GET", "/api/v2/app/webapiVersion"));
    std::lock_guard lock(mu_);
    version_ = v;
    co_return v;
}

asio::awaitable<std::string> Client::app_version() {
    {
        std::lock_guard lock(mu_);
        if (app_version_) co_return *app_version_;
    }
    auto v = co_await call("GET", "/api/v2/app/version");
    std::lock_guard lock(mu_);
    app_version_ = v;
    co_return v;
}

asio::awaitable<boost::json::value> Client::maindata(std::int64_t rid) {
    auto body =
        co_await call("GET", "/api/v2/sync/maindata?rid=" + std::to_string(rid), {}, {}, 30s);
    co_return parse_json(body, "sync/maindata");
}

asio::awaitable<void> Client::add(const AddRequest& r) {
    // multipart/form-data: the only encoding that carries .torrent bytes.
    std::string boundary = "essaim" + crypto::hex_encode(crypto::random_bytes(12));
    std::string body;
    auto field = [&](const std::string& name, const std::string& value) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
                "\"\r\n\r\n" + value + "\r\n";
    };
    if (!r.urls.empty()) {
        std::string joined;
        for (const auto& u : r.urls) joined += (joined.empty() ? "" : "\n") + u;
        field("urls", joined);
    }
    if (!r.torrent_bytes.empty()) {
        std::string fname;
        for (char ch : r.torrent_filename)
            fname += (ch == '"' || ch == '\r' || ch == '\n') ? '_' : ch;
        body += "--" + boundary +
                "\r\nContent-Disposition: form-data; name=\"torrents\"; filename=\"" + fname +
                "\"\r\nContent-Type: application/x-bittorrent\r\n\r\n";
        body += r.torrent_bytes;
        body += "\r\n";
    }
    if (!r.tags.empty()) {
        std::string joined;
        for (const auto& t : r.tags) joined += (joined.empty() ? "" : ",") + t;
        field("tags", joined);
    }
    if (!r.save_path.empty()) {
        field("savepath", r.save_path);
        field("autoTMM", "false");
        field("useDownloadPath", "false");  // qBittorrent ≥ 4.4; ignored before
    }
    if (r.download_limit) field("dlLimit", std::to_string(*r.download_limit));
    if (r.upload_limit) field("upLimit", std::to_string(*r.upload_limit));
    if (r.ratio_limit) field("ratioLimit", std::to_string(*r.ratio_limit));
    if (r.seeding_time_limit) field("seedingTimeLimit", std::to_string(*r.seeding_time_limit));
    if (!r.category.empty()) field("category", r.category);
    if (r.sequential) field("sequentialDownload", "true");
    if (r.first_last_piece) field("firstLastPiecePrio", "true");
    if (!r.rename.empty()) field("rename", r.rename);
    auto v = co_await api_version();
    field(v.stop_start() ? "stopped" : "paused", r.paused ? "true" : "false");
    body += "--" + boundary + "--\r\n";
    auto res = co_await call("POST", "/api/v2/torrents/add", std::move(body),
                             "multipart/form-data; boundary=" + boundary);
    if (res != "Ok.")
        throw QbtError(FailKind::refused,
                       "qBittorrent a refusé ce torrent (déjà présent ou invalide).", 200);
}

asio::awaitable<void> Client::pause(const std::string& hash) {
    auto v = co_await api_version();
    co_await call("POST", v.stop_start() ? "/api/v2/torrents/stop" : "/api/v2/torrents/pause",
                  "hashes=" + http::form_encode(hash), http::kFormType);
}

asio::awaitable<void> Client::resume(const std::string& hash) {
    auto v = co_await api_version();
    co_await call("POST", v.stop_start() ? "/api/v2/torrents/start" : "/api/v2/torrents/resume",
                  "hashes=" + http::form_encode(hash), http::kFormType);
}

namespace {

struct LimitBodies {
    std::string download, upload, share;
};

// Plain function on purpose: g++ 12 miscompiles string temporaries built inside the coroutine.
LimitBodies limit_bodies(const std::string& hashes, std::optional<std::int64_t> download_limit,
                         std::optional<std::int64_t> upload_limit,
                         std::optional<double> ratio_limit,
                         std::optional<std::int64_t> seeding_time_limit) {
    const std::string h = "hashes=" + http::form_encode(hashes);
    std::string ratio = "-2", seeding = "-2";  // -2 = qBittorrent's global setting
    if (ratio_limit) ratio = std::to_string(*ratio_limit);
    if (seeding_time_limit) seeding = std::to_string(*seeding_time_limit);
    // inactiveSeedingTimeLimit is required since qBittorrent 4.6 (ignored before).
    return {h + "&limit=" + std::to_string(download_limit.value_or(0)),
            h + "&limit=" + std::to_string(upload_limit.value_or(0)),
            h + "&ratioLimit=" + ratio + "&seedingTimeLimit=" + seeding +
                "&inactiveSeedingTimeLimit=-2"};
}

}  // namespace

asio::awaitable<void> Client::set_limits(const std::string& hashes,
                                         std::optional<std::int64_t> download_limit,
                                         std::optional<std::int64_t> upload_limit,
                                         std::optional<double> ratio_limit,
                                         std::optional<std::int64_t> seeding_time_limit) {
    auto b = limit_bodies(hashes, download_limit, upload_limit, ratio_limit, seeding_time_limit);
    co_await call("POST", "/api/v2/torrents/setDownloadLimit", b.download, http::kFormType);
    co_await call("POST", "/api/v2/torrents/setUploadLimit", b.upload, http::kFormType);
    co_await call("POST", "/api/v2/torrents/setShareLimits", b.share, http::kFormType);
}

asio::awaitable<void> Client::remove(const std::string& hash, bool delete_files) {
    co_await call(
        "POST", "/api/v2/torrents/delete",
        "hashes=" + http::form_encode(hash) + "&deleteFiles=" + (delete_files ? "true" : "false"),
        http::kFormType);
}

asio::awaitable<void> Client::add_tags(const std::string& hash, const std::string& tags) {
    co_await call("POST", "/api/v2/torrents/addTags",
                  "hashes=" + http::form_encode(hash) + "&tags=" + http::form_encode(tags),
                  http::kFormType);
}

std::optional<std::string> Client::known_version() const {
    std::lock_guard lock(mu_);
    return app_version_;
}

Connection connection_of(store::Store& s) {
    return {store::text(s, settings::qbt_url), store::text(s, settings::qbt_username),
            store::text(s, settings::qbt_password)};
}

std::string user_message(FailKind k) {
    switch (k) {
        case FailKind::unconfigured:
            return "Aucun serveur qBittorrent n'est configuré.";
        case FailKind::bad_credentials:
        case FailKind::banned:
            return "essaim ne parvient pas à se connecter à qBittorrent (identifiants refusés) : "
                   "un administrateur doit vérifier les réglages.";
        case FailKind::refused:
            return "qBittorrent a refusé l'opération.";
        case FailKind::disabled:
            return "Ce serveur qBittorrent est désactivé : ses torrents ne peuvent pas être "
                   "modifiés pour le moment.";
        default:
            return "Le serveur qBittorrent ne répond pas.";
    }
}

asio::awaitable<std::string> Client::default_save_path() {
    co_return co_await call("GET", "/api/v2/app/defaultSavePath");
}

asio::awaitable<void> Client::set_location(const std::string& hashes, const std::string& location) {
    co_await call(
        "POST", "/api/v2/torrents/setLocation",
        "hashes=" + http::form_encode(hashes) + "&location=" + http::form_encode(location),
        http::kFormType);
}

asio::awaitable<std::vector<TorrentFile>> Client::files(const std::string& hash) {
    auto body = co_await call("GET", "/api/v2/torrents/files?hash=" + http::form_encode(hash));
    co_return parse_torrent_files(parse_json(body, "torrents/files"));
}

asio::awaitable<TorrentProperties> Client::properties(const std::string& hash) {
    auto body = co_await call("GET", "/api/v2/torrents/properties?hash=" + http::form_encode(hash));
    co_return parse_properties(parse_json(body, "torrents/properties"));
}

asio::awaitable<std::vector<Tracker>> Client::trackers(const std::string& hash) {
    auto body = co_await call("GET", "/api/v2/torrents/trackers?hash=" + http::form_encode(hash));
    co_return parse_trackers(parse_json(body, "torrents/trackers"));
}

}  // namespace essaim::qbt
