#include "app/cli.hpp"

#include "app/bootstrap.hpp"
#include "app/cli_backup.hpp"
#include "app/cli_storage.hpp"
#include "app/doctor.hpp"
#include "app/serve.hpp"
#include "auth/accounts.hpp"
#include "config/config.hpp"
#include "config/database_url.hpp"
#include "download/settings.hpp"
#include "http/client.hpp"
#include "http/run_on.hpp"
#include "store/builtin.hpp"
#include "store/db.hpp"
#include "store/migrate.hpp"
#include "store/settings_view.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>

namespace essaim::app {
namespace {

constexpr const char* kHelp = R"(essaim — portail web partagé devant un serveur qBittorrent

Utilisation : essaim [--config FICHIER] <commande> [options]

Commandes :
  serve                              démarre le serveur (commande par défaut)
  migrate                            applique les migrations de la base de données puis quitte
  migrate-sqlite-to-postgres --from FICHIER --to URL [--force]
                                     copie une base SQLite dans PostgreSQL (identifiants
                                     conservés) ; --force remplace une base cible non vide
  create-admin --username NOM [--password-stdin]
                                     crée un administrateur
  create-user --username NOM [--password-stdin] [--group GROUPE]
                                     crée un utilisateur (groupe par défaut : Utilisateurs)
  reset-password NOM [--password-stdin]
                                     change le mot de passe d'un compte et ferme ses sessions
  health [--url URL]                 interroge /api/health ; code de sortie 0 si le serveur répond
  doctor                             vérifie l'installation (configuration, dossier de données,
                                     base, qBittorrent, Jackett, liens, e-mail) ; code de sortie
                                     1 s'il trouve un problème
  backup FICHIER                     sauvegarde cohérente (essaim peut tourner) de la base, de la
                                     clé secrète et du qbittorrent-nox géré, dans FICHIER (.tar.gz)
  restore FICHIER [--force]          restaure une sauvegarde (essaim arrêté) ; --force remplace
                                     une base qui a déjà des comptes (elle est gardée à côté)
  settings [CLÉ [VALEUR|-]]          liste les réglages (secrets masqués), ou en change un
                                     (« - » : la valeur est lue sur l'entrée standard)
  nginx-snippet                      affiche la configuration nginx des liens de téléchargement
                                     signés, secret compris (à coller sur le serveur de fichiers)
  storage move-to-user-folders       déplace les torrents encore dans le dossier commun vers le
                                     dossier de leur propriétaire (qBittorrent doit tourner)
  version                            affiche la version

Sans --password-stdin, un mot de passe est généré et affiché une seule fois.
Avec --password-stdin, le mot de passe est lu sur l'entrée standard (première ligne).

Options générales :
  --config FICHIER   fichier TOML (voir essaim.example.toml)
  -h, --help         affiche cette aide
  --version          affiche la version (comme « essaim version »)

Variables d'environnement (prioritaires sur le fichier) : ESSAIM_LISTEN (127.0.0.1:8080),
ESSAIM_DATA_DIR (./data), ESSAIM_BASE_URL, ESSAIM_WEB_DIR, ESSAIM_DATABASE_URL, ESSAIM_SECRET,
ESSAIM_LOG_LEVEL, ESSAIM_QBT_URL, ESSAIM_QBT_USERNAME, ESSAIM_QBT_PASSWORD, ESSAIM_QBT_MANAGED,
ESSAIM_QBT_MANAGED_NETWORK, ESSAIM_JACKETT_URL, ESSAIM_JACKETT_API_KEY, ESSAIM_DOWNLOAD_BASE_URL,
ESSAIM_DOWNLOAD_ROOT, ESSAIM_DOWNLOAD_SECRET, ESSAIM_DOWNLOAD_DIRECT.
)";

std::string read_password(bool from_stdin, bool& generated) {
    generated = false;
    if (from_stdin) {
        std::string line;
        std::getline(std::cin, line);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
    }
    generated = true;
    return auth::generate_password();
}

int cmd_health(const Args& a, const config::Config& cfg) {
    std::string url = a.url.value_or("");
    if (url.empty()) url = config::local_url(cfg);
    while (!url.empty() && url.back() == '/') url.pop_back();
    auto res =
        http::run_alone(http::fetch({"GET", url + "/api/health", {}, {}, std::chrono::seconds(5)}));
    if (res.status == 0) {
        std::cerr << "essaim ne répond pas sur " << url << " : " << res.error << "\n";
        return 1;
    }
    std::cout << res.body << "\n";
    return res.status == 200 ? 0 : 1;
}

// The settings an administrator may change (settings/table.hpp), with the same rules as the
// admin page; those essaim keeps for itself are listed, not changed.
int cmd_settings(store::Store& store, const std::vector<std::string>& args) {
    if (args.empty()) {
        for (const auto* k : settings::all()) {
            auto v = store.setting(std::string(k->name));
            std::cout << k->name << " = ";
            if (!v)
                std::cout << "(non défini)";
            else if (k->type == settings::Type::secret)
                std::cout << (v->empty() ? "(vide)" : "••••• (défini)");
            else
                std::cout << *v;
            std::cout << "\n";
        }
        return 0;
    }
    const auto* k = settings::find(args[0]);
    if (!k || k->reader == settings::Reader::server)
        throw std::runtime_error("réglage inconnu : " + args[0]);
    if (args.size() == 1) {
        auto v = store.setting(std::string(k->name));
        std::cout << (k->type == settings::Type::secret ? (v ? "••••• (défini)" : "(non défini)")
                                                        : v.value_or("(non défini)"))
                  << "\n";
        return 0;
    }
    std::string value = args[1];
    if (value == "-") {
        std::getline(std::cin, value);
        if (!value.empty() && value.back() == '\r') value.pop_back();
    }
    try {
        store::write(store, *k, value);
    } catch (const settings::Invalid& e) {
        throw std::runtime_error(std::string(k->name) + " : " + e.what());
    }
    std::cout << "Réglage " << k->name << " enregistré.\n";
    return 0;
}

int cmd_copy_to_postgres(const Args& a) {
    if (!a.from || !a.to) throw std::runtime_error("--from FICHIER et --to URL sont obligatoires");
    if (!config::is_postgres_url(*a.to))
        throw std::runtime_error("--to attend une URL postgresql://… ou postgres://…");
    if (!std::filesystem::exists(*a.from))
        throw std::runtime_error("base SQLite introuvable : " + *a.from);
    std::cout << "Copie de " << *a.from << " vers " << config::redact_url(*a.to) << "…\n";
    auto copied = store::copy_sqlite_to_postgres(*a.from, *a.to, a.force);
    std::int64_t total = 0;
    for (const auto& t : copied) {
        std::cout << "  " << t.table << " : " << t.rows << (t.rows > 1 ? " lignes" : " ligne")
                  << " copiée" << (t.rows > 1 ? "s" : "") << "\n";
        total += t.rows;
    }
    std::cout << "Copie terminée : " << total << " lignes. Les secrets des réglages restent "
              << "chiffrés : gardez la même clé secrète (secret.key ou ESSAIM_SECRET).\n";
    return 0;
}

}  // namespace

