// The schema: numbered SQL migrations (migrations/0001_init.sql, …) applied in order, each in its
// own transaction, recorded in schema_migrations. A database at the newest version is left
// untouched, a newer one refused (never downgrade); a failed migration is rolled back. On
// PostgreSQL an advisory lock serialises instances starting together.
// One list for both engines: a migration is written as SQLite reads it, except that 64-bit
// integer columns say BIGINT (ids BIGINT PRIMARY KEY) and statements only PostgreSQL runs are
// lines starting with "-- postgresql: "; each engine reads it through dialect::kMigrationRewrites.
// NNNN_name.pg.sql replaces NNNN_name.sql on PostgreSQL; a version with only the former is empty
// on SQLite (the feed of instances, the accounts trigger). Errors: db::Error, runtime_error.
#pragma once

#include "store/db.hpp"

#include <string>
#include <vector>

namespace essaim::store {

struct Migration {
    std::string name;    // "0001_init.sql": the number before '_' is the version
    std::string sql;     // both engines
    std::string pg_sql;  // when not empty, PostgreSQL runs this instead
};

const std::vector<Migration>& builtin_migrations();  // migrations/*.sql, embedded by CMake

// The number before '_' ("0004_limits.sql" → 4); throws std::invalid_argument otherwise.
int migration_version(const Migration& m);

// `sql` as `engine` runs it (dialect::kMigrationRewrites).
std::string for_engine(std::string_view sql, db::Engine engine);

struct MigrateResult {
    int from_version = 0, to_version = 0;
    std::vector<std::string> applied;
};

MigrateResult migrate(db::Database& db, const std::vector<Migration>& migrations);
int schema_version(db::Database& db);
// The newest version recorded (migrate-sqlite-to-postgres reads its source with it).
inline constexpr const char* kSchemaVersionQuery =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";

struct CopiedTable {
    std::string table;
    std::int64_t rows = 0;
};

// `essaim migrate-sqlite-to-postgres`: copies every table of the SQLite database at
// `sqlite_path` (which must be at this binary's schema version) into the PostgreSQL database at
// `url` (migrated first), keeping ids, in one PostgreSQL transaction, then moves the identity
// sequences past the copied ids. Settings are copied as stored (secrets stay sealed: the
// PostgreSQL instance needs the same secret key). A target that already holds data is refused
// unless `force` (its rows are then replaced).
std::vector<CopiedTable> copy_sqlite_to_postgres(const std::string& sqlite_path,
                                                 const std::string& url, bool force);

}  // namespace essaim::store
