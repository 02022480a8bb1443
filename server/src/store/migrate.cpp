#include "store/migrate.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <stdexcept>

namespace essaim::store {

int migration_version(const Migration& m) {
    std::size_t used = 0;
    int v = std::stoi(m.name, &used);
    if (used == 0 || m.name[used] != '_')
        throw std::invalid_argument("bad migration name " + m.name);
    return v;
}

int schema_version(SQLite::Database& db) {
    db.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT");
    SQLite::Statement q(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    q.executeStep();
    return q.getColumn(0).getInt();
}

MigrateResult migrate(SQLite::Database& db, const std::vector<Migration>& migrations) {
    MigrateResult r;
    r.from_version = r.to_version = schema_version(db);
    int newest = 0;
    for (const auto& m : migrations) newest = std::max(newest, migration_version(m));
    if (r.from_version > newest)
        throw std::runtime_error("la base de données (version " + std::to_string(r.from_version) +
                                 ") est plus récente que ce binaire (version " +
                                 std::to_string(newest) + ")");
    int previous = 0;
    for (const auto& m : migrations) {
        int v = migration_version(m);
        if (v <= previous) throw std::invalid_argument("migrations out of order at " + m.name);
        previous = v;
        if (v <= r.from_version) continue;
        SQLite::Transaction tx(db);
        db.exec(m.sql);
        SQLite::Statement ins(db,
                              "INSERT INTO schema_migrations (version, name, applied_at)"
                              " VALUES (?, ?, unixepoch())");
        ins.bind(1, v);
        ins.bind(2, m.name);
        ins.exec();
        tx.commit();
        r.applied.push_back(m.name);
        r.to_version = v;
    }
    return r;
}

}  // namespace essaim::store
