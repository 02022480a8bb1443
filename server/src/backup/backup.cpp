#include "backup/backup.hpp"

#include "backup/archive.hpp"
#include "config/database_url.hpp"
#include "settings/table.hpp"
#include "store/db.hpp"
#include "store/migrate.hpp"
#include "store/pg.hpp"
#include "store/settings_cipher.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>

extern char** environ;

namespace essaim::backup {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr const char* kSqliteMember = "essaim.db";
constexpr const char* kPgMember = "essaim.pgdump";
constexpr const char* kKeyMember = "secret.key";
// The managed qbittorrent-nox (qbt/managed.hpp): its sealed credentials and its profile, not
// its downloads folder nor its logs.
constexpr const char* kManagedDir = "qbittorrent";
constexpr const char* kManagedState = "essaim-credentials.json";

std::string engine_of(const config::Config& cfg) {
    return config::is_postgres_url(cfg.database_url) ? "postgresql" : "sqlite";
}

std::int64_t count(store::db::Conn& c, const std::string& sql) {
    c.run(sql);
    return c.next() ? c.int64(0) : 0;
}

}  // namespace

Counts count_rows(store::db::Database& db) {
    auto c = db.lease();
    Counts n;
    n.users = count(*c, "SELECT COUNT(*) FROM users");
    n.groups = count(*c, "SELECT COUNT(*) FROM groups");
    n.torrents = count(*c, "SELECT COUNT(*) FROM torrents");
    n.settings = count(*c, "SELECT COUNT(*) FROM settings");
    n.servers = count(*c, "SELECT COUNT(*) FROM qbt_servers");
    return n;
}

SecretsCheck check_secrets(store::db::Database& db, const store::SettingsCipher& cipher) {
    auto c = db.lease();
    std::vector<std::pair<std::string, std::string>> sealed;
    c->run("SELECT key, value FROM settings");
    while (c->next())
        if (settings::is_secret(c->text(0)) && store::SettingsCipher::is_sealed(c->text(1)))
            sealed.emplace_back(c->text(0), c->text(1));
    c->run("SELECT name, password FROM qbt_servers");
    while (c->next())
        if (store::SettingsCipher::is_sealed(c->text(1)))
            sealed.emplace_back("serveur « " + c->text(0) + " »", c->text(1));
    SecretsCheck r;
    r.sealed = static_cast<std::int64_t>(sealed.size());
    for (const auto& [what, value] : sealed)
        if (!cipher.open(value)) r.failed.push_back(what);
    return r;
}

namespace {

json::object to_json(const Counts& n) {
    return {{"users", n.users},
            {"groups", n.groups},
            {"torrents", n.torrents},
            {"settings", n.settings},
            {"servers", n.servers}};
}

// Throws unless every sealed value opens; returns how many there are.
std::int64_t require_secrets(store::db::Database& db, const store::SettingsCipher& cipher) {
    auto r = check_secrets(db, cipher);
    if (!r.failed.empty()) {
        std::string names;
        for (const auto& f : r.failed) names += (names.empty() ? "" : ", ") + f;
        throw std::runtime_error(
            "la clé secrète en vigueur n'ouvre pas les secrets de cette sauvegarde (" + names +
            ") : restaurez avec la clé d'origine (secret.key de la sauvegarde, ou la même "
            "variable ESSAIM_SECRET)");
    }
    return r.sealed;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// A private folder inside the data dir (same filesystem: restored files are renamed into place).
struct Staging {
    fs::path dir;
    explicit Staging(const std::string& data_dir, const char* what) {
        auto tmpl = (fs::path(data_dir) / (std::string(".") + what + "-XXXXXX")).string();
        if (!::mkdtemp(tmpl.data()))
            throw std::runtime_error("impossible de créer un dossier temporaire dans " + data_dir +
                                     " : " + std::strerror(errno));
        dir = tmpl;
    }
    ~Staging() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

// Runs pg_dump / pg_restore with the database named by the environment (store/pg.hpp).
void run_pg_tool(const std::vector<std::string>& args, const std::string& url) {
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "PG", 2) != 0) env_strings.emplace_back(*e);
    for (const auto& [k, v] : store::pg::environment_of(url)) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp, argv;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    auto copy = args;
    for (auto& s : copy) argv.push_back(s.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    int rc = ::posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), envp.data());
    if (rc != 0)
        throw std::runtime_error(args[0] + " est introuvable (" + std::strerror(rc) +
                                 ") : installez le paquet postgresql-client");
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error(args[0] + " a échoué (voir ses messages ci-dessus)");
}

