// A torrent's files and their downloads:
//   GET  /api/torrents/{hash}/files   the file list, with what may be downloaded and why not
//   POST /api/torrents/{hash}/links   signed links for paths exactly as /files lists them
//                                     (JSON, or a Metalink / URL list for a download manager)
//   POST /api/torrents/{hash}/zip     direct mode: a signed link to a folder as a .zip
//   GET  /api/torrents/{hash}/zip     the .zip itself (?folder, expires, md5: signed, no session,
//                                     opened by navigation, so refusals are HTML pages)
// Every file reached here comes from THIS torrent's own file list as qBittorrent reports it,
// joined to the torrent's save path, and passes download::check_file (inside the owner's folder,
// complete, not empty) — a path from the request is only ever looked up in that list. The
// handlers are coroutines: waiting for qBittorrent holds no thread.
#include "api/context.hpp"
#include "api/errors.hpp"
#include "api/torrent_access.hpp"
#include "auth/policy.hpp"
#include "download/direct.hpp"
#include "download/file_access.hpp"
#include "download/lists.hpp"
#include "download/paths.hpp"
#include "download/settings.hpp"
#include "download/signer.hpp"
#include "download/zip_stream.hpp"
#include "qbt/client.hpp"
#include "qbt/servers.hpp"
#include "util/clock.hpp"
#include "util/strings.hpp"

#include <boost/asio.hpp>
#include <boost/json.hpp>

#include <unistd.h>

#include <algorithm>

namespace essaim::api {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

asio::awaitable<std::vector<qbt::TorrentFile>> fetch_files(const Context& ctx,
                                                           const qbt::Entry& e) {
    std::string hash = e.hash;
    try {
        co_return co_await ctx.servers->client(e.server).files(hash);
    } catch (const qbt::QbtError& err) {
        if (err.kind != qbt::FailKind::not_found) rethrow_qbt(err);
    }
    co_return std::vector<qbt::TorrentFile>{};
}

// The folder this torrent's files must stay in ("" = none may be served).
std::string allowed_for(const download::Settings& s, const qbt::Entry& e) {
    return download::allowed_dir(s.storage_root, e.owner_folder, e.placement);
}

download::FileVerdict verdict_for(const download::Settings& s, const std::string& allowed,
                                  const qbt::Entry& e, const qbt::TorrentFile& f) {
    return download::check_file(s.root, allowed, e.save_path, f.path, f.size, f.progress);
}

const char* refusal_name(download::FileRefusal r) {
    switch (r) {
        case download::FileRefusal::incomplete:
            return "incomplete";
        case download::FileRefusal::empty:
            return "empty";
        case download::FileRefusal::outside:
            return "outside_folder";
        default:
            return nullptr;
    }
}

// Where relative links point when the base URL is a bare path (direct mode): the configured
// public URL, else the Host the browser used.
std::string origin_for(const Context& ctx, const http::Request& req) {
    if (!ctx.cfg.base_url.empty()) {
        auto o = ctx.cfg.base_url;
        if (auto s = o.find('/', o.find("://") == std::string::npos ? 0 : o.find("://") + 3);
            s != std::string::npos)
            o.resize(s);
        return o;
    }
    auto host = req.header("host");
    if (host.empty() || host.size() > 255) return {};
    for (char c : host)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != ':' && c != '-' &&
            c != '[' && c != ']')
            return {};
    return "http://" + std::string(host);
}

const char* unavailable_reason(const download::Settings& s, const store::User& u,
                               const qbt::Entry& e) {
    if (!auth::can_download(u, e.owner_id)) return "forbidden";
    if (!s.configured()) return "not_configured";
    return nullptr;
}

void require_downloadable(const download::Settings& s, const store::User& u, const qbt::Entry& e) {
    if (!auth::can_download(u, e.owner_id))
        throw ApiError(
            403, "forbidden",
            "Votre groupe ne vous autorise pas à télécharger les fichiers de ce torrent.");
    if (!s.configured())
        throw ApiError(503, "downloads_not_configured",
                       "Les téléchargements ne sont pas encore configurés : un administrateur doit "
                       "renseigner l'adresse du serveur de fichiers et le secret.");
}

