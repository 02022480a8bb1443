// PostgreSQL beside the SQLite default: the store, its migrations, and the one-shot copy of an
// SQLite database into PostgreSQL (`essaim migrate-sqlite-to-postgres`).
#pragma once

#include "store/migrate.hpp"
#include "store/pg.hpp"
#include "store/store.hpp"

#include <memory>
#include <string>
#include <vector>

namespace essaim::store {

// Connects (failing at once, with a French message without the password, when PostgreSQL is
// unreachable) and applies the pending PostgreSQL migrations when `migrate` is true. Up to
// `pool_size` connections are opened on demand and shared by every thread.
std::unique_ptr<Store> open_postgres_store(const std::string& url, bool migrate = true,
                                           std::size_t pool_size = 4);

// Same contract as migrate(SQLite::Database&, …): one transaction per migration, recorded in
// schema_migrations; a database newer than this binary is refused. A PostgreSQL advisory lock
// serialises instances starting together on the same database.
MigrateResult migrate(pg::Connection& c, const std::vector<Migration>& migrations);
int schema_version(pg::Connection& c);

struct CopiedTable {
    std::string table;
    std::int64_t rows = 0;
};

// Copies every table of the SQLite database at `sqlite_path` (which must be at this binary's
// schema version) into the PostgreSQL database at `url` (migrated first), keeping ids, in one
// PostgreSQL transaction, then moves the identity sequences past the copied ids. Settings are
// copied as stored (secrets stay sealed: the PostgreSQL instance needs the same secret key).
// A target that already holds data is refused unless `force` (its rows are then replaced).
std::vector<CopiedTable> copy_sqlite_to_postgres(const std::string& sqlite_path,
                                                 const std::string& url, bool force);

}  // namespace essaim::store
