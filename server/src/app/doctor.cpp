#include "app/doctor.hpp"

#include "backup/backup.hpp"
#include "config/database_url.hpp"
#include "download/settings.hpp"
#include "http/client.hpp"
#include "http/run_on.hpp"
#include "jackett/client.hpp"
#include "notify/dispatcher.hpp"
#include "qbt/client.hpp"
#include "qbt/servers.hpp"
#include "settings/table.hpp"
#include "store/builtin.hpp"
#include "store/migrate.hpp"
#include "store/settings_view.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace essaim::app {
namespace {
namespace fs = std::filesystem;

std::string octal(unsigned mode) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
    return buf;
}

class Report {
  public:
    explicit Report(std::vector<Finding>& out) : out_(out) {}
    void section(std::string s) { section_ = std::move(s); }
    void ok(std::string t) { add(Level::ok, std::move(t)); }
    void info(std::string t) { add(Level::info, std::move(t)); }
    void warn(std::string t) { add(Level::warning, std::move(t)); }
    void problem(std::string t) { add(Level::problem, std::move(t)); }

  private:
    void add(Level l, std::string t) { out_.push_back({section_, l, std::move(t)}); }
    std::vector<Finding>& out_;
    std::string section_;
};

bool loopback_host(const std::string& host) {
    return host == "127.0.0.1" || host == "::1" || host == "localhost";
}

void check_config(Report& r, const config::Config& cfg,
                  const std::optional<std::string>& config_file) {
    r.section("Configuration");
    if (config_file)
        r.ok("fichier " + *config_file + " lu");
    else
        r.info(
            "pas de fichier de configuration (--config) : valeurs par défaut et variables "
            "ESSAIM_*");
    auto [host, port] = config::split_host_port(cfg.listen);
    if (cfg.base_url.empty())
        r.warn(
            "base_url non définie : les e-mails n'auront pas de lien vers essaim, et les "
            "cookies ne sont pas marqués Secure");
    else if (cfg.secure_cookies())
        r.ok("adresse publique " + cfg.base_url + " (https : cookies Secure)");
    else if (!loopback_host(host))
        r.warn("adresse publique " + cfg.base_url +
               " en http : mots de passe et cookies circulent en clair hors de cette machine");
    else
        r.ok("adresse publique " + cfg.base_url);
    r.ok("écoute sur " + cfg.listen +
         (loopback_host(host) ? " (cette machine seulement : un proxy inverse en façade)" : ""));
    if (!cfg.web_dir.empty()) {
        if (fs::exists(fs::path(cfg.web_dir) / "index.html"))
            r.ok("application web : " + cfg.web_dir);
        else
            r.problem("application web introuvable : " + cfg.web_dir + "/index.html manque");
    }
}

void check_private_file(Report& r, const fs::path& p, const char* what) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return;
    if (st.st_uid != ::geteuid())
        r.problem(std::string(what) + " " + p.string() + " appartient à l'utilisateur " +
                  std::to_string(st.st_uid) + ", pas à celui d'essaim (" +
                  std::to_string(::geteuid()) + ")");
    else if (st.st_mode & 077)
        r.problem(std::string(what) + " " + p.string() + " : droits " + octal(st.st_mode) +
                  ", 0600 attendus (chmod 600)");
    else
        r.ok(std::string(what) + " " + p.string() + " : droits " + octal(st.st_mode));
}