Args parse_args(const std::vector<std::string>& argv) {
    Args a;
    bool have_command = false;
    auto value = [&](std::size_t& i, const std::string& opt) {
        if (i + 1 >= argv.size())
            throw std::runtime_error("l'option " + opt + " attend une valeur");
        return argv[++i];
    };
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const auto& s = argv[i];
        if (s == "-h" || s == "--help")
            a.help = true;
        else if (s == "--version" && !have_command) {  // as Debian tools and packages expect
            a.command = "version";
            have_command = true;
        } else if (s == "--config")
            a.config_file = value(i, s);
        else if (s.rfind("--config=", 0) == 0)
            a.config_file = s.substr(9);
        else if (s == "--username")
            a.username = value(i, s);
        else if (s == "--group")
            a.group = value(i, s);
        else if (s == "--url")
            a.url = value(i, s);
        else if (s == "--from")
            a.from = value(i, s);
        else if (s == "--to")
            a.to = value(i, s);
        else if (s == "--force")
            a.force = true;
        else if (s == "--password-stdin")
            a.password_stdin = true;
        else if (s.rfind("-", 0) == 0 && s != "-")  // "-" alone: a value read from stdin
            throw std::runtime_error("option inconnue : " + s);
        else if (!have_command) {
            a.command = s;
            have_command = true;
        } else {
            a.positional.push_back(s);
        }
    }
    static const char* known[] = {"serve",         "migrate",        "create-admin",
                                  "create-user",   "reset-password", "health",
                                  "version",       "help",           "settings",
                                  "nginx-snippet", "storage",        "migrate-sqlite-to-postgres",
                                  "doctor",        "backup",         "restore"};
    if (std::find(std::begin(known), std::end(known), a.command) == std::end(known))
        throw std::runtime_error("commande inconnue : " + a.command);
    if (a.command == "help") a.help = true;
    return a;
}

