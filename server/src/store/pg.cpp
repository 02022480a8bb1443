#include "store/pg.hpp"

#include "config/database_url.hpp"
#include "util/strings.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <vector>

namespace essaim::store::pg {
namespace {

std::string trimmed(const char* msg) {
    std::string s = msg ? msg : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// `?` → `$1`, `$2`… in order, `?n` → `$n`; quoted text is left alone.
std::string numbered(std::string_view sql) {
    std::string out;
    int n = 0;
    char quote = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        char ch = sql[i];
        if (quote && ch == quote)
            quote = 0;
        else if (!quote && (ch == '\'' || ch == '"'))
            quote = ch;
        if (quote || ch != '?') {
            out += ch;
        } else {
            out += '$';
            if (i + 1 == sql.size() || sql[i + 1] < '0' || sql[i + 1] > '9')
                out += std::to_string(++n);
        }
    }
    return out;
}

}  // namespace

void Connection::Free::operator()(pg_conn* c) const {
    PQfinish(c);
}
void Connection::Free::operator()(pg_result* r) const {
    PQclear(r);
}

Connection::Connection(const std::string& url) {
    // Defaults come first so that the same keys in the URL win (libpq keeps the last value).
    // Without a connect timeout, an unreachable host would hang the start for minutes.
    const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {"10", "essaim", url.c_str(), nullptr};
    c_.reset(PQconnectdbParams(keys, values, 1));
    if (!c_) throw std::runtime_error("PostgreSQL : mémoire insuffisante pour se connecter");
    if (PQstatus(c_.get()) != CONNECTION_OK)
        // libpq's message names host and port; it may quote a malformed part of the URL,
        // hence the scrubbing.
        throw std::runtime_error(
            "connexion à PostgreSQL impossible (" + config::redact_url(url) +
            ") : " + config::scrub_secrets(trimmed(PQerrorMessage(c_.get())), url));
    // Every text essaim stores is UTF-8, whatever the server's default client encoding.
    if (PQsetClientEncoding(c_.get(), "UTF8") != 0)
        throw std::runtime_error("PostgreSQL : encodage UTF8 refusé : " +
                                 trimmed(PQerrorMessage(c_.get())));
    // Notices (e.g. "relation already exists, skipping") are not essaim's business to print.
    PQsetNoticeProcessor(
        c_.get(), [](void*, const char*) {}, nullptr);
}

db::Conn& Connection::execute(std::string_view sql, std::span<const db::Value> params) {
    auto it = numbered_.find(sql);
    if (it == numbered_.end()) it = numbered_.emplace(sql, numbered(sql)).first;
    // Text that is not valid UTF-8 (a User-Agent header, a legacy .torrent name) gets U+FFFD in
    // place of the bad bytes: PostgreSQL refuses it in a UTF-8 database, where SQLite stores any
    // bytes, and a login must not fail over its User-Agent.
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        const auto& v = params[i];
        if (v.kind == db::Value::Kind::integer)
            text[i] = std::to_string(v.integer);
        else if (v.kind == db::Value::Kind::text)
            text[i] = str::is_valid_utf8(v.text) ? std::string(v.text) : str::to_valid_utf8(v.text);
        if (v.kind != db::Value::Kind::null) values[i] = text[i].c_str();
    }
    row_ = -1;
    r_.reset(PQexecParams(c_.get(), it->second.c_str(), static_cast<int>(values.size()), nullptr,
                          values.data(), nullptr, nullptr, 0));
    check();
    return *this;
}

void Connection::script(const std::string& sql) {
    // PQexec runs every statement of the string; the result is the last one's, and the first
    // failing statement stops the rest.
    r_.reset(PQexec(c_.get(), sql.c_str()));
    check();
}

void Connection::check() {
    auto st = PQresultStatus(r_.get());
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
    const char* state = r_ ? PQresultErrorField(r_.get(), PG_DIAG_SQLSTATE) : nullptr;
    auto is = [&](const char* code) { return state && std::strcmp(state, code) == 0; };
    // SQLSTATE unique_violation, foreign_key_violation, disk_full.
    auto failure = is("23505")   ? db::Failure::unique
                   : is("23503") ? db::Failure::foreign_key
                   : is("53100") ? db::Failure::storage_full
                                 : db::Failure::other;
    std::string msg = r_ ? trimmed(PQresultErrorMessage(r_.get())) : "";
    if (msg.empty()) msg = trimmed(PQerrorMessage(c_.get()));
    r_.reset();  // `state` and the message lived in it
    throw db::Error("PostgreSQL : " + msg, failure);
}

