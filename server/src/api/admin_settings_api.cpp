// /api/admin/settings: qBittorrent, Jackett, downloads and general settings for administrators,
// and the "Tester" actions. Secrets are write-only: GET says whether one is set, PUT replaces
// it only when a new value is sent; the store seals them at rest (store/settings_cipher.hpp).
// The sync loop re-reads qBittorrent's connection every round, so a change applies at once.
#include "api/context.hpp"
#include "api/errors.hpp"
#include "api/qbt_probe.hpp"
#include "auth/oidc_client.hpp"
#include "download/file_access.hpp"
#include "download/paths.hpp"
#include "download/settings.hpp"
#include "http/client.hpp"
#include "http/run_on.hpp"
#include "jackett/client.hpp"
#include "net/cidr.hpp"
#include "notify/dispatcher.hpp"
#include "notify/messages.hpp"
#include "qbt/client.hpp"
#include "qbt/registry.hpp"
#include "qbt/servers.hpp"
#include "qbt/sync_loop.hpp"
#include "qbt/webapi.hpp"
#include "store/builtin.hpp"
#include "store/settings_view.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"
#include "util/strings.hpp"

#include <boost/asio.hpp>
#include <boost/json.hpp>

namespace essaim::api {
namespace json = boost::json;

namespace {

// Where each setting of the table (settings/table.hpp) sits in this API's JSON: its section and
// field. GET and PUT are both driven by this list; a secret shows as "<field>_set".
struct Field {
    const char* section;
    const char* field;
    const settings::Key* key;
};
constexpr Field kFields[] = {
    {"qbittorrent", "url", &settings::qbt_url},
    {"qbittorrent", "username", &settings::qbt_username},
    {"qbittorrent", "password", &settings::qbt_password},
    {"jackett", "url", &settings::jackett_url},
    {"jackett", "api_key", &settings::jackett_api_key},
    {"jackett", "timeout", &settings::jackett_timeout},
    {"downloads", "base_url", &settings::download_base_url},
    {"downloads", "root", &settings::download_root},
    {"downloads", "secret", &settings::download_secret},
    {"downloads", "ttl", &settings::download_ttl},
    {"downloads", "bind_ip", &settings::download_bind_ip},
    {"downloads", "direct", &settings::download_direct},
    {"notifications", "smtp_host", &settings::smtp_host},
    {"notifications", "smtp_port", &settings::smtp_port},
    {"notifications", "smtp_username", &settings::smtp_username},
    {"notifications", "smtp_password", &settings::smtp_password},
    {"notifications", "smtp_from", &settings::smtp_from},
    {"notifications", "smtp_starttls", &settings::smtp_starttls},
    {"notifications", "smtp_verify_tls", &settings::smtp_verify_tls},
    // Before issue 16: the same setting, for webhooks only; read and written as an alias.
    {"notifications", "webhook_allow_private", &settings::allow_private_targets},
    {"general", "registration_open", &settings::registration_open},
    {"general", "site_name", &settings::site_name},
    {"general", "allow_private_targets", &settings::allow_private_targets},
    {"general", "api_password_login", &settings::api_password_login},
    // Single sign-on (issue 22; DESIGN.md names these sections and fields).
    {"oidc", "issuer", &settings::oidc_issuer},
    {"oidc", "client_id", &settings::oidc_client_id},
    {"oidc", "client_secret", &settings::oidc_client_secret},
    {"oidc", "scopes", &settings::oidc_scopes},
    {"oidc", "group_claim", &settings::oidc_group_claim},
    {"oidc", "group_map", &settings::oidc_group_map},
    {"oidc", "auto_create", &settings::oidc_auto_create},
    {"oidc", "display_name", &settings::oidc_display_name},
    {"oidc", "local_login", &settings::local_login},
    {"oidc", "break_glass_admin", &settings::break_glass_admin},
    {"proxy_auth", "header", &settings::proxy_auth_header},
    {"proxy_auth", "trusted_proxies", &settings::proxy_auth_trusted_proxies},
};

json::value shown(const Context& ctx, const settings::Key& k) {
    switch (k.type) {
        case settings::Type::flag:
            return store::flag(ctx.store, k);
        case settings::Type::number:
            return store::number(ctx.store, k);
        case settings::Type::secret:
            return store::is_set(ctx.store, k);
        default:
            return json::value(store::text(ctx.store, k));
    }
}

json::object settings_json(const Context& ctx) {
    json::object out;
    for (const char* name :
         {"qbittorrent", "jackett", "downloads", "notifications", "general", "oidc", "proxy_auth"})
        out[name] = json::object{};
    for (const auto& f : kFields) {
        auto field = std::string(f.field) + (f.key->type == settings::Type::secret ? "_set" : "");
        out[f.section].as_object()[field] = shown(ctx, *f.key);
    }
    auto ds = download::load_settings(ctx.store);
    out["qbittorrent"].as_object()["managed"] = store::flag(ctx.store, settings::qbt_managed);
    out["downloads"].as_object()["root"] = ds.root;
    out["downloads"].as_object()["nginx_snippet"] = download::nginx_snippet(ds, "<SECRET>");
    auto def = ctx.store.group_by_name(store::text(ctx.store, settings::default_group));
    out["general"].as_object()["default_group_id"] = def ? def->id : store::kUsersGroupId;
    return out;
}

const json::object* section(const json::object& body, const char* name) {
    auto* v = body.if_contains(name);
    if (!v || v->is_null()) return nullptr;
    if (!v->is_object())
        throw ApiError(422, "invalid_settings", "Section de réglages invalide.", name);
    return &v->as_object();
}

// The value a PUT gives for one field, as text for the table's rule, or nullopt when absent
// (or null: for secrets, "unchanged"). Wrong JSON types are 400 invalid_json naming the field.
std::optional<std::string> given(const json::object& o, const Field& f) {
    switch (f.key->type) {
        case settings::Type::flag:
            if (auto b = opt_bool(o, f.field)) return *b ? "true" : "false";
            return std::nullopt;
        case settings::Type::number:
            if (!o.contains(f.field)) return std::nullopt;
            if (auto n = opt_int(o, f.field)) return std::to_string(*n);
            return std::string("?");  // null or not a number: refused by the rule
        default:
            return opt_string(o, f.field);
    }
}

// Collects validated changes first, writes them all after: a 422 changes nothing.
struct Changes {
    std::vector<std::pair<std::string, std::string>> values;
    json::array keys;
    void set(std::string_view k, std::string v) {
        values.emplace_back(std::string(k), std::move(v));
        keys.emplace_back(k);
    }
};

http::Response get_settings(const Context& ctx, http::Request& req) {
    require_admin(ctx, req);
    return http::Response::json(200, settings_json(ctx));
}

http::Response put_settings(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    auto body = parse_json_object(req);
    Changes c;
    for (const auto& f : kFields) {
        const auto* sec = section(body, f.section);
        if (!sec) continue;
        auto v = given(*sec, f);
        if (!v) continue;
        try {
            auto value = settings::checked(*f.key, *v);
            if (f.key == &settings::proxy_auth_trusted_proxies) try {
                    net::parse_cidrs(value);
                } catch (const std::invalid_argument& e) {
                    throw settings::Invalid("invalid_cidr", e.what());
                }
            c.set(f.key->name, std::move(value));
        } catch (const settings::Invalid& e) {
            throw ApiError(422, e.code, e.what(), std::string(f.section) + "." + f.field);
        }
    }
    if (const auto* q = section(body, "qbittorrent"))
        if (q->contains("url") || q->contains("username") || q->contains("password"))
            c.set(settings::qbt_managed.name, "false");  // the admin took over the connection
    if (const auto* g = section(body, "general"))
        if (auto id = opt_int(*g, "default_group_id")) {
            auto grp = ctx.store.group_by_id(*id);
            if (!grp)
                throw ApiError(422, "invalid_group", "Ce groupe n'existe pas.",
                               "general.default_group_id");
            c.set(settings::default_group.name, grp->name);
        }
    bool direct_now = false;
    for (auto& [k, v] : c.values) {
        ctx.store.set_setting(k, v);
        if (k == settings::download_direct.name && v == "true") direct_now = true;
    }
    // Direct serving needs a secret even when the admin did not choose one.
    if (direct_now && !store::is_set(ctx.store, settings::download_secret))
        store::write(ctx.store, settings::download_secret, crypto::random_token(24));
    if (!c.values.empty()) {
        audit(ctx, a, req, "settings.update", "settings", "", {{"keys", c.keys}});
        // Server 1's connection and download root are these settings: re-read at once (a new
        // root changes where every torrent stands against its owner's folder).
        if (ctx.servers) {
            ctx.servers->reload();
            ctx.servers->poke(1);
        }
    }
    return http::Response::json(200, settings_json(ctx));
}

http::Response test_qbittorrent(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    json::object body;
    if (!req.body.empty()) body = parse_json_object(req);
    auto conn = qbt::connection_of(ctx.store);
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
    auto s = jackett::settings_of(ctx.store);
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
        // These are server 1's settings: its torrents (other servers: their own test).
        if (!e.in_qbt || e.removed || e.progress < 1.0 || e.server != 1) continue;
        auto allowed = download::allowed_dir(s.storage_root, e.owner_folder, e.placement);
        if (allowed.empty()) continue;
        try {
            for (const auto& f :
                 http::run_on(*ctx.ioc, ctx.servers->client(e.server).files(e.hash))) {
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
    auto link = download::file_link(s, rel, util::unix_now(), origin, req.remote_ip);
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

// "Tester" for single sign-on: the discovery document and the keys, fetched now, with the
// values being typed (issuer, client id) or the saved ones. Says in French what is wrong.
http::Response test_oidc(const Context& ctx, http::Request& req) {
    auto a = require_admin(ctx, req);
    json::object body;
    if (!req.body.empty()) body = parse_json_object(req);
    auth::Provider p{
        opt_string(body, "issuer").value_or(store::text(ctx.store, settings::oidc_issuer)),
        opt_string(body, "client_id").value_or(store::text(ctx.store, settings::oidc_client_id)),
        "", "", store::flag(ctx.store, settings::allow_private_targets)};
    json::object res;
    if (p.issuer.empty()) {
        res = {{"ok", false},
               {"code", "not_configured"},
               {"message", "Indiquez l'adresse de l'émetteur."}};
    } else if (!str::starts_with(p.issuer, "https://") && !p.allow_private) {
        res = {{"ok", false},
               {"code", "https_required"},
               {"message",
                "L'émetteur doit être en https://, sauf si vous autorisez les adresses privées "
                "(Réglages → Général) pour un fournisseur sur le réseau local."}};
    } else {
        try {
            auto t = http::run_on(*ctx.ioc, ctx.oidc->test(p, util::unix_now()));
            res = {{"ok", true},
                   {"keys", t.keys},
                   {"end_session", !t.discovery.end_session_endpoint.empty()},
                   {"redirect_uri", (ctx.cfg.base_url.empty() ? std::string("<adresse d'essaim>")
                                                              : ctx.cfg.base_url) +
                                        "/api/auth/oidc/callback"}};
        } catch (const auth::OidcError& e) {
            res = {{"ok", false}, {"code", e.code}, {"message", e.what()}};
        } catch (const auth::IdTokenError& e) {
            res = {{"ok", false}, {"code", e.code}, {"message", e.what()}};
        }
    }
    audit(ctx, a, req, "settings.test", "settings", "oidc", {{"ok", res["ok"]}});
    return http::Response::json(200, res);
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
                          util::unix_now(),
                          std::nullopt};
    json::object res;
    try {
        notify::send_email(
            smtp, to, notify::email_message(smtp.from, to, n, ctx.cfg.base_url, util::unix_now()));
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
        "POST", "/api/admin/settings/test/oidc",
        [&ctx](http::Request& q) { return test_oidc(ctx, q); }, Exec::worker);
    r.add(
        "POST", "/api/admin/settings/test/downloads",
        [&ctx](http::Request& q) { return test_downloads(ctx, q); }, Exec::worker);
}

}  // namespace essaim::api