int run_cli(int argc, char** argv) {
    Args a;
    try {
        a = parse_args(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::exception& e) {
        std::cerr << "essaim : " << e.what() << "\nEssayez « essaim --help ».\n";
        return 2;
    }
    if (a.help) {
        std::cout << kHelp;
        return 0;
    }
    if (a.command == "version") {
        std::cout << "essaim " << ESSAIM_VERSION << "\n";
        return 0;
    }
    try {
        auto cfg = config::load(a.config_file, [](const char* n) { return std::getenv(n); });
        spdlog::set_level(spdlog::level::from_str(cfg.log_level));
        if (a.command == "serve") return serve(cfg);
        if (a.command == "health") return cmd_health(a, cfg);

        if (a.command == "migrate-sqlite-to-postgres") return cmd_copy_to_postgres(a);
        // Before ensure_data_dir: these say what is there, they do not create it.
        if (a.command == "doctor") return cmd_doctor(cfg, a.config_file);
        if (a.command == "backup") return cmd_backup(cfg, a.positional);
        if (a.command == "restore") return cmd_restore(cfg, a.positional, a.force);

        ensure_data_dir(cfg.data_dir);
        if (a.command == "migrate") {
            auto db = config::is_postgres_url(cfg.database_url)
                          ? store::db::open_postgres(cfg.database_url, 1)
                          : store::db::open_sqlite(cfg.sqlite_path());
            auto r = store::migrate(*db, store::builtin_migrations());
            if (r.applied.empty())
                std::cout << "Base de données à jour (version " << r.to_version << ").\n";
            for (const auto& m : r.applied) std::cout << "Migration appliquée : " << m << "\n";
            return 0;
        }
        auto store = open_store(cfg);
        if (a.command == "create-admin" || a.command == "create-user") {
            if (!a.username) throw std::runtime_error("--username est obligatoire");
            bool generated = false;
            auto pw = read_password(a.password_stdin, generated);
            bool admin = a.command == "create-admin";
            auto group = a.group.value_or(admin ? store::kAdminsGroupName : store::kUsersGroupName);
            create_account(*store, *a.username, pw, admin ? "admin" : "user", group);
            std::cout << (admin ? "Administrateur créé : " : "Utilisateur créé : ") << *a.username
                      << "\n";
            if (generated) std::cout << "Mot de passe : " << pw << "\n";
            return 0;
        }
        if (a.command == "settings") return cmd_settings(*store, a.positional);
        if (a.command == "storage") return cmd_storage(*store, a.positional);
        if (a.command == "nginx-snippet") {
            auto ds = download::load_settings(*store);
            if (!ds.configured())
                std::cerr
                    << "Attention : téléchargements incomplètement configurés (download_root, "
                       "download_base_url, download_secret).\n";
            std::cout << download::nginx_snippet(ds, ds.secret);
            return 0;
        }
        if (a.command == "reset-password") {
            auto who = a.username ? *a.username : (a.positional.empty() ? "" : a.positional[0]);
            if (who.empty()) throw std::runtime_error("indiquez le nom de l'utilisateur");
            bool generated = false;
            auto pw = read_password(a.password_stdin, generated);
            reset_password(*store, who, pw);
            std::cout << "Mot de passe de " << who << " changé ; ses sessions sont fermées.\n";
            if (generated) std::cout << "Nouveau mot de passe : " << pw << "\n";
            return 0;
        }
    } catch (const std::exception& e) {
        std::cerr << "essaim : " << e.what() << "\n";
        return 1;
    }
    return 2;
}

}  // namespace essaim::app
