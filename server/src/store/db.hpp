// The database under the store, as small as the store needs: on a leased connection, run one
// statement with `?` parameters and read the rows it returns. SQLite (sqlite_db.cpp): one
// connection behind a mutex, each statement prepared once and kept. PostgreSQL (pg.hpp): a pool
// of connections; `?` becomes `$n`, rewritten once per statement and connection. What the two
// spell differently: dialect.hpp. A transaction is BEGIN … COMMIT on one lease; a lease that
// ends inside it (an exception, an early return) rolls it back.
// Errors: a failed statement throws db::Error, which tells a unique or foreign key constraint or
// a full disk apart; opening throws std::runtime_error (French for PostgreSQL, no password).
// Threads: a Database serves every thread; a leased Conn is one thread's until the lease ends.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace essaim::store::db {

enum class Engine { sqlite, postgres };
enum class Failure { other, unique, foreign_key, storage_full };

struct Error : std::runtime_error {
    Error(const std::string& what, Failure f) : std::runtime_error(what), failure(f) {}
    Failure failure;
};

// A parameter: NULL, an integer (a flag is 0 or 1, as SQLite stores it) or text, viewed: it
// must live until run() returns.
struct Value {
    enum class Kind { null, integer, text } kind = Kind::null;
    std::int64_t integer = 0;
    std::string_view text;

    Value(std::nullopt_t) {}
    Value(std::int64_t v) : kind(Kind::integer), integer(v) {}
    Value(int v) : Value(std::int64_t{v}) {}
    Value(bool v) : Value(std::int64_t{v}) {}
    Value(std::string_view v) : kind(Kind::text), text(v) {}
    Value(const std::string& v) : Value(std::string_view(v)) {}
    Value(const char* v) : Value(std::string_view(v)) {}
    template <class T>
    Value(const std::optional<T>& v) : Value(v ? Value(*v) : Value(std::nullopt)) {}
};

// A connection. run() executes one statement (its changes are made when it returns); the rows
// it returns are then read with next() and the getters, until the next run().
class Conn {
  public:
    virtual ~Conn() = default;
    Conn& run(std::string_view sql, std::initializer_list<Value> params = {}) {
        return execute(sql, {params.begin(), params.size()});
    }
    Conn& run(std::string_view sql, const std::vector<Value>& params) {
        return execute(sql, params);
    }
    virtual void script(const std::string& sql) = 0;  // statements without parameters
    virtual bool next() = 0;                          // to the next row; false after the last
    virtual bool null(int col) const = 0;
    virtual std::int64_t int64(int col) const = 0;
    virtual std::string text(int col) const = 0;  // "" for NULL
    virtual std::int64_t changed() const = 0;     // rows the INSERT, UPDATE or DELETE changed
    std::optional<std::int64_t> opt_int64(int col) const {
        return null(col) ? std::nullopt : std::optional(int64(col));
    }
    std::optional<std::string> opt_text(int col) const {
        return null(col) ? std::nullopt : std::optional(text(col));
    }

  protected:
    virtual Conn& execute(std::string_view sql, std::span<const Value> params) = 0;
};

class Database {
  public:
    explicit Database(Engine e) : engine(e) {}
    virtual ~Database() = default;
    const Engine engine;

    // A connection for this thread until the lease ends (SQLite: the one connection, locked;
    // PostgreSQL: one of the pool, waited for while every one is leased), which rolls back a
    // transaction left open.
    struct Release {
        Database* db;
        void operator()(Conn* c) const noexcept { db->release(*c); }
    };
    using Lease = std::unique_ptr<Conn, Release>;
    virtual Lease lease() = 0;

    // SQLite: whether another process may have written since the last call (its WAL file
    // changed). PostgreSQL: false, NOTIFY tells instead (Store::auth_changed_elsewhere).
    virtual bool changed_elsewhere() = 0;

  protected:
    virtual void release(Conn& c) noexcept = 0;
};
using Lease = Database::Lease;

// WAL mode, foreign keys on, a 5 s busy timeout.
std::unique_ptr<Database> open_sqlite(const std::string& path);
// Connects at once (an unreachable server fails here), then up to pool_size on demand.
std::unique_ptr<Database> open_postgres(const std::string& url, std::size_t pool_size);

// The engines' caches keyed by SQL text, looked up without copying the text.
struct SqlHash : std::hash<std::string_view> {
    using is_transparent = void;
};
template <class T>
using BySql = std::unordered_map<std::string, T, SqlHash, std::equal_to<>>;

}  // namespace essaim::store::db