asio::awaitable<http::Response> list_files(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    auto snap = ctx.registry->snapshot();
    const auto e = visible_entry(*snap, a, req);
    auto s = ctx.servers->downloads(e.server);
    const char* reason = unavailable_reason(s, a.user, e);
    std::vector<qbt::TorrentFile> files;
    if (e.in_qbt) files = co_await fetch_files(ctx, e);
    auto allowed = allowed_for(s, e);
    json::array out;
    bool any_inside = false;
    for (const auto& f : files) {
        auto v = verdict_for(s, allowed, e, f);
        any_inside |= v.refusal != download::FileRefusal::outside;
        const char* why = refusal_name(v.refusal);
        out.push_back(json::object{{"index", f.index},
                                   {"path", f.path},
                                   {"size", f.size},
                                   {"progress", f.progress},
                                   {"priority", f.priority},
                                   {"downloadable", !reason && !why},
                                   {"unavailable", why ? json::value(why) : json::value(nullptr)}});
    }
    if (!reason && !files.empty() && !any_inside) reason = "outside_folder";
    co_return http::Response::json(
        200, json::object{{"files", std::move(out)},
                          {"downloads", json::object{{"available", reason == nullptr},
                                                     {"reason", reason ? json::value(reason)
                                                                       : json::value(nullptr)},
                                                     {"direct", s.direct},
                                                     {"zip", s.direct},
                                                     {"ttl", s.ttl}}}});
}

std::string torrent_label(const std::vector<qbt::TorrentFile>& files) {
    if (files.empty()) return "torrent";
    auto p = files.front().path;
    auto slash = p.find('/');
    return slash == std::string::npos ? p : p.substr(0, slash);
}

