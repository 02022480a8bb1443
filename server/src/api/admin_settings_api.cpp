// /api/admin/settings: qBittorrent, Jackett, downloads and general settings for administrators,
// and the "Tester" actions. Secrets are write-only: GET says whether one is set, PUT replaces
// it only when a new value is sent; the store seals them at rest (store/settings_cipher.hpp).
// The sync loop re-reads qBittorrent's connection every round, so a change applies at once.
#include "api/context.hpp"
#include "api/errors.hpp"
#include "download/file_access.hpp"
#include "download/paths.hpp"
#include "download/settings.hpp"
#include "http/client.hpp"
#include "jackett/client.hpp"
#include "notify/dispatcher.hpp"
#include "notify/messages.hpp"
#include "qbt/client.hpp"
#include "qbt/registry.hpp"
#include "qbt/sync_loop.hpp"
#include "qbt/webapi.hpp"
#include "store/setting_rules.hpp"
#include "util/crypto.hpp"
#include "util/strings.hpp"

#include "http/run_on.hpp"

#include <boost/asio.hpp>
#include <boost/json.hpp>

namespace essaim::api {
namespace json = boost::json;

namespace {

std::string get(const Context& ctx, const char* key, std::string def = "") {
    return ctx.store.setting(key).value_or(def);
}
bool is_set(const Context& ctx, const char* key) {
    return !get(ctx, key).empty();
}

std::int64_t smtp_port(const Context& ctx) {
    try {
        return std::stoll(get(ctx, "smtp_port", "587"));
    } catch (const std::exception&) {
        return 587;
    }
}

json::object settings_json(const Context& ctx) {
    auto ds = download::load_settings(ctx.store);
    auto def_name = get(ctx, "default_group", "Utilisateurs");
    auto def = ctx.store.group_by_name(def_name);
    std::int64_t timeout = 30;
    try {
        timeout = std::stoll(get(ctx, "jackett_timeout", "30"));
    } catch (const std::exception&) {
    }
    bool allow_private = store::allow_private_targets(ctx.store);
    return json::object{
        {"qbittorrent", json::object{{"url", get(ctx, "qbt_url")},
                                     {"username", get(ctx, "qbt_username")},
                                     {"password_set", is_set(ctx, "qbt_password")},
                                     {"managed", get(ctx, "qbt_managed") == "true"}}},
        {"jackett", json::object{{"url", get(ctx, "jackett_url")},
                                 {"api_key_set", is_set(ctx, "jackett_api_key")},
                                 {"timeout", timeout}}},
        {"downloads", json::object{{"base_url", get(ctx, "download_base_url")},
                                   {"root", ds.root},
                                   {"secret_set", !ds.secret.empty()},
                                   {"ttl", ds.ttl},
                                   {"bind_ip", ds.bind_ip},
                                   {"direct", ds.direct},
                                   {"nginx_snippet", download::nginx_snippet(ds, "<SECRET>")}}},
        {"notifications",
         json::object{{"smtp_host", get(ctx, "smtp_host")},
                      {"smtp_port", smtp_port(ctx)},
                      {"smtp_username", get(ctx, "smtp_username")},
                      {"smtp_password_set", is_set(ctx, "smtp_password")},
                      {"smtp_from", get(ctx, "smtp_from")},
                      {"smtp_starttls", get(ctx, "smtp_starttls", "true") == "true"},
                      {"smtp_verify_tls", get(ctx, "smtp_verify_tls", "true") == "true"},
                      // Before issue 16: the same setting, for webhooks only. Still read
                      // and written here (an alias of general.allow_private_targets).
                      {"webhook_allow_private", allow_private}}},
        {"general",
         json::object{{"registration_open", get(ctx, "registration_open", "true") != "false"},
                      {"default_group_id", def ? json::value(def->id) : json::value(2)},
                      {"site_name", get(ctx, "site_name", "essaim")},
                      {"allow_private_targets", allow_private}}}};
}

const json::object* section(const json::object& body, const char* name) {
    auto* v = body.if_contains(name);
    if (!v || v->is_null()) return nullptr;
    if (!v->is_object())
        throw ApiError(422, "invalid_settings", "Section de réglages invalide.", name);
    return &v->as_object();
}

std::string checked_url(const std::string& v, const std::string& field) {
    auto t = std::string(str::trim(v));
    if (!t.empty() && !str::starts_with(t, "http://") && !str::starts_with(t, "https://"))
        throw ApiError(422, "invalid_url", "L'adresse doit commencer par http:// ou https://.",
                       field);
    if (t.find_first_of(" \t\r\n") != std::string::npos)
        throw ApiError(422, "invalid_url", "L'adresse ne doit pas contenir d'espace.", field);
    return t;
}

std::int64_t checked_int(const json::object& o, const char* key, std::int64_t min, std::int64_t max,
                         const std::string& field) {
    auto v = opt_int(o, key);
    if (!v || *v < min || *v > max)
        throw ApiError(422, "invalid_number",
                       "La valeur doit être comprise entre " + std::to_string(min) + " et " +
                           std::to_string(max) + ".",
                       field);
    return *v;
}

// Collects validated changes first, writes them all after: a 422 changes nothing.
struct Changes {
    std::vector<std::pair<std::string, std::string>> values;
    json::array keys;
    void set(const std::string& k, std::string v) {
        values.emplace_back(k, std::move(v));
        keys.emplace_back(k);
    }
};

void read_secret(const json::object& o, const char* field, const char* key, const std::string& path,
                 Changes& c, std::size_t min_len = 0) {
    auto* v = o.if_contains(field);
    if (!v || v->is_null()) return;
    if (!v->is_string())
        throw ApiError(422, "invalid_settings", "Ce champ doit être un texte.", path);
    std::string s(v->as_string());
    if (!s.empty() && s.size() < min_len)
        throw ApiError(
            422, "secret_too_short",
            "Le secret doit contenir au moins " + std::to_string(min_len) + " caractères.", path);
    c.set(key, s);
}

http::Response get_settings(const Context& ctx, http::Request& req) {
    require_admin(ctx, req);
    return http::Response::json(200, settings_json(ctx));
}

http::Response put_settings(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    auto body = parse_json_object(req);
    Changes c;
    if (auto* q = section(body, "qbittorrent")) {
        if (auto u = opt_string(*q, "url")) c.set("qbt_url", checked_url(*u, "qbittorrent.url"));
        if (auto u = opt_string(*q, "username")) c.set("qbt_username", *u);
        read_secret(*q, "password", "qbt_password", "qbittorrent.password", c);
        if (q->contains("url") || q->contains("username") || q->contains("password"))
            c.set("qbt_managed", "false");  // the admin took over the connection
    }
    if (auto* j = section(body, "jackett")) {
        if (auto u = opt_string(*j, "url")) c.set("jackett_url", checked_url(*u, "jackett.url"));
        read_secret(*j, "api_key", "jackett_api_key", "jackett.api_key", c);
        if (j->contains("timeout"))
            c.set("jackett_timeout",
                  std::to_string(checked_int(*j, "timeout", 1, 300, "jackett.timeout")));
    }
    if (auto* d = section(body, "downloads")) {
        if (auto u = opt_string(*d, "base_url"))
            c.set("download_base_url", checked_url(*u, "downloads.base_url"));
        if (auto r = opt_string(*d, "root")) {
            auto root = std::string(str::trim(*r));
            if (!root.empty() && (root.front() != '/' || root.find("/../") != std::string::npos ||
                                  root.ends_with("/..")))
                throw ApiError(422, "invalid_path",
                               "Indiquez un chemin absolu (par exemple /srv/qbittorrent).",
                               "downloads.root");
            c.set("download_root", root);
        }
        read_secret(*d, "secret", "download_secret", "downloads.secret", c, 16);
        if (d->contains("ttl"))
            c.set("download_ttl",
                  std::to_string(checked_int(*d, "ttl", 60, 30LL * 86400, "downloads.ttl")));
        if (auto b = opt_bool(*d, "bind_ip")) c.set("download_bind_ip", *b ? "true" : "false");
        if (auto b = opt_bool(*d, "direct")) c.set("download_direct", *b ? "true" : "false");
    }
    if (auto* n = section(body, "notifications")) {
        if (auto h = opt_string(*n, "smtp_host")) c.set("smtp_host", std::string(str::trim(*h)));
        if (n->contains("smtp_port"))
            c.set("smtp_port", std::to_string(checked_int(*n, "smtp_port", 1, 65535,
                                                          "notifications.smtp_port")));
        if (auto u = opt_string(*n, "smtp_username")) c.set("smtp_username", *u);
        read_secret(*n, "smtp_password", "smtp_password", "notifications.smtp_password", c);
        if (auto f = opt_string(*n, "smtp_from")) {
            auto from = std::string(str::trim(*f));
            if (!from.empty() && from.find('@') == std::string::npos)
                throw ApiError(422, "invalid_email",
                               "L'expéditeur doit être une adresse e-mail (essaim@example.org).",
                               "notifications.smtp_from");
            c.set("smtp_from", from);
        }
        if (auto b = opt_bool(*n, "smtp_starttls")) c.set("smtp_starttls", *b ? "true" : "false");
        if (auto b = opt_bool(*n, "smtp_verify_tls"))
            c.set("smtp_verify_tls", *b ? "true" : "false");
        if (auto b = opt_bool(*n, "webhook_allow_private"))  // alias, see settings_json
            c.set("allow_private_targets", *b ? "true" : "false");
    }
    if (auto* g = section(body, "general")) {
        if (auto b = opt_bool(*g, "registration_open"))
            c.set("registration_open", *b ? "true" : "false");
        if (auto id = opt_int(*g, "default_group_id")) {
            auto grp = ctx.store.group_by_id(*id);
            if (!grp)
                throw ApiError(422, "invalid_group", "Ce groupe n'existe pas.",
                               "general.default_group_id");
            c.set("default_group", grp->name);
        }
        if (auto n = opt_string(*g, "site_name")) {
            auto name = std::string(str::trim(*n));
            if (name.empty() || str::utf8_length(name) > 64)
                throw ApiError(422, "invalid_name", "Donnez un nom de 1 à 64 caractères.",
                               "general.site_name");
            c.set("site_name", name);
        }
        // Add by URL and webhooks may reach loopback, private and link-local addresses.
        if (auto b = opt_bool(*g, "allow_private_targets"))
            c.set("allow_private_targets", *b ? "true" : "false");
    }
    bool direct_now = false;
    for (auto& [k, v] : c.values) {
        ctx.store.set_setting(k, v);
        if (k == "download_direct" && v == "true") direct_now = true;
    }
    // Direct serving needs a secret even when the admin did not choose one.
    if (direct_now && !is_set(ctx, "download_secret"))
        ctx.store.set_setting("download_secret", crypto::random_token(24));
    if (!c.values.empty()) {
        audit(ctx, a, req, "settings.update", "settings", "", {{"keys", c.keys}});
        if (ctx.sync) ctx.sync->poke();
        // A new download root changes where every torrent stands against its owner's folder.
        if (ctx.registry)
            ctx.registry->set_storage_root(download::load_settings(ctx.store).storage_root);
    }
    return http::Response::json(200, settings_json(ctx));
}

const char* fail_code(const qbt::QbtError& e) {
    std::string m = e.what();
    switch (e.kind) {
        case qbt::FailKind::bad_credentials:
            return "bad_credentials";
        case qbt::FailKind::banned:
            return "banned";
        case qbt::FailKind::unconfigured:
            return "not_configured";
        case qbt::FailKind::unreachable:
            return m.find("TLS") != std::string::npos || m.find("https") != std::string::npos
                       ? "tls"
                       : "unreachable";
        default:
            return "protocol";
    }
}

// Runs on the I/O context: the throwaway client lives and dies in this coroutine frame.
boost::asio::awaitable<json::object> probe_qbittorrent(qbt::Connection conn) {
    qbt::Counters counters;
    qbt::Client client(co_await boost::asio::this_coro::executor, counters);
    client.set_connection(conn);
    try {
        auto version = co_await client.app_version();
        auto api = co_await client.api_version();
        auto md = co_await client.maindata(0);
        json::value free = nullptr;
        if (md.is_object())
            if (auto* ss = md.as_object().if_contains("server_state"); ss && ss->is_object())
                if (auto* f = ss->as_object().if_contains("free_space_on_disk")) free = *f;
        co_return json::object{
            {"ok", true},
            {"version", version},
            {"api_version", std::to_string(api.major) + "." + std::to_string(api.minor) + "." +
                                std::to_string(api.patch)},
            {"free_space", free}};
    } catch (const qbt::QbtError& e) {
        co_return json::object{{"ok", false}, {"code", fail_code(e)}, {"message", e.what()}};
    }
}

http::Response test_qbittorrent(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    json::object body;
    if (!req.body.empty()) body = parse_json_object(req);
    qbt::Connection conn{get(ctx, "qbt_url"), get(ctx, "qbt_username"), get(ctx, "qbt_password")};
    if (auto u = opt_string(body, "url")) conn.url = checked_url(*u, "url");
    if (auto u = opt_string(body, "username")) conn.username = *u;
    if (auto p = opt_string(body, "password")) conn.password = *p;
    if (conn.url.empty())
        return http::Response::json(
            200, json::object{{"ok", false},
                              {"code", "not_configured"},
                              {"message", "Indiquez l'adresse de qBittorrent."}});
    auto res = http::run_on(*ctx.ioc, probe_qbittorrent(conn));
    audit(ctx, a, req, "settings.test", "settings", "qbittorrent", {{"ok", res["ok"]}});
    return http::Response::json(200, res);
}

http::Response test_jackett(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    json::object body;
    if (!req.body.empty()) body = parse_json_object(req);
    jackett::Settings s;
    s.url = get(ctx, "jackett_url");
    s.api_key = get(ctx, "jackett_api_key");
    try {
        s.timeout = std::chrono::seconds(std::stoi(get(ctx, "jackett_timeout", "30")));
    } catch (const std::exception&) {
    }
    if (auto u = opt_string(body, "url")) s.url = checked_url(*u, "url");
    if (auto k = opt_string(body, "api_key")) s.api_key = *k;
    if (auto t = opt_int(body, "timeout"); t && *t >= 1 && *t <= 300)
        s.timeout = std::chrono::seconds(*t);
    while (!s.url.empty() && s.url.back() == '/') s.url.pop_back();
    json::object res;
    try {
        auto list = http::run_on(*ctx.ioc, jackett::indexers(s));
        json::array idx;
        for (auto& [id, name] : list) idx.push_back(json::object{{"id", id}, {"name", name}});
        res = {{"ok", true}, {"indexers", std::move(idx)}};
    } catch (const jackett::JackettError& e) {
        res = {{"ok", false}, {"code", e.code}, {"message", e.what()}};
    }
    audit(ctx, a, req, "settings.test", "settings", "jackett", {{"ok", res["ok"]}});
    return http::Response::json(200, res);
}

// Signs a link to the first complete file essaim can find and asks for its first byte, the way
// a browser would: proves the base URL, root, secret and (nginx) configuration agree.
http::Response test_downloads(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    auto s = download::load_settings(ctx.store);
    auto fail = [&](const char* code, const std::string& msg, int status = 0) {
        json::object o{{"ok", false}, {"code", code}, {"message", msg}};
        if (status) o["status"] = status;
        audit(ctx, a, req, "settings.test", "settings", "downloads", {{"ok", false}});
        return http::Response::json(200, o);
    };
    if (!s.configured())
        return fail("not_configured",
                    "Renseignez l'adresse de base, le dossier racine et le secret, puis "
                    "enregistrez.");
    auto snap = ctx.registry->snapshot();
    std::string rel, path;
    // The same rule as every link (download/file_access.hpp): a complete, non-empty file of a
    // torrent's own list, inside its owner's folder.
    for (const auto& e : snap->entries) {
        if (!e.in_qbt || e.removed || e.progress < 1.0) continue;
        auto allowed = download::allowed_dir(s.storage_root, e.owner_folder, e.placement);
        if (allowed.empty()) continue;
        try {
            for (const auto& f : http::run_on(*ctx.ioc, ctx.qbt->files(e.hash))) {
                auto v =
                    download::check_file(s.root, allowed, e.save_path, f.path, f.size, f.progress);
                if (v.refusal != download::FileRefusal::none) continue;
                rel = v.rel;
                path = f.path;
                break;
            }
        } catch (const std::exception&) {
            continue;
        }
        if (!rel.empty()) break;
    }
    if (rel.empty())
        return fail("no_file",
                    "Aucun fichier terminé sous le dossier racine : ajoutez un torrent et "
                    "attendez la fin de son téléchargement, ou vérifiez le dossier racine.");
    std::string origin = ctx.cfg.base_url;
    if (origin.empty()) {
        auto host = req.header("host");
        origin = "http://" + std::string(host.empty() ? "127.0.0.1" : host);
    }
    auto link = download::file_link(s, rel, now_unix(), origin, req.remote_ip);
    if (!str::starts_with(link.url, "http://") && !str::starts_with(link.url, "https://"))
        return fail("unreachable", "Adresse de base invalide : " + link.url);
    http::ClientRequest cr;
    cr.url = link.url;
    cr.headers = {{"Range", "bytes=0-0"}};
    cr.timeout = std::chrono::seconds(10);
    cr.max_response_bytes = 1 << 20;
    auto res = http::run_on(*ctx.ioc, http::fetch(cr));
    if (res.status == 0)
        return fail("unreachable", "Serveur de fichiers injoignable : " + res.error);
    if (res.status != 200 && res.status != 206)
        return fail(
            "refused",
            res.status == 403 ? "Le serveur refuse la signature (403) : le secret ou la "
                                "configuration nginx ne correspondent pas."
            : res.status == 404
                ? "Fichier introuvable (404) : le dossier racine ne correspond pas à "
                  "l'alias nginx."
                : "Réponse inattendue du serveur de fichiers (" + std::to_string(res.status) + ").",
            res.status);
    audit(ctx, a, req, "settings.test", "settings", "downloads", {{"ok", true}});
    return http::Response::json(
        200, json::object{{"ok", true}, {"url", link.url}, {"status", res.status}, {"file", path}});
}

// "Envoyer un e-mail de test": to the given address, else the admin's own.
http::Response test_smtp(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    json::object body;
    if (!req.body.empty()) body = parse_json_object(req);
    auto to = opt_string(body, "to").value_or(a.user.email.value_or(""));
    if (to.empty() || to.find('@') == std::string::npos)
        throw ApiError(422, "email_required",
                       "Indiquez l'adresse qui doit recevoir l'e-mail de test (ou renseignez la "
                       "vôtre sur la page « Mon compte »).",
                       "to");
    auto smtp = notify::SmtpSettings::load(ctx.store);
    store::Notification n{0,
                          a.user.id,
                          "test",
                          "",
                          "",
                          "Ceci est un e-mail de test envoyé depuis la page Réglages d'essaim. "
                          "Les notifications par e-mail fonctionnent.",
                          now_unix(),
                          std::nullopt};
    json::object res;
    try {
        notify::send_email(smtp, to,
                           notify::email_message(smtp.from, to, n, ctx.cfg.base_url, now_unix()));
        res = {{"ok", true}, {"to", to}};
    } catch (const std::exception& e) {
        res = {{"ok", false}, {"code", "smtp_failed"}, {"message", e.what()}};
    }
    audit(ctx, a, req, "settings.test", "settings", "smtp", {{"ok", res["ok"]}});
    return http::Response::json(200, res);
}

}  // namespace

void register_admin_settings_routes(http::Router& r, const Context& ctx) {
    using http::Exec;
    r.add(
        "GET", "/api/admin/settings", [&ctx](http::Request& q) { return get_settings(ctx, q); },
        Exec::worker);
    r.add(
        "PUT", "/api/admin/settings", [&ctx](http::Request& q) { return put_settings(ctx, q); },
        Exec::worker);
    r.add(
        "POST", "/api/admin/settings/test/qbittorrent",
        [&ctx](http::Request& q) { return test_qbittorrent(ctx, q); }, Exec::worker);
    r.add(
        "POST", "/api/admin/settings/test/jackett",
        [&ctx](http::Request& q) { return test_jackett(ctx, q); }, Exec::worker);
    r.add(
        "POST", "/api/admin/settings/test/smtp",
        [&ctx](http::Request& q) { return test_smtp(ctx, q); }, Exec::worker);
    r.add(
        "POST", "/api/admin/settings/test/downloads",
        [&ctx](http::Request& q) { return test_downloads(ctx, q); }, Exec::worker);
}

}  // namespace essaim::api
