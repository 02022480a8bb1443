#include "http/client.hpp"

#include "net/address.hpp"
#include "util/strings.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

#include <mutex>

namespace essaim::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

std::string ClientResponse::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (str::iequals(k, name)) return v;
    return {};
}

std::vector<std::string> ClientResponse::header_all(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : headers)
        if (str::iequals(k, name)) out.push_back(v);
    return out;
}

struct HttpClient::Pool {
    asio::any_io_executor ex;
    std::size_t max_idle;
    std::mutex mu;
    std::vector<std::pair<std::string, std::unique_ptr<beast::tcp_stream>>> idle;  // key host:port

    std::unique_ptr<beast::tcp_stream> take(const std::string& key) {
        std::lock_guard lock(mu);
        for (auto it = idle.begin(); it != idle.end(); ++it)
            if (it->first == key) {
                auto s = std::move(it->second);
                idle.erase(it);
                return s;
            }
        return nullptr;
    }
    void give(const std::string& key, std::unique_ptr<beast::tcp_stream> s) {
        std::lock_guard lock(mu);
        if (max_idle == 0) return;
        if (idle.size() >= max_idle) idle.erase(idle.begin());
        idle.emplace_back(key, std::move(s));
    }
};

namespace {

using Failure = ClientResponse::Failure;
using Clock = std::chrono::steady_clock;

struct Target {
    std::string host, port, target, host_header;
    bool tls = false;
};

// The URL as error messages may show it: without its query string and user info, which can
// hold secrets (Jackett's API key is a query parameter) and errors reach users.
std::string shown_url(const std::string& url) {
    auto out = url.substr(0, url.find_first_of("?#"));
    auto scheme = out.find("://");
    auto start = scheme == std::string::npos ? 0 : scheme + 3;
    auto at = out.find('@', start);
    if (at != std::string::npos && at < out.find('/', start)) out.erase(start, at + 1 - start);
    return out;
}

bool parse_target(const std::string& url, Target& t, ClientResponse& out) {
    auto u = boost::urls::parse_absolute_uri(url);
    if (!u || (u->scheme() != "http" && u->scheme() != "https") || u->host().empty()) {
        out.failure = Failure::bad_url;
        out.error = "adresse invalide ou non prise en charge (http:// ou https:// attendu) : " +
                    shown_url(url);
        return false;
    }
    t.tls = u->scheme() == "https";
    t.host = u->host();
    if (t.host.size() > 2 && t.host.front() == '[') t.host = t.host.substr(1, t.host.size() - 2);
    t.port = u->has_port() ? std::string(u->port()) : (t.tls ? "443" : "80");
    t.target = u->encoded_path().empty() ? "/" : std::string(u->encoded_path());
    if (u->has_query()) t.target += "?" + std::string(u->encoded_query());
    // Exactly the host[:port] of the URL: qBittorrent rejects a Host that differs (401).
    t.host_header = std::string(u->encoded_host_and_port());
    return true;
}

// When the step starting now must end: `timeout` from now, or the request's deadline if sooner.
Clock::time_point step_deadline(const ClientRequest& req) {
    auto d = Clock::now() + req.timeout;
    return req.deadline != Clock::time_point{} && req.deadline < d ? req.deadline : d;
}

void fail(ClientResponse& r, Failure f, std::string error) {
    r.failure = f;
    r.timed_out = f == Failure::timeout;
    r.too_large = f == Failure::too_large;
    r.error = std::move(error);
}

bool is_timeout(const boost::system::error_code& ec) {
    return ec == beast::error::timeout || ec == asio::error::operation_aborted;
}

enum class Stage { connect, write, read, done };

struct Attempt {
    ClientResponse res;
    Stage failed_at = Stage::done;
    bool keep_alive = false;
};

template <class Stream>
asio::awaitable<Attempt> exchange(Stream& stream, const Target& t, const ClientRequest& req) {
    Attempt a;
    bhttp::request<bhttp::string_body> r{bhttp::string_to_verb(req.method), t.target, 11};
    r.set(bhttp::field::host, t.host_header);
    r.set(bhttp::field::user_agent, "essaim/" ESSAIM_VERSION);
    for (const auto& [k, v] : req.headers) r.set(k, v);
    r.keep_alive(true);
    if (!req.body.empty() || req.method == "POST" || req.method == "PUT") {
        r.body() = req.body;
        r.prepare_payload();
    }
    beast::get_lowest_layer(stream).expires_at(step_deadline(req));
    auto [wec, wn] = co_await bhttp::async_write(stream, r, asio::as_tuple(asio::use_awaitable));
    (void)wn;
    if (wec) {
        a.failed_at = Stage::write;
        if (is_timeout(wec))
            fail(a.res, Failure::timeout, "délai dépassé");
        else
            fail(a.res, Failure::unreachable, "échec de l'envoi de la requête : " + wec.message());
        co_return a;
    }
    beast::flat_buffer buf;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(req.max_response_bytes);
    if (req.method == "HEAD") parser.skip(true);
    auto [rec, rn] =
        co_await bhttp::async_read(stream, buf, parser, asio::as_tuple(asio::use_awaitable));
    (void)rn;
    if (rec) {
        a.failed_at = Stage::read;
        if (is_timeout(rec))
            fail(a.res, Failure::timeout, "délai de réponse dépassé");
        else if (rec == bhttp::error::body_limit)
            fail(a.res, Failure::too_large, "réponse trop volumineuse");
        else
            fail(a.res, Failure::unreachable, "réponse illisible : " + rec.message());
        co_return a;
    }
    auto res = parser.release();
    a.res.status = static_cast<int>(res.result_int());
    for (const auto& f : res)
        a.res.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    a.res.body = std::move(res.body());
    a.keep_alive = res.keep_alive();
    co_return a;
}

// Resolves the host once, applies the address rule to every result (allow_private = false),
// then connects to one of exactly those endpoints.
asio::awaitable<std::unique_ptr<beast::tcp_stream>> connect(const Target& t,
                                                            const ClientRequest& req,
                                                            ClientResponse& out) {
    auto ex = co_await asio::this_coro::executor;
    auto deadline = step_deadline(req);
    if (deadline <= Clock::now()) {
        fail(out, Failure::timeout, "délai dépassé avant de contacter " + t.host);
        co_return nullptr;
    }
    // getaddrinfo runs on a thread of Asio's and knows no deadline: a timer cancels the wait
    // (the handler sees the resolver only while this frame holds it).
    auto resolver = std::make_shared<asio::ip::tcp::resolver>(ex);
    asio::steady_timer timer(ex);
    timer.expires_at(deadline);
    timer.async_wait([weak = std::weak_ptr(resolver)](boost::system::error_code ec) {
        if (auto r = weak.lock(); r && !ec) r->cancel();
    });
    auto [rec, results] =
        co_await resolver->async_resolve(t.host, t.port, asio::as_tuple(asio::use_awaitable));
    timer.cancel();
    if (rec) {
        if (Clock::now() >= deadline)
            fail(out, Failure::timeout, "délai dépassé pour trouver l'hôte " + t.host);
        else
            fail(out, Failure::unreachable, "nom d'hôte introuvable : " + t.host);
        co_return nullptr;
    }
    if (!req.allow_private) {
        for (const auto& r : results) {
            auto addr = r.endpoint().address();
            auto cls = net::classify(addr);
            if (cls != net::AddressClass::public_address) {
                fail(out, Failure::refused_address,
                     "adresse refusée : " + t.host + " désigne " + addr.to_string() + " (" +
                         net::describe(cls) + ")");
                co_return nullptr;
            }
        }
    }
    auto stream = std::make_unique<beast::tcp_stream>(ex);
    stream->expires_at(deadline);
    auto [cec, ep] = co_await stream->async_connect(results, asio::as_tuple(asio::use_awaitable));
    if (cec) {
        if (is_timeout(cec))
            fail(out, Failure::timeout,
                 "délai dépassé pour se connecter à " + t.host + ":" + t.port);
        else
            fail(out, Failure::unreachable, "connexion refusée par " + t.host + ":" + t.port);
        co_return nullptr;
    }
    out.peer = ep.address().to_string() + ":" + std::to_string(ep.port());
    co_return stream;
}

// https:// (e.g. a .torrent URL): one connection per request, certificate and host name
// checked against the system's CA store.
asio::awaitable<ClientResponse> exchange_tls(const Target& t, const ClientRequest& req) {
    ClientResponse out;
    auto plain = co_await connect(t, req, out);
    if (!plain) co_return out;
    static asio::ssl::context ctx = [] {
        asio::ssl::context c(asio::ssl::context::tls_client);
        c.set_default_verify_paths();
        c.set_verify_mode(asio::ssl::verify_peer);
        return c;
    }();
    beast::ssl_stream<beast::tcp_stream> stream(std::move(*plain), ctx);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), t.host.c_str())) {
        fail(out, Failure::tls, "TLS : nom d'hôte invalide");
        co_return out;
    }
    stream.set_verify_callback(asio::ssl::host_name_verification(t.host));
    beast::get_lowest_layer(stream).expires_at(step_deadline(req));
    auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client,
                                                 asio::as_tuple(asio::use_awaitable));
    if (hec) {
        if (is_timeout(hec))
            fail(out, Failure::timeout, "délai dépassé pour la connexion chiffrée avec " + t.host);
        else
            fail(out, Failure::tls,
                 "échec de la connexion chiffrée (TLS) avec " + t.host +
                     " : certificat refusé ou protocole incompatible");
        co_return out;
    }
    auto a = co_await exchange(stream, t, req);
    a.res.peer = std::move(out.peer);
    co_return std::move(a.res);
}

}  // namespace

