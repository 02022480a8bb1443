// SQLite under the store: one connection guarded by a mutex — SQLite serialises writers anyway,
// and reads by key take microseconds, so a pool would buy little — each statement prepared once
// per SQL text and kept.
#include "store/db.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace essaim::store::db {
namespace {

class SqliteDb final : public Database, public Conn {
  public:
    explicit SqliteDb(const std::string& path)
        : Database(Engine::sqlite), wal_(path.empty() || path == ":memory:" ? "" : path + "-wal") {
        sqlite3* db = nullptr;
        int rc = sqlite3_open_v2(path.c_str(), &db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                                 nullptr);
        db_.reset(db);
        if (rc != SQLITE_OK) throw std::runtime_error(path + " : " + sqlite3_errstr(rc));
        sqlite3_busy_timeout(db, 5000);
        script("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON");
    }

    Lease lease() override {
        mu_.lock();
        return Lease(this, Release{this});
    }

    // Every commit appends to the WAL file: a change of its size or modification time (one
    // stat(), no lock) means someone — maybe another process — wrote.
    bool changed_elsewhere() override {
        if (wal_.empty()) return false;
        struct stat st {};
        std::int64_t sig = 0;
        if (::stat(wal_.c_str(), &st) == 0)
            sig = (static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec) ^
                  (static_cast<std::int64_t>(st.st_size) << 1);
        return wal_sig_.exchange(sig) != sig;
    }

    void script(const std::string& sql) override {
        reset();
        if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail();
    }
    bool next() override {
        if (!rows_.empty()) {  // the rows of a writing statement, read ahead by execute()
            if (!fresh_) ++at_;
            fresh_ = false;
            return at_ < rows_.size();
        }
        if (!fresh_ && row_) step();
        fresh_ = false;
        return row_;
    }
    bool null(int col) const override {
        return rows_.empty() ? sqlite3_column_type(st_, col) == SQLITE_NULL
                             : !rows_[at_][static_cast<std::size_t>(col)];
    }
    std::int64_t int64(int col) const override {
        if (rows_.empty()) return sqlite3_column_int64(st_, col);
        const auto& v = rows_[at_][static_cast<std::size_t>(col)];
        return v ? std::stoll(*v) : 0;
    }
    std::string text(int col) const override {
        if (!rows_.empty()) return rows_[at_][static_cast<std::size_t>(col)].value_or("");
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, col));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(st_, col))) : "";
    }
    std::int64_t changed() const override { return sqlite3_changes64(db_.get()); }

  protected:
    Conn& execute(std::string_view sql, std::span<const Value> params) override {
        reset();
        auto it = prepared_.find(sql);
        if (it == prepared_.end()) {
            sqlite3_stmt* s = nullptr;
            if (sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                   SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
                fail();
            it = prepared_.emplace(std::string(sql), Stmt(s, sqlite3_finalize)).first;
        }
        st_ = it->second.get();
        for (int i = 1; const auto& v : params) {
            if (v.kind == Value::Kind::integer)
                sqlite3_bind_int64(st_, i, v.integer);
            else if (v.kind == Value::Kind::text)
                sqlite3_bind_text64(st_, i, v.text.data(), v.text.size(), SQLITE_TRANSIENT,
                                    SQLITE_UTF8);
            ++i;
        }
        step();  // the changes are made here; a first row waits for next()
        fresh_ = true;
        // A writing statement with RETURNING commits (outside a transaction) only when it has
        // run to its end: read its rows now, so that a failed commit (SQLITE_FULL) throws here
        // instead of being lost in a later sqlite3_reset.
        if (row_ && !sqlite3_stmt_readonly(st_)) {
            while (row_) {
                auto& r = rows_.emplace_back();
                for (int c = 0, n = sqlite3_column_count(st_); c < n; ++c) {
                    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, c));
                    if (p)
                        r.emplace_back(
                            std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(st_, c))));
                    else
                        r.emplace_back(std::nullopt);
                }
                step();
            }
            row_ = true;
        }
        return *this;
    }

    void release(Conn&) noexcept override {
        reset();
        if (!sqlite3_get_autocommit(db_.get()))
            sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        mu_.unlock();
    }

  private:
    using Stmt = std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)>;

    // Resets the last statement, so that no cached SELECT keeps a read snapshot open between
    // calls (that would stall WAL checkpoints).
    void reset() {
        rows_.clear();
        at_ = 0;
        if (!st_) return;
        sqlite3_reset(st_);
        sqlite3_clear_bindings(st_);
        st_ = nullptr;
    }

    void step() {
        int rc = sqlite3_step(st_);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail();
        row_ = rc == SQLITE_ROW;
    }

    [[noreturn]] void fail() {
        row_ = false;
        int code = sqlite3_extended_errcode(db_.get());
        auto failure = code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY
                           ? Failure::unique
                       : code == SQLITE_CONSTRAINT_FOREIGNKEY ? Failure::foreign_key
                       : (code & 0xff) == SQLITE_FULL         ? Failure::storage_full
                                                              : Failure::other;
        throw Error(sqlite3_errmsg(db_.get()), failure);
    }

    std::mutex mu_;
    std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> db_{nullptr, sqlite3_close_v2};
    BySql<Stmt> prepared_;
    sqlite3_stmt* st_ = nullptr;  // the statement last run
    bool row_ = false, fresh_ = false;
    std::vector<std::vector<std::optional<std::string>>> rows_;  // see execute()
    std::size_t at_ = 0;
    std::string wal_;                       // "<db>-wal"; empty for an in-memory database
    std::atomic<std::int64_t> wal_sig_{0};  // its mtime and size when last looked at
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path) {
    return std::make_unique<SqliteDb>(path);
}

}  // namespace essaim::store::db