asio::awaitable<http::Response> make_links(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    auto body = parse_json_object(req);
    auto format = opt_string(body, "format").value_or("json");
    if (format != "json" && format != "meta4" && format != "txt")
        throw ApiError(422, "invalid_format", "Format inconnu (json, meta4 ou txt).", "format");
    auto* paths = body.if_contains("paths");
    if (!paths || !paths->is_array() || paths->as_array().empty())
        throw ApiError(422, "missing_paths", "Choisissez au moins un fichier.", "paths");
    if (paths->as_array().size() > 20000)
        throw ApiError(422, "too_many_paths", "Trop de fichiers demandés d'un coup.", "paths");
    std::vector<std::string> wanted;
    for (const auto& p : paths->as_array()) {
        if (!p.is_string())
            throw ApiError(400, "invalid_json", "« paths » doit être une liste de chemins.",
                           "paths");
        std::string path(p.as_string());
        // Refused before anything else: "..", absolute paths, NUL, empty segments.
        if (!download::is_clean_relative(path))
            throw ApiError(422, "invalid_path", "Chemin de fichier refusé.", "paths");
        wanted.push_back(std::move(path));
    }
    auto snap = ctx.registry->snapshot();
    const auto e = visible_entry(*snap, a, req);
    auto s = ctx.servers->downloads(e.server);
    require_downloadable(s, a.user, e);
    std::vector<qbt::TorrentFile> files;
    if (e.in_qbt) files = co_await fetch_files(ctx, e);
    auto allowed = allowed_for(s, e);
    auto now = util::unix_now();
    auto origin = origin_for(ctx, req);
    json::array links;
    std::vector<download::ListedFile> listed;
    std::int64_t expires = 0;
    for (const auto& path : wanted) {
        auto it = std::find_if(files.begin(), files.end(),
                               [&](const qbt::TorrentFile& f) { return f.path == path; });
        if (it == files.end())
            throw ApiError(404, "file_not_found", "Ce fichier ne fait pas partie du torrent.",
                           "paths");
        auto v = verdict_for(s, allowed, e, *it);
        if (v.refusal != download::FileRefusal::none)
            throw ApiError(409,
                           v.refusal == download::FileRefusal::incomplete ? "file_incomplete"
                           : v.refusal == download::FileRefusal::empty    ? "file_empty"
                                                                          : "outside_folder",
                           "« " + path + " » : " + download::refusal_message(v.refusal), "paths");
        if (s.direct) {  // on this machine: the file must be there, reached without any link
            int fd = download::open_beneath(s.root, v.rel);
            if (fd < 0)
                throw ApiError(404, "file_not_found",
                               "Ce fichier est introuvable sur le disque du serveur.", "paths");
            ::close(fd);
        }
        auto link = download::file_link(s, v.rel, now, origin, req.remote_ip);
        expires = link.expires;
        listed.push_back({path, it->size, link.url});
        links.push_back(json::object{
            {"path", path}, {"url", link.url}, {"expires", link.expires}, {"size", it->size}});
    }
    audit(ctx, a, req, "torrent.links", "torrent", e.hash,
          {{"files", links.size()}, {"format", format}});
    if (format == "json")
        co_return http::Response::json(
            200, json::object{{"links", std::move(links)}, {"expires", expires}});
    http::Response r;
    r.status = 200;
    auto label = torrent_label(files);
    if (format == "meta4") {
        r.body = download::metalink4(listed);
        r.set_header("Content-Type", "application/metalink4+xml; charset=utf-8");
        label += ".meta4";
    } else {
        r.body = download::url_list(listed);
        r.set_header("Content-Type", "text/plain; charset=utf-8");
        label += ".txt";
    }
    std::string ascii;
    for (unsigned char c : label)
        ascii += (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') ? c : '_';
    r.set_header("Content-Disposition", "attachment; filename=\"" + ascii + "\"");
    co_return r;
}

// What a folder's .zip holds: the torrent's files under `folder`, each checked like a link.
struct ZipPlan {
    std::vector<download::ZipEntry> entries;
    std::size_t inside = 0;    // files of the torrent under the folder
    bool all_servable = true;  // every one of them passes check_file
    download::FileRefusal first_refusal = download::FileRefusal::none;
};

ZipPlan plan_zip(const download::Settings& s, const qbt::Entry& e,
                 const std::vector<qbt::TorrentFile>& files, const std::string& folder) {
    ZipPlan p;
    auto allowed = allowed_for(s, e);
    if (!download::folder_allowed(allowed, e.save_path, folder)) {
        p.all_servable = false;
        p.first_refusal = download::FileRefusal::outside;
    }
    auto name = folder.substr(folder.rfind('/') == std::string::npos ? 0 : folder.rfind('/') + 1);
    for (const auto& f : files) {
        if (!str::starts_with(f.path, folder + "/")) continue;
        ++p.inside;
        auto v = verdict_for(s, allowed, e, f);
        if (v.refusal != download::FileRefusal::none) {
            if (p.all_servable) p.first_refusal = v.refusal;
            p.all_servable = false;
            continue;
        }
        std::string entry_name = name + "/" + f.path.substr(folder.size() + 1);
        // A '\' is a path separator for Windows extractors: never let it through.
        std::replace(entry_name.begin(), entry_name.end(), '\\', '_');
        p.entries.push_back(
            {entry_name, v.rel, static_cast<std::uint64_t>(f.size), e.completion_on, s.root});
    }
    std::sort(
        p.entries.begin(), p.entries.end(),
        [](const download::ZipEntry& a, const download::ZipEntry& b) { return a.name < b.name; });
    return p;
}

// The signed URI of a folder's zip: torrent and folder are both under the signature.
std::string zip_uri(const std::string& hash, const std::string& folder) {
    return "/api/torrents/" + hash + "/zip/" + folder;
}

std::string clean_folder(std::string folder) {
    while (!folder.empty() && folder.back() == '/') folder.pop_back();
    return folder;
}

asio::awaitable<http::Response> make_zip(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    auto body = parse_json_object(req);
    auto folder = clean_folder(req_string(body, "folder"));
    if (!download::is_clean_relative(folder))
        throw ApiError(422, "invalid_path", "Chemin de dossier refusé.", "folder");
    auto snap = ctx.registry->snapshot();
    const auto e = visible_entry(*snap, a, req);
    auto s = ctx.servers->downloads(e.server);
    require_downloadable(s, a.user, e);
    if (!s.direct)
        throw ApiError(409, "zip_unavailable",
                       "Le téléchargement d'un dossier en .zip n'est possible que lorsque essaim "
                       "sert lui-même les fichiers. Utilisez « Télécharger tout ».");
    std::vector<qbt::TorrentFile> files;
    if (e.in_qbt) files = co_await fetch_files(ctx, e);
    auto plan = plan_zip(s, e, files, folder);
    if (plan.inside == 0)
        throw ApiError(404, "folder_not_found", "Ce dossier ne fait pas partie du torrent.",
                       "folder");
    if (!plan.all_servable)
        throw ApiError(409,
                       plan.first_refusal == download::FileRefusal::outside ? "outside_folder"
                                                                            : "folder_incomplete",
                       plan.first_refusal == download::FileRefusal::outside
                           ? download::refusal_message(plan.first_refusal)
                           : "Ce dossier contient des fichiers pas encore entièrement téléchargés "
                             "ou vides.",
                       "folder");
    auto size = download::ZipStream(plan.entries).size();
    auto now = util::unix_now();
    auto expires = now + s.ttl;
    auto md5 = download::link_hash(zip_uri(e.hash, folder), expires, s.secret,
                                   s.bind_ip ? std::string_view(req.remote_ip) : "");
    auto url = origin_for(ctx, req) + "/api/torrents/" + e.hash +
               "/zip?folder=" + download::encode_path(folder) +
               "&expires=" + std::to_string(expires) + "&md5=" + md5;
    auto name = folder.substr(folder.rfind('/') == std::string::npos ? 0 : folder.rfind('/') + 1);
    audit(ctx, a, req, "torrent.zip", "torrent", e.hash, {{"folder", folder}});
    co_return http::Response::json(
        200,
        json::object{{"url", url}, {"expires", expires}, {"name", name + ".zip"}, {"size", size}});
}

// GET …/zip?folder&expires&md5: no session (the link may be opened by a download manager); the
// signature names the torrent and the folder, and the files come from the torrent's list now.
asio::awaitable<http::Response> serve_zip(const Context& ctx, http::Request& req) {
    // The secret is every server's; the torrent's server says below whether essaim serves it.
    auto s = download::load_settings(ctx.store);
    if (s.secret.empty())
        co_return download::page(404, "Téléchargement direct désactivé",
                                 "Ce serveur essaim ne sert pas les fichiers lui-même.");
    auto hash = str::to_lower(req.params.at("hash"));
    auto folder = clean_folder(req.query_param("folder").value_or(""));
    auto check =
        download::check_link(zip_uri(hash, folder), req.query_param("md5").value_or(""),
                             req.query_param("expires").value_or(""), s.secret, util::unix_now(),
                             s.bind_ip ? std::string_view(req.remote_ip) : std::string_view());
    if (check == download::LinkCheck::invalid || !download::is_clean_relative(folder))
        co_return download::page(403, "Lien invalide",
                                 "Ce lien de téléchargement n'est pas valide (incomplet ou "
                                 "modifié). Demandez un nouveau lien depuis la page du torrent.");
    if (check == download::LinkCheck::expired)
        co_return download::page(410, "Lien expiré",
                                 "Ce lien de téléchargement a expiré. Générez un nouveau lien "
                                 "depuis la page du torrent dans essaim.");
    auto snap = ctx.registry->snapshot();
    const auto* found = snap->find(hash);
    if (!found || found->removed || !found->in_qbt)
        co_return download::page(404, "Dossier introuvable",
                                 "Ce torrent n'existe plus sur le serveur.");
    const auto e = *found;
    s = ctx.servers->downloads(e.server);
    if (!s.direct || !s.configured())
        co_return download::page(404, "Téléchargement direct désactivé",
                                 "Ce serveur essaim ne sert pas les fichiers lui-même.");
    std::vector<qbt::TorrentFile> files;
    try {
        files = co_await ctx.servers->client(e.server).files(e.hash);
    } catch (const qbt::QbtError&) {
        co_return download::page(
            503, "Serveur occupé",
            "Le serveur qBittorrent ne répond pas : réessayez dans un moment.");
    }
    auto plan = plan_zip(s, e, files, folder);
    if (plan.inside == 0 || !plan.all_servable)
        co_return download::page(404, "Dossier introuvable",
                                 "Ce dossier n'est plus disponible au téléchargement.");
    auto name = folder.substr(folder.rfind('/') == std::string::npos ? 0 : folder.rfind('/') + 1);
    http::Response r;
    r.set_header("Content-Type", "application/zip");
    r.set_header("Cache-Control", "private, max-age=0");
    r.set_header("Accept-Ranges", "none");
    r.set_header("Content-Disposition", download::content_disposition(true, name + ".zip"));
    r.stream_body = std::make_shared<download::ZipStream>(std::move(plan.entries));
    co_return r;
}

}  // namespace

void register_file_routes(http::Router& r, const Context& ctx) {
    r.add_async("GET", "/api/torrents/{hash}/files",
                [&ctx](http::Request& q) { return list_files(ctx, q); });
    r.add_async("POST", "/api/torrents/{hash}/links",
                [&ctx](http::Request& q) { return make_links(ctx, q); });
    r.add_async("POST", "/api/torrents/{hash}/zip",
                [&ctx](http::Request& q) { return make_zip(ctx, q); });
    r.add_async("GET", "/api/torrents/{hash}/zip",
                [&ctx](http::Request& q) { return serve_zip(ctx, q); });
}

}  // namespace essaim::api
