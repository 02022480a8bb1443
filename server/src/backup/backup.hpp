// `essaim backup FILE` and `essaim restore FILE [--force]`: the data dir's side (the CLI prints).
// What a backup holds (backup/archive.hpp): the database — SQLite copied online through SQLite's
// backup API (a consistent snapshot while essaim runs), PostgreSQL through pg_dump's custom
// format —, the secret key that seals the settings' secrets (unless it comes from ESSAIM_SECRET),
// and the managed qbittorrent-nox's profile (its torrents and settings; not the downloaded data).
// Errors: std::runtime_error with a French message; nothing in the data dir is changed by a
// refused restore. Threads: none; one call per process.
#pragma once

#include "config/config.hpp"
#include "store/db.hpp"
#include "store/settings_cipher.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace essaim::backup {

struct Counts {
    std::int64_t users = 0, groups = 0, torrents = 0, settings = 0, servers = 0, secrets = 0;
};

// Rows of the tables a report names (backup, restore, doctor).
Counts count_rows(store::db::Database& db);

// Every sealed value the database holds — the secret settings and the servers' passwords —
// opened with `cipher`: how many there are, and the names of those that do not open.
struct SecretsCheck {
    std::int64_t sealed = 0;
    std::vector<std::string> failed;
};
SecretsCheck check_secrets(store::db::Database& db, const store::SettingsCipher& cipher);

struct BackupResult {
    boost::json::object manifest;  // as written (without the file list)
    Counts counts;
    std::uint64_t bytes = 0;  // archive size
};

BackupResult make_backup(const config::Config& cfg, const std::string& archive_path);

struct RestoreResult {
    boost::json::object manifest;
    Counts counts;
    int schema_from = 0, schema_to = 0;   // the archive's, and after this binary's migrations
    std::vector<std::string> kept_aside;  // what was in the data dir before, renamed
    bool key_restored = false;
    std::int64_t secrets_checked = 0;  // sealed settings and server passwords that open
};

// Refuses an archive from a newer schema, from the other engine, whose secrets the key in
// effect cannot open, or — without `force` — a data dir (or PostgreSQL database) that already
// holds accounts. With `force` what was there is renamed "<name>.avant-restauration-<date>".
RestoreResult restore_backup(const config::Config& cfg, const std::string& archive_path,
                             bool force);

}  // namespace essaim::backup
