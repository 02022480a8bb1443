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

const std::vector<Migration>& builtin_migrations();

struct MigrateResult {
    int from_version = 0;
    int to_version = 0;
    std::vector<std::string> applied;
};

MigrateResult migrate(SQLite::Database& db, const std::vector<Migration>& migrations);
int schema_version(SQLite::Database& db);

}  // namespace essaim::store
