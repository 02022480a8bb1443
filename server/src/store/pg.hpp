// PostgreSQL through libpq (Debian's libpq-dev; why not libpqxx: docs/decisions.md): a
// connection that is the store's db::Conn — parameters sent and results read as text, `?`
// rewritten to `$n` once per statement — plus LISTEN/NOTIFY for the cluster (app/cluster.hpp).
// pg.cpp also holds the store's pool of them (db::open_postgres).
// Errors: connecting throws std::runtime_error (French, without the password); a statement,
// db::Error. Threads: a connection serves one thread at a time.
#pragma once

#include "store/db.hpp"

struct pg_conn;
struct pg_result;

namespace essaim::store::pg {

class Connection final : public db::Conn {
  public:
    explicit Connection(const std::string& url);  // a libpq URI or key=value string

    void script(const std::string& sql) override;
    bool next() override;
    bool null(int col) const override;
    std::int64_t int64(int col) const override;
    std::string text(int col) const override;
    std::int64_t changed() const override;

    bool ok() const;  // false once the server connection is lost
    // Frees the last result and rolls back a transaction left open; true when connected and
    // idle: safe to hand to the next caller.
    bool idle();

    struct Notify {
        std::string channel, payload;
    };
    int socket() const;  // to wait on (poll) for notifications; -1 when not connected
    // Reads what the server sent without blocking and returns the notifications received so
    // far (also those that arrived during a run()). Throws when the connection broke.
    std::vector<Notify> notifications();

  protected:
    Conn& execute(std::string_view sql, std::span<const db::Value> params) override;

  private:
    void check();  // throws db::Error unless the last statement succeeded
    struct Free {
        void operator()(pg_conn* c) const;
        void operator()(pg_result* r) const;
    };
    std::unique_ptr<pg_conn, Free> c_;
    std::unique_ptr<pg_result, Free> r_;  // the last statement's
    int row_ = -1;
    db::BySql<std::string> numbered_;  // SQL as written → as sent
};

}  // namespace essaim::store::pg

namespace essaim::store::pg {

// The libpq environment (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, …) that
// names the same database as `url`: how `essaim backup` hands it to pg_dump and pg_restore
// without the password on their command line (readable by every local user in /proc).
// Throws std::runtime_error (French, without the password) when libpq cannot parse it.
std::vector<std::pair<std::string, std::string>> environment_of(const std::string& url);

}  // namespace essaim::store::pg