bool check_data_dir(Report& r, const config::Config& cfg) {
    r.section("Dossier de données");
    struct stat st {};
    if (::stat(cfg.data_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        r.problem(cfg.data_dir + " n'existe pas (essaim serve le crée au premier démarrage)");
        return false;
    }
    if (st.st_uid != ::geteuid())
        r.problem(cfg.data_dir + " appartient à l'utilisateur " + std::to_string(st.st_uid) +
                  " et non à celui qui lance essaim (" + std::to_string(::geteuid()) +
                  ") : lancez la commande en tant que l'utilisateur du service (runuser -u essaim "
                  "-- essaim …)");
    else if (st.st_mode & 077)
        r.problem(cfg.data_dir + " : droits " + octal(st.st_mode) +
                  ", 0700 attendus (il contient la clé secrète et la base)");
    else
        r.ok(cfg.data_dir + " : droits " + octal(st.st_mode));
    if (::access(cfg.data_dir.c_str(), W_OK) != 0)
        r.problem(cfg.data_dir + " n'est pas inscriptible");
    if (!cfg.secret.empty()) {
        if (cfg.secret.size() < 32)
            r.problem("ESSAIM_SECRET fait moins de 32 caractères");
        else
            r.ok("clé secrète fournie par ESSAIM_SECRET");
    } else {
        auto key = fs::path(cfg.data_dir) / "secret.key";
        if (!fs::exists(key))
            r.info("pas encore de clé secrète : créée au premier démarrage");
        else {
            check_private_file(r, key, "clé secrète");
            if (fs::file_size(key) < 32) r.problem("secret.key fait moins de 32 octets");
        }
    }
    if (!config::is_postgres_url(cfg.database_url))
        check_private_file(r, cfg.sqlite_path(), "base");
    return true;
}

std::unique_ptr<store::Store> check_database(Report& r, const config::Config& cfg) {
    r.section("Base de données");
    bool pg = config::is_postgres_url(cfg.database_url);
    if (!pg && !fs::exists(cfg.sqlite_path())) {
        r.problem("aucune base : " + cfg.sqlite_path() + " (essaim serve la crée)");
        return nullptr;
    }
    std::unique_ptr<store::db::Database> db;
    try {
        db = pg ? store::db::open_postgres(cfg.database_url, 1)
                : store::db::open_sqlite(cfg.sqlite_path());
    } catch (const std::exception& e) {
        r.problem(std::string("connexion impossible : ") +
                  config::scrub_secrets(e.what(), cfg.database_url));
        return nullptr;
    }
    std::string where =
        pg ? "PostgreSQL " + config::redact_url(cfg.database_url) : "SQLite " + cfg.sqlite_path();
    int version = store::schema_version(*db);
    int newest = store::migration_version(store::builtin_migrations().back());
    if (version > newest) {
        r.problem(where + " : schéma " + std::to_string(version) +
                  ", plus récent que ce binaire (" + std::to_string(newest) +
                  ") — une version plus récente d'essaim l'a écrite ; revenir en arrière n'est "
                  "pas possible");
        return nullptr;
    }
    if (version < newest)
        r.warn(where + " : schéma " + std::to_string(version) + ", " +
               std::to_string(newest - version) +
               " migration(s) en attente, appliquées au prochain démarrage");
    else
        r.ok(where + " : schéma " + std::to_string(version) + " (à jour)");
    if (!pg) {
        auto c = db->lease();
        c->run("PRAGMA quick_check");
        std::string verdict = c->next() ? c->text(0) : "?";
        if (verdict == "ok")
            r.ok("intégrité vérifiée (quick_check)");
        else
            r.problem("base endommagée : " + verdict);
    }
    try {
        auto n = backup::count_rows(*db);
        r.info(std::to_string(n.users) + " compte(s), " + std::to_string(n.torrents) +
               " torrent(s), " + std::to_string(n.servers) + " serveur(s) qBittorrent");
        auto c = db->lease();
        c->run("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0");
        if (c->next() && c->int64(0) == 0)
            r.problem("aucun administrateur actif : essaim create-admin --username NOM");
    } catch (const std::exception& e) {
        r.problem(std::string("lecture impossible : ") + e.what());
        return nullptr;
    }
    auto key = config::existing_secret(cfg);  // read only: never created here
    if (!key || key->size() < 32) {
        r.problem(
            "clé secrète absente ou trop courte : les secrets des réglages ne peuvent pas "
            "être ouverts");
        return nullptr;
    }
    store::SettingsCipher cipher(*key);
    auto secrets = backup::check_secrets(*db, cipher);
    if (secrets.failed.empty())
        r.ok(std::to_string(secrets.sealed) + " secret(s) chiffré(s), tous lisibles avec la clé");
    else {
        std::string names;
        for (const auto& f : secrets.failed) names += (names.empty() ? "" : ", ") + f;
        r.problem("secrets illisibles avec cette clé (" + names +
                  ") : la clé secrète a changé depuis qu'ils ont été enregistrés");
    }
    db.reset();
    auto s = pg ? store::open_postgres_store(cfg.database_url, false)
                : store::open_sqlite_store(cfg.sqlite_path(), false);
    s->set_cipher(std::make_shared<store::SettingsCipher>(*key));
    return s;
}

struct QbtFacts {
    std::string version, save_path, error;
};

boost::asio::awaitable<QbtFacts> ask_qbittorrent(qbt::Connection conn) {
    qbt::Counters counters;
    qbt::Client client(co_await boost::asio::this_coro::executor, counters);
    client.set_connection(conn);
    QbtFacts f;
    try {
        f.version = co_await client.app_version();
        f.save_path = co_await client.default_save_path();
    } catch (const std::exception& e) {
        f.error = e.what();
    }
    co_return f;
}

void check_qbittorrent(Report& r, store::Store& s) {
    r.section("qBittorrent");
    bool managed = store::flag(s, settings::qbt_managed) || !store::is_set(s, settings::qbt_url);
    for (const auto& srv : qbt::read_servers(s)) {
        std::string name = "« " + srv.name + " »";
        if (srv.state == "disabled") {
            r.info(name + " : désactivé");
            continue;
        }
        if (srv.url.empty()) {
            if (srv.id == 1 && managed)
                r.info(name + " : qbittorrent-nox géré par essaim, lancé par « essaim serve »");
            else
                r.problem(name + " : adresse non configurée");
            continue;
        }
        auto f = http::run_alone(ask_qbittorrent(qbt::connection_of(srv)));
        if (!f.error.empty()) {
            if (srv.id == 1 && managed)
                r.warn(name +
                       " (géré par essaim) ne répond pas : normal si essaim ne tourne pas (" +
                       f.error + ")");
            else
                r.problem(name + " : " + f.error);
            continue;
        }
        r.ok(name + " : qBittorrent " + f.version + ", identifiants acceptés");
        struct stat sp {};
        if (f.save_path.empty() || ::stat(f.save_path.c_str(), &sp) != 0) {
            r.info(name + " : dossier d'enregistrement " + f.save_path +
                   " invisible d'ici (qBittorrent sur une autre machine ?)");
            continue;
        }
        if (::access(f.save_path.c_str(), W_OK) == 0)
            r.ok(name + " : dossier d'enregistrement " + f.save_path + " inscriptible");
        else
            r.warn(name + " : dossier d'enregistrement " + f.save_path +
                   " non inscriptible par l'utilisateur d'essaim (qBittorrent tourne-t-il sous "
                   "un autre compte ?)");
        struct stat rt {};
        if (!srv.download_root.empty() && ::stat(srv.download_root.c_str(), &rt) == 0) {
            if (rt.st_dev == sp.st_dev)
                r.ok(name + " : même disque que le dossier racine des téléchargements");
            else
                r.warn(name +
                       " : dossier d'enregistrement sur un autre disque que le dossier "
                       "racine " +
                       srv.download_root +
                       " : ranger un torrent dans le dossier d'un utilisateur copiera ses données");
        }
    }
}

void check_jackett(Report& r, store::Store& s) {
    r.section("Jackett");
    auto js = jackett::settings_of(s);
    if (js.url.empty()) {
        r.info("non configuré : la recherche est désactivée");
        return;
    }
    try {
        auto list = http::run_alone(jackett::indexers(js));
        if (list.empty())
            r.warn("Jackett répond mais aucun indexeur n'est configuré");
        else
            r.ok("Jackett répond : " + std::to_string(list.size()) + " indexeur(s)");
    } catch (const std::exception& e) {
        r.problem(e.what());
    }
}

// A probe file written under the root, signed like every link and fetched the way a browser
// would: proves the base URL, the root, the secret and nginx's configuration agree.
void check_downloads(Report& r, const config::Config& cfg, store::Store& s) {
    r.section("Téléchargements");
    auto ds = download::load_settings(s);
    if (!ds.configured()) {
        r.info("liens de téléchargement non configurés (Réglages → Téléchargements)");
        return;
    }
    r.ok(std::string("mode ") + (ds.direct ? "direct (essaim sert /dl/ lui-même)" : "nginx") +
         ", dossier racine " + ds.root);
    struct stat st {};
    if (::stat(ds.root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        (ds.direct ? r.problem("dossier racine " + ds.root + " introuvable d'ici")
                   : r.info("dossier racine " + ds.root + " invisible d'ici (nginx ailleurs ?)"));
        return;
    }
    auto name = ".essaim-doctor-" + crypto::random_token(8) + ".txt";
    auto probe = fs::path(ds.root) / name;
    std::string content = "essaim doctor " + crypto::random_token(8) + "\n";
    {
        std::ofstream out(probe, std::ios::binary);
        out << content;
        if (!out) {
            r.warn(
                "lien de test non vérifié : le dossier racine n'est pas inscriptible par "
                "essaim (essayez « Tester » dans Réglages → Téléchargements)");
            return;
        }
    }
    ::chmod(probe.c_str(), 0644);
    std::string origin = cfg.base_url;
    if (origin.empty()) origin = config::local_url(cfg);
    auto link = download::file_link(ds, name, util::unix_now(), origin, "127.0.0.1");
    http::ClientRequest req;
    req.url = link.url;
    req.timeout = std::chrono::seconds(10);
    req.max_response_bytes = 1 << 20;
    auto res = http::run_alone(http::fetch(req));
    std::error_code ec;
    fs::remove(probe, ec);
    if (res.status == 200 && res.body == content)
        r.ok("lien signé de test servi correctement (" +
             config::redact_url(link.url.substr(0, link.url.find('?'))) + ")");
    else if (res.status == 0 && ds.direct)
        r.warn("essaim ne répond pas à " + link.url.substr(0, link.url.find('?')) +
               " : lien de test non vérifié (relancez doctor quand essaim tourne)");
    else if (res.status == 0)
        r.problem("le serveur de fichiers ne répond pas à " +
                  link.url.substr(0, link.url.find('?')) + " : " + res.error);
    else if (res.status == 403)
        r.problem(
            "signature refusée (403) : le secret ou la configuration nginx ne "
            "correspondent pas (essaim nginx-snippet)");
    else if (res.status == 404)
        r.problem("fichier de test introuvable (404) : l'alias nginx ne pointe pas sur " + ds.root);
    else
        r.problem("réponse inattendue du serveur de fichiers : " + std::to_string(res.status));
}

void check_email(Report& r, store::Store& s) {
    r.section("E-mail");
    auto smtp = notify::SmtpSettings::load(s);
    if (!smtp.configured()) {
        r.info("non configuré : pas de notification par e-mail");
        return;
    }
    try {
        notify::check_smtp(smtp);
        r.ok("serveur " + smtp.host + ":" + std::to_string(smtp.port) + " : connexion" +
             (smtp.username.empty() ? "" : " et identifiants") + " acceptés (rien envoyé)");
    } catch (const std::exception& e) {
        r.problem(e.what());
    }
}

}  // namespace

std::vector<Finding> diagnose(const config::Config& cfg,
                              const std::optional<std::string>& config_file) {
    std::vector<Finding> out;
    Report r(out);
    check_config(r, cfg, config_file);
    if (!check_data_dir(r, cfg) && !config::is_postgres_url(cfg.database_url)) return out;
    auto s = check_database(r, cfg);
    if (!s) return out;
    check_qbittorrent(r, *s);
    check_jackett(r, *s);
    check_downloads(r, cfg, *s);
    check_email(r, *s);
    return out;
}

std::string format_report(const std::vector<Finding>& findings) {
    std::ostringstream o;
    o << "essaim doctor — essaim " << ESSAIM_VERSION << "\n";
    std::string section;
    int problems = 0, warnings = 0;
    for (const auto& f : findings) {
        if (f.section != section) {
            section = f.section;
            o << "\n" << section << "\n";
        }
        const char* tag = f.level == Level::ok        ? "[ok]        "
                          : f.level == Level::info    ? "[info]      "
                          : f.level == Level::warning ? "[attention] "
                                                      : "[problème]  ";
        problems += f.level == Level::problem;
        warnings += f.level == Level::warning;
        o << "  " << tag << f.text << "\n";
    }
    o << "\nBilan : ";
    if (problems == 0)
        o << "aucun problème";
    else
        o << problems << (problems > 1 ? " problèmes" : " problème");
    if (warnings) o << ", " << warnings << (warnings > 1 ? " avertissements" : " avertissement");
    o << ".\n";
    return o.str();
}

int cmd_doctor(const config::Config& cfg, const std::optional<std::string>& config_file) {
    auto findings = diagnose(cfg, config_file);
    std::cout << format_report(findings);
    for (const auto& f : findings)
        if (f.level == Level::problem) return 1;
    return 0;
}

}  // namespace essaim::app