HttpClient::HttpClient(asio::any_io_executor ex, std::size_t max_idle)
    : pool_(std::make_shared<Pool>()) {
    pool_->ex = std::move(ex);
    pool_->max_idle = max_idle;
}

HttpClient::~HttpClient() = default;

void HttpClient::drop_idle() {
    std::lock_guard lock(pool_->mu);
    pool_->idle.clear();
}

asio::awaitable<ClientResponse> HttpClient::request(ClientRequest req) {
    ClientResponse out;
    Target t;
    if (!parse_target(req.url, t, out)) co_return out;
    if (t.tls) co_return co_await exchange_tls(t, req);
    auto pool = pool_;
    auto key = t.host + ":" + t.port;
    // A pooled connection was checked by nobody (it may come from a request that allowed
    // private addresses): a request that must stay public always opens its own.
    bool pooled = req.allow_private;
    // A pooled connection may have been closed by the server meanwhile: if it fails before
    // any response byte, try once more on a fresh connection.
    if (auto stream = pooled ? pool->take(key) : nullptr) {
        auto a = co_await exchange(*stream, t, req);
        if (a.failed_at == Stage::done) {
            if (a.keep_alive) pool->give(key, std::move(stream));
            co_return std::move(a.res);
        }
        if (a.res.timed_out || a.res.too_large) co_return std::move(a.res);
    }
    auto stream = co_await connect(t, req, out);
    if (!stream) co_return out;
    auto a = co_await exchange(*stream, t, req);
    a.res.peer = std::move(out.peer);
    if (pooled && a.failed_at == Stage::done && a.keep_alive) pool->give(key, std::move(stream));
    co_return std::move(a.res);
}

asio::awaitable<ClientResponse> fetch(ClientRequest req) {
    HttpClient c(co_await asio::this_coro::executor, 0);
    co_return co_await c.request(std::move(req));
}

}  // namespace essaim::http
