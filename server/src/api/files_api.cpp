// A torrent's files and their downloads:
//   GET  /api/torrents/{hash}/files   the file list, with what may be downloaded and why not
//   POST /api/torrents/{hash}/links   signed links for paths exactly as /files lists them
//                                     (JSON, or a Metalink / URL list for a download manager)
//   POST /api/torrents/{hash}/zip     direct mode: a signed link streaming a folder as a .zip
// Paths are looked up in qBittorrent's own file list and mapped under the download root before
// anything is signed: a path never goes from the request into a link unchecked.
#include "api/context.hpp"
#include "api/errors.hpp"
#include "api/torrent_access.hpp"
#include "auth/policy.hpp"
#include "download/lists.hpp"
#include "download/paths.hpp"
#include "download/settings.hpp"
#include "download/zip_stream.hpp"
#include "qbt/client.hpp"
#include "util/strings.hpp"

#include "http/run_on.hpp"

#include <boost/asio.hpp>
#include <boost/json.hpp>

namespace essaim::api {
namespace json = boost::json;

namespace {

struct TorrentFile {
    std::string path;  // as qBittorrent names it (relative to the torrent's save path)
    std::int64_t size = 0;
    double progress = 0;
    std::int64_t priority = 1;
    std::int64_t index = 0;
};

struct TorrentFiles {
    std::string save_path;
    std::vector<TorrentFile> files;
};

std::int64_t int_of(const json::object& o, const char* k) {
    auto* v = o.if_contains(k);
    if (!v) return 0;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
    if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
    return 0;
}

TorrentFiles fetch_files(const Context& ctx, const qbt::Entry& e) {
    TorrentFiles out;
    if (!e.in_qbt) return out;
    try {
        auto props = http::run_on(*ctx.ioc, ctx.qbt->properties(e.hash));
        if (props.is_object())
            if (auto* sp = props.as_object().if_contains("save_path"); sp && sp->is_string())
                out.save_path = std::string(sp->as_string());
        auto fl = http::run_on(*ctx.ioc, ctx.qbt->files(e.hash));
        if (fl.is_array())
            for (const auto& f : fl.as_array()) {
                if (!f.is_object()) continue;
                const auto& o = f.as_object();
                auto* name = o.if_contains("name");
                if (!name || !name->is_string()) continue;
                TorrentFile tf;
                tf.path = std::string(name->as_string());
                tf.size = int_of(o, "size");
                if (auto* p = o.if_contains("progress"); p && p->is_number())
                    tf.progress = p->to_number<double>();
                tf.priority = int_of(o, "priority");
                tf.index = int_of(o, "index");
                out.files.push_back(std::move(tf));
            }
    } catch (const qbt::QbtError& err) {
        if (err.kind != qbt::FailKind::not_found) rethrow_qbt(err);
    }
    return out;
}

bool complete(const TorrentFile& f) {
    return f.progress >= 1.0;
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
    if (!auth::can_download(u, e)) return "forbidden";
    if (!s.configured()) return "not_configured";
    return nullptr;
}

void require_downloadable(const download::Settings& s, const store::User& u, const qbt::Entry& e) {
    if (!auth::can_download(u, e))
        throw ApiError(
            403, "forbidden",
            "Votre groupe ne vous autorise pas à télécharger les fichiers de ce torrent.");
    if (!s.configured())
        throw ApiError(503, "downloads_not_configured",
                       "Les téléchargements ne sont pas encore configurés : un administrateur doit "
                       "renseigner l'adresse du serveur de fichiers et le secret.");
}

http::Response list_files(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    auto snap = ctx.registry->snapshot();
    const auto& e = visible_entry(*snap, a, req);
    auto s = download::load_settings(ctx.store);
    const char* reason = unavailable_reason(s, a.user, e);
    auto tf = fetch_files(ctx, e);
    json::array out;
    for (const auto& f : tf.files) {
        bool mapped =
            !reason && download::relative_to_root(s.root, tf.save_path, f.path).has_value();
        out.push_back(json::object{{"index", f.index},
                                   {"path", f.path},
                                   {"size", f.size},
                                   {"progress", f.progress},
                                   {"priority", f.priority},
                                   {"downloadable", mapped && complete(f)}});
    }
    if (!reason && !tf.files.empty() &&
        !download::relative_to_root(s.root, tf.save_path, tf.files.front().path))
        reason = "outside_root";
    return http::Response::json(
        200, json::object{{"files", std::move(out)},
                          {"downloads", json::object{{"available", reason == nullptr},
                                                     {"reason", reason ? json::value(reason)
                                                                       : json::value(nullptr)},
                                                     {"direct", s.direct},
                                                     {"zip", s.direct},
                                                     {"ttl", s.ttl}}}});
}

const TorrentFile& find_file(const TorrentFiles& tf, const std::string& path) {
    for (const auto& f : tf.files)
        if (f.path == path) return f;
    throw ApiError(404, "file_not_found", "Ce fichier ne fait pas partie du torrent.", "paths");
}

std::string checked_relative(const download::Settings& s, const TorrentFiles& tf,
                             const std::string& path, bool directory) {
    auto rel = download::relative_to_root(s.root, tf.save_path, path);
    if (!rel)
        throw ApiError(409, "outside_root",
                       "Les fichiers de ce torrent sont hors du dossier servi par le serveur de "
                       "téléchargement : un administrateur doit vérifier le réglage « dossier "
                       "racine ».");
    if (s.direct) {
        // On this machine: the real path (symlinks resolved) must stay under the root.
        auto real = directory ? download::resolve_dir_under_root(s.root, *rel)
                              : download::resolve_under_root(s.root, *rel);
        if (!real)
            throw ApiError(404, "file_not_found",
                           "Ce fichier est introuvable sur le disque du serveur.", "paths");
    }
    return *rel;
}

std::string torrent_label(const TorrentFiles& tf) {
    if (tf.files.empty()) return "torrent";
    auto p = tf.files.front().path;
    auto slash = p.find('/');
    return slash == std::string::npos ? p : p.substr(0, slash);
}

http::Response make_links(const Context& ctx, http::Request& req) {
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
    const auto& e = visible_entry(*snap, a, req);
    auto s = download::load_settings(ctx.store);
    require_downloadable(s, a.user, e);
    auto tf = fetch_files(ctx, e);
    auto now = now_unix();
    auto origin = origin_for(ctx, req);
    json::array links;
    std::vector<download::ListedFile> listed;
    std::int64_t expires = 0;
    for (const auto& path : wanted) {
        const auto& f = find_file(tf, path);
        if (!complete(f))
            throw ApiError(409, "file_incomplete",
                           "« " + path + " » n'est pas encore entièrement téléchargé.", "paths");
        auto link = download::file_link(s, checked_relative(s, tf, path, false), now, origin,
                                        req.remote_ip);
        expires = link.expires;
        listed.push_back({path, f.size, link.url});
        links.push_back(json::object{
            {"path", path}, {"url", link.url}, {"expires", link.expires}, {"size", f.size}});
    }
    ctx.store.audit({a.user.id, a.user.username, "torrent.links", "torrent", e.hash,
                     json::serialize(json::object{{"files", links.size()}, {"format", format}}),
                     req.remote_ip});
    if (format == "json")
        return http::Response::json(
            200, json::object{{"links", std::move(links)}, {"expires", expires}});
    http::Response r;
    r.status = 200;
    auto label = torrent_label(tf);
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
    return r;
}

http::Response make_zip(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    auto body = parse_json_object(req);
    auto folder = req_string(body, "folder");
    while (!folder.empty() && folder.back() == '/') folder.pop_back();
    if (!download::is_clean_relative(folder))
        throw ApiError(422, "invalid_path", "Chemin de dossier refusé.", "folder");
    auto snap = ctx.registry->snapshot();
    const auto& e = visible_entry(*snap, a, req);
    auto s = download::load_settings(ctx.store);
    require_downloadable(s, a.user, e);
    if (!s.direct)
        throw ApiError(409, "zip_unavailable",
                       "Le téléchargement d'un dossier en .zip n'est possible que lorsque essaim "
                       "sert lui-même les fichiers. Utilisez « Télécharger tout ».");
    auto tf = fetch_files(ctx, e);
    std::size_t inside = 0;
    for (const auto& f : tf.files) {
        if (!str::starts_with(f.path, folder + "/")) continue;
        ++inside;
        if (!complete(f))
            throw ApiError(409, "folder_incomplete",
                           "Ce dossier contient des fichiers pas encore entièrement téléchargés.",
                           "folder");
    }
    if (inside == 0)
        throw ApiError(404, "folder_not_found", "Ce dossier ne fait pas partie du torrent.",
                       "folder");
    auto rel = checked_relative(s, tf, folder, true);
    auto dir = download::resolve_dir_under_root(s.root, rel);
    auto name = folder.substr(folder.rfind('/') == std::string::npos ? 0 : folder.rfind('/') + 1);
    std::uint64_t size = 0;
    if (dir) size = download::ZipStream(download::entries_for_directory(*dir, name + "/")).size();
    auto link = download::zip_link(s, rel, now_unix(), origin_for(ctx, req), req.remote_ip);
    ctx.store.audit({a.user.id, a.user.username, "torrent.zip", "torrent", e.hash,
                     json::serialize(json::object{{"folder", folder}}), req.remote_ip});
    return http::Response::json(
        200,
        json::object{
            {"url", link.url}, {"expires", link.expires}, {"name", name + ".zip"}, {"size", size}});
}

}  // namespace

void register_file_routes(http::Router& r, const Context& ctx) {
    using http::Exec;
    r.add(
        "GET", "/api/torrents/{hash}/files",
        [&ctx](http::Request& q) { return list_files(ctx, q); }, Exec::worker);
    r.add(
        "POST", "/api/torrents/{hash}/links",
        [&ctx](http::Request& q) { return make_links(ctx, q); }, Exec::worker);
    r.add(
        "POST", "/api/torrents/{hash}/zip", [&ctx](http::Request& q) { return make_zip(ctx, q); },
        Exec::worker);
}

}  // namespace essaim::api
