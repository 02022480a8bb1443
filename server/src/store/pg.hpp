// A small RAII layer over libpq (Debian's libpq-dev), just what the PostgreSQL store needs:
// a connection, parameterised queries with text-format values, results read as text, and
// errors as exceptions carrying the SQLSTATE. (Why libpq and not libpqxx: docs/decisions.md.)
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace essaim::store::pg {

// Any failure reported by PostgreSQL; `sqlstate` is the five-character code ("23505" for a
// unique violation, "23503" for a foreign key, "53100" disk full), empty for connection errors.
struct Error : std::runtime_error {
    Error(const std::string& what, std::string sqlstate)
        : std::runtime_error(what), sqlstate(std::move(sqlstate)) {}
    std::string sqlstate;
};

inline constexpr const char* kUniqueViolation = "23505";
inline constexpr const char* kForeignKeyViolation = "23503";
inline constexpr const char* kDiskFull = "53100";

// One query parameter, sent as text (PostgreSQL infers or casts the type); nullopt = NULL.
// Strings that are not valid UTF-8 (a User-Agent header, a legacy .torrent name) get U+FFFD in
// place of the bad bytes: PostgreSQL refuses them in a UTF-8 database, where SQLite stores any
// bytes, and a login must not fail over its User-Agent.
class Param {
  public:
    Param(std::nullopt_t) {}
    Param(std::string v);
    Param(const char* v) : Param(std::string(v)) {}
    Param(std::int64_t v) : v_(std::to_string(v)) {}
    Param(int v) : v_(std::to_string(v)) {}
    Param(bool v) : v_(v ? "1" : "0") {}  // flags are INTEGER 0/1, as in SQLite
    Param(const std::optional<std::string>& v) {
        if (v) *this = Param(*v);
    }
    Param(const std::optional<std::int64_t>& v) {
        if (v) v_ = std::to_string(*v);
    }
    const char* c_str() const { return v_ ? v_->c_str() : nullptr; }

  private:
    std::optional<std::string> v_;
};

class Result {
  public:
    explicit Result(pg_result* r) : r_(r) {}
    int rows() const;
    int columns() const;
    bool null(int row, int col) const;
    std::string text(int row, int col) const;  // "" for NULL
    std::int64_t int64(int row, int col) const;
    std::optional<std::int64_t> opt_int64(int row, int col) const;
    std::optional<std::string> opt_text(int row, int col) const;
    std::int64_t affected() const;  // rows changed by INSERT/UPDATE/DELETE
    std::string column_name(int col) const;

  private:
    struct Free {
        void operator()(pg_result* r) const;
    };
    std::unique_ptr<pg_result, Free> r_;
};

class Connection {
  public:
    // Connects (libpq URI or key=value string); throws Error with a French message that never
    // contains the password.
    explicit Connection(const std::string& url);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Result exec(const std::string& sql, const std::vector<Param>& params = {});
    // Several statements in one string, no parameters (migrations).
    void exec_script(const std::string& sql);
    bool ok() const;  // false once the server connection is lost
    // Connected and outside any transaction: safe to hand to the next caller.
    bool idle() const;

    // LISTEN/NOTIFY (several instances on one database, app/cluster.hpp).
    struct Notify {
        std::string channel, payload;
    };
    // The socket to wait on (poll) for notifications; -1 when not connected.
    int socket() const;
    // Reads what the server sent without blocking and returns the notifications received so
    // far (also those that arrived during an exec()). Throws Error when the connection broke.
    std::vector<Notify> notifications();

  private:
    struct Free {
        void operator()(pg_conn* c) const;
    };
    std::unique_ptr<pg_conn, Free> c_;
};

// BEGIN on construction; ROLLBACK on destruction unless commit() was called.
class Transaction {
  public:
    explicit Transaction(Connection& c);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();

  private:
    Connection& c_;
    bool done_ = false;
};

// "postgresql://user:secret@host/db?password=x" → "postgresql://user:***@host/db?password=***":
// what may be shown in logs and error messages.
std::string redact_url(std::string_view url);
// `message` with every password written in `url` replaced by "***".
std::string scrub_secrets(std::string message, std::string_view url);

bool is_postgres_url(std::string_view url);

}  // namespace essaim::store::pg
