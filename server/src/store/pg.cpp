#include "store/pg.hpp"

#include "util/strings.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>

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

Connection::Connection(const std::string& url) : db::Conn(db::Engine::postgres) {
    // Defaults come first so that the same keys in the URL win (libpq keeps the last value).
    // Without a connect timeout, an unreachable host would hang the start for minutes.
    const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {"10", "essaim", url.c_str(), nullptr};
    c_.reset(PQconnectdbParams(keys, values, 1));
    if (!c_) throw std::runtime_error("PostgreSQL : mémoire insuffisante pour se connecter");
    if (PQstatus(c_.get()) != CONNECTION_OK)
        // libpq's message names host and port; it may quote a malformed part of the URL,
        // hence the scrubbing.
        throw std::runtime_error("connexion à PostgreSQL impossible (" + redact_url(url) +
                                 ") : " + scrub_secrets(trimmed(PQerrorMessage(c_.get())), url));
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
    std::string msg = r_ ? trimmed(PQresultErrorMessage(r_.get())) : "";
    if (msg.empty()) msg = trimmed(PQerrorMessage(c_.get()));
    r_.reset();
    auto is = [&](const char* code) { return state && std::strcmp(state, code) == 0; };
    throw db::Error("PostgreSQL : " + msg, is("23505")   ? db::Failure::unique
                                           : is("23503") ? db::Failure::foreign_key
                                           : is("53100") ? db::Failure::storage_full
                                                         : db::Failure::other);
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
