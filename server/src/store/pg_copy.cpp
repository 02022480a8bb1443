// `essaim migrate-sqlite-to-postgres`: copies an SQLite database into PostgreSQL, rows and ids
// unchanged. Both schemas have the same tables and columns (one list of migrations), so the copy
// is generic: every column SQLite has is inserted by name into PostgreSQL, values as text
// (PostgreSQL converts them to the column's type), NULL kept.
#include "store/migrate.hpp"

#include "config/database_url.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <deque>
#include <stdexcept>
#include <string_view>

namespace essaim::store {
namespace {

// Parents before children, so that every foreign key finds its row.
constexpr const char* kTables[] = {
    "groups",          "qbt_servers",   "group_servers", "users",      "user_identities",
    "api_tokens",      "sessions",      "settings",      "audit_log",  "torrents",
    "recent_searches", "notifications", "deliveries",    "user_labels"};
// Tables whose rows the first migrations create (the built-in groups, server 1): not counted as
// "already holding data".
constexpr std::string_view kSeededTables[] = {"groups", "qbt_servers"};
// Tables whose `id` is an identity column (sessions and settings have text keys).
constexpr const char* kIdentityTables[] = {"groups",          "qbt_servers",   "users",
                                           "api_tokens",      "audit_log",     "torrents",
                                           "recent_searches", "notifications", "deliveries"};

// Rows per INSERT: far below PostgreSQL's 65535 parameters, few round trips.
constexpr int kBatchRows = 500;

std::int64_t copy_table(SQLite::Database& from, db::Conn& to, const std::string& table) {
    SQLite::Statement q(from, "SELECT * FROM " + table + " ORDER BY rowid");
    int n = q.getColumnCount();
    std::string columns;
    for (int i = 0; i < n; ++i) columns += (i ? ", " : "") + std::string(q.getColumnName(i));
    std::int64_t copied = 0;
    std::deque<std::string> texts;  // what params view (a deque never moves its strings)
    std::vector<db::Value> params;
    std::string values;
    int rows = 0;
    auto flush = [&] {
        if (rows == 0) return;
        to.run("INSERT INTO " + table + " (" + columns + ") VALUES " + values, params);
        copied += rows;
        rows = 0;
        texts.clear();
        params.clear();
        values.clear();
    };
    while (q.executeStep()) {
        values += rows ? ", (" : "(";
        for (int i = 0; i < n; ++i) {
            auto col = q.getColumn(i);
            // STRICT tables hold no blobs; integers come as their decimal text.
            if (col.isNull())
                params.emplace_back(std::nullopt);
            else
                params.emplace_back(texts.emplace_back(col.getString()));
            values += i ? ", ?" : "?";
        }
        values += ")";
        if (++rows == kBatchRows) flush();
    }
    flush();
    return copied;
}

}  // namespace

std::vector<CopiedTable> copy_sqlite_to_postgres(const std::string& sqlite_path,
                                                 const std::string& url, bool force) {
    SQLite::Database from(sqlite_path, SQLite::OPEN_READONLY);
    int newest = migration_version(builtin_migrations().back()), version = 0;
    if (from.tableExists("schema_migrations"))
        version = from.execAndGet(kSchemaVersionQuery).getInt();
    if (version != newest)
        throw std::runtime_error("la base SQLite " + sqlite_path + " est en version " +
                                 std::to_string(version) + ", ce binaire attend la version " +
                                 std::to_string(newest) +
                                 " : appliquez d'abord « essaim migrate » sur cette base");

    auto target = db::open_postgres(url, 1);
    migrate(*target, builtin_migrations());
    auto to = target->lease();

    // One read snapshot of SQLite (WAL: a running essaim may keep writing meanwhile) and one
    // PostgreSQL transaction: the target gets all of it or nothing.
    SQLite::Transaction snapshot(from);
    to->run("BEGIN");  // rolled back when `to` is released without COMMIT
    // Rows already there: any in the copied tables, but groups 1 and 2 (they come with 0001).
    std::string count = "SELECT (SELECT COUNT(*) FROM groups WHERE id > 2)";
    for (const char* t : kTables)
        if (std::find(std::begin(kSeededTables), std::end(kSeededTables), t) ==
            std::end(kSeededTables))
            count += std::string(" + (SELECT COUNT(*) FROM ") + t + ")";
    to->run(count).next();
    std::int64_t existing = to->int64(0);
    if (existing > 0 && !force)
        throw std::runtime_error("la base PostgreSQL " + config::redact_url(url) +
                                 " contient déjà " + std::to_string(existing) +
                                 " lignes : ajoutez --force pour les remplacer");
    // The two groups created by the first migration are replaced by the source's own. Every
    // copied table in one statement (kTables: a new table cannot be forgotten here).
    std::string truncate = "TRUNCATE ";
    for (const char* t : kTables) truncate += std::string(t == kTables[0] ? "" : ", ") + t;
    to->run(truncate);

    std::vector<CopiedTable> out;
    for (const char* t : kTables) out.push_back({t, copy_table(from, *to, t)});
    for (const char* t : kIdentityTables) {
        // Next id = max + 1 (or 1 on an empty table), as SQLite's rowid would give.
        to->run(std::string("SELECT setval(pg_get_serial_sequence('") + t +
                "', 'id'), GREATEST(COALESCE(MAX(id), 0), 1), COUNT(*) > 0) FROM " + t);
    }
    to->run("COMMIT");
    return out;
}

}  // namespace essaim::store