bool Connection::next() {
    return r_ && ++row_ < PQntuples(r_.get());
}
bool Connection::null(int col) const {
    return PQgetisnull(r_.get(), row_, col) != 0;
}
std::string Connection::text(int col) const {
    return std::string(PQgetvalue(r_.get(), row_, col),
                       static_cast<std::size_t>(PQgetlength(r_.get(), row_, col)));
}
std::int64_t Connection::int64(int col) const {
    const char* v = PQgetvalue(r_.get(), row_, col);
    const char* end = v + PQgetlength(r_.get(), row_, col);
    std::int64_t out = 0;
    auto [p, ec] = std::from_chars(v, end, out);
    if (ec != std::errc() || p != end)
        throw db::Error(std::string("PostgreSQL : entier attendu dans ") + PQfname(r_.get(), col),
                        db::Failure::other);
    return out;
}
std::int64_t Connection::changed() const {
    const char* n = PQcmdTuples(r_.get());
    return n && *n ? std::stoll(n) : 0;
}

bool Connection::ok() const {
    return PQstatus(c_.get()) == CONNECTION_OK;
}

bool Connection::idle() {
    r_.reset();
    if (ok() && PQtransactionStatus(c_.get()) != PQTRANS_IDLE)
        PQclear(PQexec(c_.get(), "ROLLBACK"));
    return ok() && PQtransactionStatus(c_.get()) == PQTRANS_IDLE;
}

int Connection::socket() const {
    return PQsocket(c_.get());
}

std::vector<Connection::Notify> Connection::notifications() {
    if (PQconsumeInput(c_.get()) == 0)
        throw std::runtime_error("PostgreSQL : connexion perdue : " +
                                 trimmed(PQerrorMessage(c_.get())));
    std::vector<Notify> out;
    while (PGnotify* n = PQnotifies(c_.get())) {
        out.push_back({n->relname ? n->relname : "", n->extra ? n->extra : ""});
        PQfreemem(n);
    }
    return out;
}

}  // namespace essaim::store::pg

namespace essaim::store::db {
namespace {

// The pool: connections opened on demand, because PostgreSQL serves concurrent readers and
// writers itself. A lease lasts one store call; a connection lost is closed when it comes back,
// and the next lease opens a fresh one.
class PgDb final : public Database {
  public:
    PgDb(std::string url, std::size_t size)
        : Database(Engine::postgres), url_(std::move(url)), size_(size ? size : 1) {
        idle_.push_back(std::make_unique<pg::Connection>(url_));  // fails the start, not a call
    }

    Lease lease() override {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
        if (!idle_.empty()) {
            Lease c(idle_.back().release(), Release{this});
            idle_.pop_back();
            return c;
        }
        ++open_;
        lock.unlock();
        try {
            return Lease(new pg::Connection(url_), Release{this});
        } catch (...) {
            lock.lock();
            --open_;
            cv_.notify_one();
            throw;
        }
    }

    bool changed_elsewhere() override { return false; }

  protected:
    void release(Conn& conn) noexcept override {
        std::unique_ptr<pg::Connection> c(static_cast<pg::Connection*>(&conn));
        bool idle = c->idle();
        std::lock_guard lock(mu_);
        if (idle)
            idle_.push_back(std::move(c));
        else
            --open_;
        cv_.notify_one();
    }

  private:
    std::string url_;
    std::size_t size_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<pg::Connection>> idle_;
    std::size_t open_ = 1;
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& url, std::size_t pool_size) {
    return std::make_unique<PgDb>(url, pool_size);
}

}  // namespace essaim::store::db

namespace essaim::store::pg {

std::vector<std::pair<std::string, std::string>> environment_of(const std::string& url) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
    if (!opts) {
        if (err) PQfreemem(err);
        throw std::runtime_error("adresse PostgreSQL illisible : " + config::redact_url(url));
    }
    std::vector<std::pair<std::string, std::string>> env;
    for (auto* o = opts; o->keyword; ++o)
        if (o->val && *o->val && o->envvar) env.emplace_back(o->envvar, o->val);
    PQconninfoFree(opts);
    return env;
}

}  // namespace essaim::store::pg
