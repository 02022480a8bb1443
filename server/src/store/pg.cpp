#include "store/pg.hpp"

#include "util/strings.hpp"

#include <libpq-fe.h>

#include <charconv>

namespace essaim::store::pg {
namespace {

std::string trimmed(const char* msg) {
    std::string s = msg ? msg : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

}  // namespace

Param::Param(std::string v) : v_(str::is_valid_utf8(v) ? std::move(v) : str::to_valid_utf8(v)) {}

void Result::Free::operator()(pg_result* r) const {
    PQclear(r);
}
int Result::rows() const {
    return PQntuples(r_.get());
}
int Result::columns() const {
    return PQnfields(r_.get());
}
bool Result::null(int row, int col) const {
    return PQgetisnull(r_.get(), row, col) != 0;
}
std::string Result::text(int row, int col) const {
    return std::string(PQgetvalue(r_.get(), row, col),
                       static_cast<std::size_t>(PQgetlength(r_.get(), row, col)));
}
std::int64_t Result::int64(int row, int col) const {
    const char* v = PQgetvalue(r_.get(), row, col);
    const char* end = v + PQgetlength(r_.get(), row, col);
    std::int64_t out = 0;
    auto [p, ec] = std::from_chars(v, end, out);
    if (ec != std::errc() || p != end)
        throw Error("valeur entière attendue dans la colonne " + column_name(col), "");
    return out;
}
std::optional<std::int64_t> Result::opt_int64(int row, int col) const {
    if (null(row, col)) return std::nullopt;
    return int64(row, col);
}
std::optional<std::string> Result::opt_text(int row, int col) const {
    if (null(row, col)) return std::nullopt;
    return text(row, col);
}
std::int64_t Result::affected() const {
    const char* n = PQcmdTuples(r_.get());
    return n && *n ? std::stoll(n) : 0;
}
std::string Result::column_name(int col) const {
    const char* n = PQfname(r_.get(), col);
    return n ? n : "";
}

void Connection::Free::operator()(pg_conn* c) const {
    PQfinish(c);
}

Connection::Connection(const std::string& url) {
    // Defaults come first so that the same keys in the URL win (libpq keeps the last value).
    // Without a connect timeout, an unreachable host would hang the start for minutes.
    const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {"10", "essaim", url.c_str(), nullptr};
    c_.reset(PQconnectdbParams(keys, values, 1));
    if (!c_) throw Error("PostgreSQL : mémoire insuffisante pour se connecter", "");
    if (PQstatus(c_.get()) != CONNECTION_OK)
        // libpq's message names host and port; it may quote a malformed part of the URL,
        // hence the scrubbing.
        throw Error("connexion à PostgreSQL impossible (" + redact_url(url) +
                        ") : " + scrub_secrets(trimmed(PQerrorMessage(c_.get())), url),
                    "");
    // Every text essaim stores is UTF-8, whatever the server's default client encoding.
    if (PQsetClientEncoding(c_.get(), "UTF8") != 0)
        throw Error("PostgreSQL : encodage UTF8 refusé : " + trimmed(PQerrorMessage(c_.get())), "");
    // Notices (e.g. "relation already exists, skipping") are not essaim's business to print.
    PQsetNoticeProcessor(
        c_.get(), [](void*, const char*) {}, nullptr);
}

bool Connection::ok() const {
    return PQstatus(c_.get()) == CONNECTION_OK;
}

bool Connection::idle() const {
    return ok() && PQtransactionStatus(c_.get()) == PQTRANS_IDLE;
}

int Connection::socket() const {
    return PQsocket(c_.get());
}

std::vector<Connection::Notify> Connection::notifications() {
    if (PQconsumeInput(c_.get()) == 0)
        throw Error("PostgreSQL : connexion perdue : " + trimmed(PQerrorMessage(c_.get())), "");
    std::vector<Notify> out;
    while (PGnotify* n = PQnotifies(c_.get())) {
        out.push_back({n->relname ? n->relname : "", n->extra ? n->extra : ""});
        PQfreemem(n);
    }
    return out;
}

namespace {

Result checked(pg_conn* c, pg_result* raw) {
    Result r(raw);
    auto st = PQresultStatus(raw);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return r;
    const char* state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
    std::string msg = raw ? trimmed(PQresultErrorMessage(raw)) : "";
    if (msg.empty()) msg = trimmed(PQerrorMessage(c));
    throw Error("PostgreSQL : " + msg, state ? state : "");
}

}  // namespace

Result Connection::exec(const std::string& sql, const std::vector<Param>& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p.c_str());
    return checked(c_.get(), PQexecParams(c_.get(), sql.c_str(), static_cast<int>(values.size()),
                                          nullptr, values.data(), nullptr, nullptr, 0));
}

void Connection::exec_script(const std::string& sql) {
    // PQexec runs every statement of the string; the result is the last one's, and the first
    // failing statement stops the rest.
    checked(c_.get(), PQexec(c_.get(), sql.c_str()));
}

Transaction::Transaction(Connection& c) : c_(c) {
    c_.exec("BEGIN");
}

Transaction::~Transaction() {
    if (done_) return;
    try {
        if (c_.ok()) c_.exec("ROLLBACK");
    } catch (...) {
        // A broken connection rolls back by itself; the pool drops it.
    }
}

void Transaction::commit() {
    c_.exec("COMMIT");
    done_ = true;
}

namespace {

// Where passwords are written in a connection URL ("user:secret@") or string ("password=…"):
// [begin, end) spans, in order.
std::vector<std::pair<std::size_t, std::size_t>> secret_spans(std::string_view s) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    auto scheme = s.find("://");
    if (scheme != std::string_view::npos) {
        auto start = scheme + 3;
        auto end = s.find_first_of("/?#", start);
        auto at = s.rfind('@', end == std::string_view::npos ? s.size() : end);
        if (at != std::string_view::npos && at > start) {
            auto colon = s.find(':', start);
            if (colon != std::string_view::npos && colon < at) out.emplace_back(colon + 1, at);
        }
    }
    // password=… as a URI query parameter or in a key=value connection string.
    for (std::size_t pos = 0; (pos = s.find("password=", pos)) != std::string_view::npos;) {
        auto v = pos + 9;
        auto e = s.find_first_of("& ", v);
        if (e == std::string_view::npos) e = s.size();
        out.emplace_back(v, e);
        pos = e;
    }
    return out;
}

}  // namespace

std::string redact_url(std::string_view url) {
    std::string s(url);
    auto spans = secret_spans(url);
    for (auto it = spans.rbegin(); it != spans.rend(); ++it)
        s.replace(it->first, it->second - it->first, "***");
    return s;
}

std::string scrub_secrets(std::string message, std::string_view url) {
    for (auto [b, e] : secret_spans(url)) {
        auto secret = url.substr(b, e - b);
        if (secret.empty()) continue;
        for (std::size_t pos = 0; (pos = message.find(secret, pos)) != std::string::npos;) {
            message.replace(pos, secret.size(), "***");
            pos += 3;
        }
    }
    return message;
}

bool is_postgres_url(std::string_view url) {
    return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

}  // namespace essaim::store::pg
