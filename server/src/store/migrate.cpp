#include "store/migrate.hpp"

#include "store/dialect.hpp"

#include <algorithm>
#include <stdexcept>

namespace essaim::store {
namespace {

// Any fixed number: the key of the advisory lock that serialises migrations across instances.
constexpr std::int64_t kMigrationLock = 0x65737361696d;  // "essaim"

int version(db::Conn& c, db::Engine engine) {
    c.run(
        for_engine("CREATE TABLE IF NOT EXISTS schema_migrations ( version INTEGER PRIMARY KEY,"
                   " name TEXT NOT NULL, applied_at BIGINT NOT NULL) STRICT",
                   engine));
    c.run(kSchemaVersionQuery).next();
    return static_cast<int>(c.int64(0));
}

}  // namespace

int migration_version(const Migration& m) {
    std::size_t used = 0;
    int v = std::stoi(m.name, &used);
    if (used == 0 || m.name[used] != '_')
        throw std::invalid_argument("bad migration name " + m.name);
    return v;
}

std::string for_engine(std::string_view sql, db::Engine engine) {
    std::string out;
    for (std::size_t i = 0; i < sql.size();) {
        const auto* r = std::find_if(
            std::begin(dialect::kMigrationRewrites), std::end(dialect::kMigrationRewrites),
            [&](const auto& r) { return sql.substr(i).starts_with(r.from); });
        if (r == std::end(dialect::kMigrationRewrites)) {
            out += sql[i++];
        } else {
            out += r->to.in(engine);
            i += std::string_view(r->from).size();
        }
    }
    return out;
}

int schema_version(db::Database& db) {
    return version(*db.lease(), db.engine);
}

MigrateResult migrate(db::Database& db, const std::vector<Migration>& migrations) {
    auto c = db.lease();
    const char* lock = dialect::kLockMigrations.in(db.engine);
    if (lock) c->run(lock, {kMigrationLock});
    struct Unlock {  // before the lease ends: a pooled connection must not keep the lock
        db::Conn& c;
        const char* sql;
        ~Unlock() {
            try {
                if (!sql) return;
                c.run("ROLLBACK");  // a failed migration's: PostgreSQL refuses anything else in it
                c.run(sql, {kMigrationLock});
            } catch (...) {  // the lock dies with the connection anyway
            }
        }
    } unlock{*c, dialect::kUnlockMigrations.in(db.engine)};

    MigrateResult r;
    r.from_version = r.to_version = version(*c, db.engine);
    int newest = 0;
    for (const auto& m : migrations) newest = std::max(newest, migration_version(m));
    if (r.from_version > newest)
        throw std::runtime_error("la base de données (version " + std::to_string(r.from_version) +
                                 ") est plus récente que ce binaire (version " +
                                 std::to_string(newest) + ")");
    auto record = for_engine(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, unixepoch())",
        db.engine);
    int previous = 0;
    for (const auto& m : migrations) {
        int v = migration_version(m);
        if (v <= previous) throw std::invalid_argument("migrations out of order at " + m.name);
        previous = v;
        if (v <= r.from_version) continue;
        bool own = db.engine == db::Engine::postgres && !m.pg_sql.empty();
        c->run("BEGIN");
        c->script(for_engine(own ? m.pg_sql : m.sql, db.engine));
        c->run(record, {v, m.name});
        c->run("COMMIT");
        r.applied.push_back(m.name);
        r.to_version = v;
    }
    return r;
}

}  // namespace essaim::store
