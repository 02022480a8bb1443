// Numbered SQL migrations ("0001_init.sql", …), applied in order, each in its own transaction,
// recorded in schema_migrations. Applying is idempotent: a database already at the newest
// version is left untouched. A database newer than this binary is refused (never downgrade).
#pragma once

#include <SQLiteCpp/Database.h>

#include <string>
#include <vector>

namespace essaim::store {

struct Migration {
    std::string name;  // "0001_init.sql": the number before '_' is the version
    std::string sql;
};

const std::vector<Migration>& builtin_migrations();     // SQLite: migrations/*.sql
const std::vector<Migration>& builtin_pg_migrations();  // PostgreSQL: migrations_pg/*.sql

// The number before '_' ("0004_limits.sql" → 4); throws std::invalid_argument otherwise.
int migration_version(const Migration& m);

struct MigrateResult {
    int from_version = 0;
    int to_version = 0;
    std::vector<std::string> applied;
};

MigrateResult migrate(SQLite::Database& db, const std::vector<Migration>& migrations);
int schema_version(SQLite::Database& db);

}  // namespace essaim::store