std::string stamp() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
    return buf;
}

// Renames `p` to "<p>.avant-restauration-<date>" when it exists.
void keep_aside(const fs::path& p, const std::string& when, std::vector<std::string>& kept) {
    if (!fs::exists(fs::symlink_status(p))) return;
    auto to = p;
    to += ".avant-restauration-" + when;
    fs::rename(p, to);
    kept.push_back(to.string());
}

std::unique_ptr<store::db::Database> open_db(const config::Config& cfg, const std::string& sqlite) {
    return config::is_postgres_url(cfg.database_url) ? store::db::open_postgres(cfg.database_url, 1)
                                                     : store::db::open_sqlite(sqlite);
}

}  // namespace

BackupResult make_backup(const config::Config& cfg, const std::string& archive_path) {
    const std::string engine = engine_of(cfg);
    auto data = fs::path(cfg.data_dir);
    if (!fs::is_directory(data))
        throw std::runtime_error("dossier de données introuvable : " + cfg.data_dir);
    Staging stage(cfg.data_dir, "sauvegarde");
    std::vector<Member> members;
    BackupResult out;
    int schema = 0;
    if (engine == "sqlite") {
        auto db_path = cfg.sqlite_path();
        if (!fs::exists(db_path))
            throw std::runtime_error("aucune base à sauvegarder : " + db_path);
        auto snap = (stage.dir / kSqliteMember).string();
        {
            // SQLite's online backup: one consistent copy while essaim keeps writing (WAL).
            SQLite::Database from(db_path, SQLite::OPEN_READONLY);
            SQLite::Database to(snap, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            SQLite::Backup(to, from).executeStep();
            to.exec("PRAGMA journal_mode=DELETE");  // one self-contained file
        }
        auto db = store::db::open_sqlite(snap);
        schema = store::schema_version(*db);
        out.counts = count_rows(*db);
        members.push_back({kSqliteMember, snap});
    } else {
        auto db = store::db::open_postgres(cfg.database_url, 1);
        schema = store::schema_version(*db);
        out.counts = count_rows(*db);
        auto dump = (stage.dir / kPgMember).string();
        run_pg_tool(
            {"pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file=" + dump},
            cfg.database_url);
        members.push_back({kPgMember, dump});
    }
    if (schema == 0) throw std::runtime_error("la base de données est vide (jamais migrée)");

    bool key_in_archive = false;
    if (cfg.secret.empty() && fs::exists(data / kKeyMember)) {
        auto key = stage.dir / kKeyMember;
        fs::copy_file(data / kKeyMember, key);
        members.push_back({kKeyMember, key.string()});
        key_in_archive = true;
    }
    // The managed qbittorrent-nox: copied first, so that a file qBittorrent rewrites meanwhile
    // is archived as one consistent version (its SHA-256 matches what is stored).
    auto managed = data / kManagedDir;
    if (fs::exists(managed / kManagedState)) {
        std::vector<fs::path> files{managed / kManagedState};
        if (fs::is_directory(managed / "profile"))
            for (auto it = fs::recursive_directory_iterator(managed / "profile");
                 it != fs::recursive_directory_iterator(); ++it) {
                if (it->is_directory() && it->path().filename() == "logs") {
                    it.disable_recursion_pending();
                    continue;
                }
                if (it->is_regular_file() && !it->is_symlink()) files.push_back(it->path());
            }
        for (const auto& f : files) {
            auto rel = fs::relative(f, data).generic_string();
            auto to = stage.dir / rel;
            fs::create_directories(to.parent_path());
            std::error_code ec;
            fs::copy_file(f, to, ec);
            if (ec) continue;  // removed meanwhile (qBittorrent replaces files by renaming)
            members.push_back({rel, to.string()});
        }
    }

    json::object info{{"essaim_version", ESSAIM_VERSION},
                      {"schema_version", schema},
                      {"engine", engine},
                      {"created_at", static_cast<std::int64_t>(std::time(nullptr))},
                      {"secret_key", key_in_archive ? "archive" : "environment"},
                      {"counts", to_json(out.counts)}};
    out.manifest = info;
    write_archive(archive_path, std::move(info), members);
    out.bytes = fs::file_size(archive_path);
    return out;
}

RestoreResult restore_backup(const config::Config& cfg, const std::string& archive_path,
                             bool force) {
    if (!fs::is_regular_file(archive_path))
        throw std::runtime_error("archive introuvable : " + archive_path);
    // Restored as another user (root), the files would be that user's and essaim could not
    // open them: refused before anything is written.
    struct stat dir {};
    if (::stat(cfg.data_dir.c_str(), &dir) == 0 && dir.st_uid != ::geteuid())
        throw std::runtime_error("le dossier de données " + cfg.data_dir +
                                 " appartient à un autre utilisateur : restaurez en tant que "
                                 "celui-ci (runuser -u essaim -- essaim …)");
    fs::create_directories(cfg.data_dir);
    ::chmod(cfg.data_dir.c_str(), 0700);
    auto data = fs::path(cfg.data_dir);
    Staging stage(cfg.data_dir, "restauration");
    RestoreResult out;
    auto x = read_archive(archive_path, stage.dir.string());
    out.manifest = x.manifest;
    auto has = [&](const std::string& n) {
        return std::find(x.files.begin(), x.files.end(), n) != x.files.end();
    };
    auto str_of = [&](const char* k) {
        const auto* v = x.manifest.if_contains(k);
        return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    const auto* sv = x.manifest.if_contains("schema_version");
    out.schema_from = sv && sv->is_int64() ? static_cast<int>(sv->as_int64()) : 0;
    int newest = store::migration_version(store::builtin_migrations().back());
    if (out.schema_from > newest)
        throw std::runtime_error("cette sauvegarde vient d'une version plus récente d'essaim (" +
                                 str_of("essaim_version") + ", schéma " +
                                 std::to_string(out.schema_from) +
                                 " ; ce binaire s'arrête au schéma " + std::to_string(newest) +
                                 ") : installez une version au moins aussi récente pour la "
                                 "restaurer");
    const std::string engine = engine_of(cfg), from_engine = str_of("engine");
    if (from_engine != engine)
        throw std::runtime_error(
            "cette sauvegarde vient d'une base " + from_engine + " et essaim est configuré pour " +
            engine +
            (from_engine == "sqlite"
                 ? " : restaurez-la dans un dossier de données SQLite, puis copiez-la avec "
                   "« essaim migrate-sqlite-to-postgres »"
                 : " : configurez la même base (ESSAIM_DATABASE_URL) pour la restaurer"));
    if (!has(engine == "sqlite" ? kSqliteMember : kPgMember))
        throw std::runtime_error("la sauvegarde ne contient pas de base de données");

    // The key that will be in effect afterwards.
    std::string key;
    if (has(kKeyMember))
        key = read_file(stage.dir / kKeyMember);
    else if (auto current = config::existing_secret(cfg))
        key = *current;
    else
        throw std::runtime_error(
            "la sauvegarde ne contient pas la clé secrète (elle venait de "
            "ESSAIM_SECRET) : définissez la même variable ESSAIM_SECRET");
    if (key.size() < 32)
        throw std::runtime_error("la clé secrète de la sauvegarde est trop courte");
    store::SettingsCipher cipher(key);

    const auto db_path = engine == "sqlite" ? cfg.sqlite_path() : std::string();
    if (engine == "sqlite") {
        auto staged = (stage.dir / kSqliteMember).string();
        {
            SQLite::Database check(staged, SQLite::OPEN_READONLY);
            auto verdict = check.execAndGet("PRAGMA integrity_check").getString();
            if (verdict != "ok")
                throw std::runtime_error("la base de la sauvegarde est endommagée : " + verdict);
        }
        auto db = store::db::open_sqlite(staged);
        out.secrets_checked = require_secrets(*db, cipher);
        if (fs::exists(db_path) && !force) {
            auto existing = store::db::open_sqlite(db_path);
            std::int64_t users = 0;
            try {
                users = count_rows(*existing).users;
            } catch (const std::exception&) {
                users = 1;  // unreadable: treat as holding data
            }
            if (users > 0)
                throw std::runtime_error("le dossier de données " + cfg.data_dir +
                                         " contient déjà une base avec des comptes : ajoutez "
                                         "--force pour la remplacer (elle sera gardée à côté, "
                                         "renommée)");
        }
    } else {
        auto db = store::db::open_postgres(cfg.database_url, 1);
        bool empty = true;
        try {
            empty = count_rows(*db).users == 0;
        } catch (const std::exception&) {
            // No tables yet: empty.
        }
        if (!empty && !force)
            throw std::runtime_error("la base PostgreSQL " + config::redact_url(cfg.database_url) +
                                     " contient déjà des comptes : ajoutez --force pour la "
                                     "remplacer");
    }

    // Nothing was changed so far. From here on, what is replaced is kept aside.
    auto when = stamp();
    if (engine == "sqlite") {
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            keep_aside(db_path + suffix, when, out.kept_aside);
        fs::rename(stage.dir / kSqliteMember, db_path);
        ::chmod(db_path.c_str(), 0600);
    } else {
        // pg_restore writes into the database named by --dbname (the rest comes from PG*).
        std::string dbname;
        for (const auto& [k, v] : store::pg::environment_of(cfg.database_url))
            if (k == "PGDATABASE" || (k == "PGUSER" && dbname.empty())) dbname = v;
        run_pg_tool({"pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                     "--single-transaction", "--exit-on-error", "--dbname=" + dbname,
                     (stage.dir / kPgMember).string()},
                    cfg.database_url);
    }
    if (has(kKeyMember)) {
        if (!fs::exists(data / kKeyMember) || read_file(data / kKeyMember) != key) {
            keep_aside(data / kKeyMember, when, out.kept_aside);
            fs::rename(stage.dir / kKeyMember, data / kKeyMember);
        }
        ::chmod((data / kKeyMember).c_str(), 0600);
        out.key_restored = true;
    }
    auto managed = data / kManagedDir;
    if (has(std::string(kManagedDir) + "/" + kManagedState)) {
        fs::create_directories(managed);
        ::chmod(managed.c_str(), 0700);
        keep_aside(managed / kManagedState, when, out.kept_aside);
        keep_aside(managed / "profile", when, out.kept_aside);
        fs::rename(stage.dir / kManagedDir / kManagedState, managed / kManagedState);
        if (fs::exists(stage.dir / kManagedDir / "profile"))
            fs::rename(stage.dir / kManagedDir / "profile", managed / "profile");
    }

    // Brought to this binary's schema now, so that the report says what essaim will serve.
    auto db = open_db(cfg, db_path);
    auto m = store::migrate(*db, store::builtin_migrations());
    out.schema_to = m.to_version;
    out.counts = count_rows(*db);
    if (engine != "sqlite") out.secrets_checked = require_secrets(*db, cipher);
    return out;
}

}  // namespace essaim::backup
