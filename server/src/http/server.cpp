#include "http/server.hpp"

#include "util/crypto.hpp"
#include "util/strings.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <sys/sendfile.h>

#include <array>
#include <chrono>
#include <tuple>
#include <variant>

namespace essaim::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace boost::asio::experimental::awaitable_operators;

void add_security_headers(Response& r) {
    r.set_header("X-Content-Type-Options", "nosniff");
    r.set_header("X-Frame-Options", "DENY");
    r.set_header("Referrer-Policy", "same-origin");
    r.set_header("Cross-Origin-Opener-Policy", "same-origin");
    r.set_header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    r.set_header("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                 "img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; "
                 "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'");
}

namespace {

std::string json_error_body(std::string_view code, std::string_view message) {
    return boost::json::serialize(
        boost::json::object{{"error", boost::json::object{{"code", code}, {"message", message}}}});
}

Response simple_error(int status, std::string_view code, std::string_view message) {
    Response r;
    r.status = status;
    r.body = json_error_body(code, message);
    r.set_header("Content-Type", "application/json; charset=utf-8");
    return r;
}

bool valid_request_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    return true;
}

}  // namespace

struct Server::Impl {
    asio::io_context& ioc;
    asio::thread_pool& workers;
    ServerOptions opts;
    const Router& router;
    Invoke invoke;
    Unmatched unmatched;
    StaticSite& site;
    Server& owner;
    tcp::acceptor acceptor;
    std::atomic<bool> stopping{false};
    std::vector<std::pair<std::string, std::shared_ptr<WebSocketEndpoint>>> websockets;
    std::vector<std::pair<std::string, Handler>> prefix_handlers;

    Impl(asio::io_context& i, asio::thread_pool& w, ServerOptions o, const Router& r, Invoke inv,
         Unmatched un, StaticSite& s, Server& ow)
        : ioc(i),
          workers(w),
          opts(std::move(o)),
          router(r),
          invoke(std::move(inv)),
          unmatched(std::move(un)),
          site(s),
          owner(ow),
          acceptor(asio::make_strand(i)) {}

    asio::awaitable<Response> dispatch(Request& req) {
        bool api = req.path == "/api" || req.path.rfind("/api/", 0) == 0 || req.path == "/metrics";
        if (!api) {
            for (auto& [prefix, h] : prefix_handlers)
                if (req.path.rfind(prefix, 0) == 0) co_return h(req);
            if (req.method != "GET" && req.method != "HEAD") {
                auto r = simple_error(405, "method_not_allowed",
                                      "Méthode non autorisée pour cette adresse.");
                r.set_header("Allow", "GET, HEAD");
                co_return r;
            }
            co_return site.serve(req);
        }
        auto m = router.match(req.method, req.path);
        if (m.kind != Match::Kind::found) co_return unmatched(m);
        req.params = std::move(m.params);
        const Route& route = *m.route;
        if (route.exec == Exec::inline_io) co_return invoke(route, req);
        // Run on the worker pool; resume here when done.
        co_return co_await asio::co_spawn(
            workers, [&]() -> asio::awaitable<Response> { co_return invoke(route, req); },
            asio::use_awaitable);
    }

    asio::awaitable<void> session(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        std::string remote_ip;
        {
            beast::error_code ec;
            auto ep = stream.socket().remote_endpoint(ec);
            if (!ec) remote_ip = ep.address().to_string();
        }
        for (;;) {
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(16 * 1024);
            // No limit while reading the header: the real limit depends on the content type and
            // is applied in handle_one, which answers 413 (not a parse error) when it is exceeded.
            parser.body_limit(boost::none);
            stream.expires_after(buffer.size() ? opts.read_timeout : opts.idle_timeout);
            auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser,
                                                               asio::as_tuple(asio::use_awaitable));
            (void)hn;
            if (hec) {
                if (hec == bhttp::error::header_limit)
                    co_await write_error(stream, 431, "headers_too_large",
                                         "En-têtes de requête trop volumineux.");
                else if (hec != bhttp::error::end_of_stream && hec != asio::error::eof &&
                         hec != beast::error::timeout && hec != asio::error::operation_aborted &&
                         hec != asio::error::connection_reset)
                    co_await write_error(stream, 400, "bad_request", "Requête HTTP mal formée.");
                break;
            }
            owner.in_flight_.fetch_add(1);
            auto started = std::chrono::steady_clock::now();
            bool keep_going = co_await handle_one(stream, buffer, parser, remote_ip, started);
            owner.in_flight_.fetch_sub(1);
            if (!keep_going || stopping.load()) break;
        }
        beast::error_code ec;
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    }

    asio::awaitable<void> write_error(beast::tcp_stream& stream, int status, std::string_view code,
                                      std::string_view msg) {
        Response r = simple_error(status, code, msg);
        add_security_headers(r);
        bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), 11};
        for (auto& [k, v] : r.headers) res.set(k, v);
        res.body() = r.body;
        res.keep_alive(false);
        res.prepare_payload();
        stream.expires_after(opts.read_timeout);
        co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    }

    template <class Res>
    static void prepare(Res& res, const Response& r, bool keep) {
        for (auto& [k, v] : r.headers) res.insert(k, v);
        res.keep_alive(keep);
    }

    // A file region after its header, by sendfile(2) on the non-blocking socket; each wait for
    // room in the socket is under the usual deadline. A file that shrinks mid-way ends the
    // connection (short body), as in write_streamed.
    asio::awaitable<beast::error_code> send_file(beast::tcp_stream& stream, int fd,
                                                 std::uint64_t offset, std::uint64_t left) {
        auto& sock = stream.socket();
        beast::error_code ec;
        sock.non_blocking(true, ec);
        if (ec) co_return ec;
        auto off = static_cast<off_t>(offset);
        while (left > 0) {
            auto chunk = static_cast<std::size_t>(std::min<std::uint64_t>(left, 8u << 20));
            ssize_t n = ::sendfile(sock.native_handle(), fd, &off, chunk);
            if (n > 0) {
                left -= static_cast<std::uint64_t>(n);
                continue;
            }
            if (n == 0) {
                spdlog::warn("téléchargement interrompu : le fichier a raccourci");
                co_return beast::error_code(asio::error::connection_aborted);
            }
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                co_return beast::error_code(errno, boost::system::system_category());
            asio::steady_timer deadline(sock.get_executor(), opts.read_timeout);
            auto which = co_await (
                sock.async_wait(tcp::socket::wait_write, asio::as_tuple(asio::use_awaitable)) ||
                deadline.async_wait(asio::as_tuple(asio::use_awaitable)));
            if (which.index() == 1) co_return beast::error_code(beast::error::timeout);
            if (auto [wec] = std::get<0>(which); wec) co_return wec;
        }
        co_return beast::error_code{};
    }

    // Files and archives: the header, then the body in chunks read from the BodySource, each
    // write under the usual deadline. A source that fails mid-way ends the connection, so the
    // client sees a short body (and retries with Range) rather than a wrong complete one.
    asio::awaitable<beast::error_code> write_streamed(beast::tcp_stream& stream, Response& r,
                                                      unsigned version, bool keep, bool with_body) {
        bhttp::response<bhttp::buffer_body> res{static_cast<bhttp::status>(r.status), version};
        prepare(res, r, keep);
        res.content_length(r.stream_body->size());
        res.body().data = nullptr;
        res.body().more = with_body && r.stream_body->size() > 0;
        bhttp::response_serializer<bhttp::buffer_body> sr{res};
        stream.expires_after(opts.read_timeout);
        auto [hec, hn] =
            co_await bhttp::async_write_header(stream, sr, asio::as_tuple(asio::use_awaitable));
        (void)hn;
        if (hec || !res.body().more) co_return hec;
        if (auto region = r.stream_body->file_region())
            co_return co_await send_file(stream, region->fd, region->offset, r.stream_body->size());
        std::vector<char> buf(256 * 1024);
        std::uint64_t left = r.stream_body->size();
        while (left > 0) {
            std::size_t n = 0;
            try {
                n = r.stream_body->read(buf.data(), buf.size());
            } catch (const std::exception& e) {
                spdlog::warn("téléchargement interrompu : {}", e.what());
                co_return beast::error_code(asio::error::connection_aborted);
            }
            if (n == 0) co_return beast::error_code(asio::error::connection_aborted);
            left -= std::min<std::uint64_t>(n, left);
            res.body().data = buf.data();
            res.body().size = n;
            res.body().more = left > 0;
            stream.expires_after(opts.read_timeout);
            auto [ec, wn] =
                co_await bhttp::async_write(stream, sr, asio::as_tuple(asio::use_awaitable));
            (void)wn;
            if (ec == bhttp::error::need_buffer) ec = {};
            if (ec) co_return ec;
        }
        if (!sr.is_done()) {
            res.body().data = nullptr;
            res.body().size = 0;
            res.body().more = false;
            auto [ec, wn] =
                co_await bhttp::async_write(stream, sr, asio::as_tuple(asio::use_awaitable));
            (void)wn;
            if (ec) co_return ec;
        }
        co_return beast::error_code{};
    }

    // Returns false when the connection must close.
    asio::awaitable<bool> handle_one(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                     bhttp::request_parser<bhttp::string_body>& parser,
                                     const std::string& remote_ip,
                                     std::chrono::steady_clock::time_point started) {
        auto& hdr = parser.get();
        std::string ctype = str::to_lower(std::string(hdr[bhttp::field::content_type]));
        std::size_t limit = ctype.rfind("multipart/form-data", 0) == 0 ? opts.max_upload_bytes
                                                                       : opts.max_body_bytes;
        std::string rid(hdr["x-request-id"]);
        if (!valid_request_id(rid)) rid = crypto::hex_encode(crypto::random_bytes(8));
        std::string method(hdr.method_string());
        std::string target(hdr.target());

        auto too_large = [&]() -> asio::awaitable<bool> {
            co_await write_error(
                stream, 413, "payload_too_large",
                "Requête trop volumineuse (limite : " + std::to_string(limit / 1024) + " Kio).");
            spdlog::info("{} {} {} 413 rid={}", remote_ip, method, target, rid);
            co_return false;
        };
        if (parser.content_length() && *parser.content_length() > limit)
            co_return co_await too_large();
        parser.body_limit(limit);
        if (str::iequals(hdr[bhttp::field::expect], "100-continue")) {
            bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
            co_await bhttp::async_write(stream, cont, asio::as_tuple(asio::use_awaitable));
        }
        stream.expires_after(opts.read_timeout);
        auto [bec, bn] =
            co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        (void)bn;
        if (bec == bhttp::error::body_limit) co_return co_await too_large();
        if (bec) co_return false;

        auto breq = parser.release();
        Request req;
        req.method = method;
        auto q = target.find('?');
        req.path = target.substr(0, q);
        if (q != std::string::npos) req.query = target.substr(q + 1);
        for (const auto& f : breq)
            req.headers.emplace_back(str::to_lower(f.name_string()), std::string(f.value()));
        req.body = std::move(breq.body());
        req.remote_ip = remote_ip;
        req.request_id = rid;

        if (beast::websocket::is_upgrade(breq)) {
            for (auto& [path, endpoint] : websockets) {
                if (path != req.path) continue;
                std::shared_ptr<void> state;
                auto refusal = endpoint->authorize(req, state);
                if (!refusal) {
                    spdlog::info("{} WS {} 101 rid={}", remote_ip, req.path, rid);
                    WebSocket ws(std::move(stream));
                    // The HTTP read deadline must not follow the socket into the WebSocket:
                    // from here on the WebSocket's own timeouts (idle pings) apply.
                    beast::get_lowest_layer(ws).expires_never();
                    ws.set_option(beast::websocket::stream_base::timeout::suggested(
                        beast::role_type::server));
                    ws.set_option(beast::websocket::stream_base::decorator(
                        [](beast::websocket::response_type& res) {
                            res.set(bhttp::field::server, "essaim");
                        }));
                    auto [aec] =
                        co_await ws.async_accept(breq, asio::as_tuple(asio::use_awaitable));
                    if (aec) co_return false;
                    owner.in_flight_.fetch_sub(1);  // a live socket is not an in-flight request
                    co_await endpoint->run(std::move(ws), std::move(state));
                    owner.in_flight_.fetch_add(1);
                    co_return false;  // the stream was moved into the WebSocket: the session ends
                }
                Response rr = std::move(*refusal);
                add_security_headers(rr);
                bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(rr.status), 11};
                for (auto& [k, v] : rr.headers) res.insert(k, v);
                res.body() = std::move(rr.body);
                res.keep_alive(false);
                res.prepare_payload();
                co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
                spdlog::info("{} WS {} {} rid={}", remote_ip, req.path, rr.status, rid);
                co_return false;
            }
        }
        Response r;
        if (req.path.empty() || req.path.front() != '/')
            r = simple_error(400, "bad_request", "Adresse de requête mal formée.");
        else
            r = co_await dispatch(req);
        add_security_headers(r);
        r.set_header("X-Request-Id", rid);
        if ((req.path == "/api" || req.path.rfind("/api/", 0) == 0 || req.path == "/metrics") &&
            r.header("Cache-Control").empty())
            r.set_header("Cache-Control", "no-store");

        bool keep = breq.keep_alive() && !stopping.load();
        bool with_body = method != "HEAD" && r.status != 204 && r.status != 304;
        auto size = r.stream_body   ? r.stream_body->size()
                    : r.shared_body ? r.shared_body->size()
                                    : r.body.size();
        beast::error_code wec;
        if (r.stream_body) {
            wec = co_await write_streamed(stream, r, breq.version(), keep, with_body);
        } else if (r.shared_body) {
            // Bodies cached by the API (torrent lists) are written without being copied.
            bhttp::response<bhttp::span_body<const char>> res{static_cast<bhttp::status>(r.status),
                                                              breq.version()};
            prepare(res, r, keep);
            if (with_body) {
                res.body() = {r.shared_body->data(), r.shared_body->size()};
                res.prepare_payload();
            } else {
                res.content_length(size);
            }
            stream.expires_after(opts.read_timeout);
            std::tie(wec, std::ignore) =
                co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        } else {
            bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status),
                                                    breq.version()};
            prepare(res, r, keep);
            if (with_body) {
                res.body() = std::move(r.body);
                res.prepare_payload();
            } else if (method == "HEAD") {
                res.content_length(size);
            }
            stream.expires_after(opts.read_timeout);
            std::tie(wec, std::ignore) =
                co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        }
        auto ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
        spdlog::info("{} {} {} {} {}B {:.1f}ms rid={}", remote_ip, method, req.path, r.status, size,
                     ms, rid);
        co_return !wec && keep;
    }

    asio::awaitable<void> listen() {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc),
                                                               asio::as_tuple(asio::use_awaitable));
            if (ec) {
                if (ec == asio::error::operation_aborted || stopping.load()) co_return;
                spdlog::warn("accept: {}", ec.message());
                continue;
            }
            asio::co_spawn(socket.get_executor(), session(std::move(socket)),
                           [](std::exception_ptr e) {
                               if (!e) return;
                               try {
                                   std::rethrow_exception(e);
                               } catch (const std::exception& ex) {
                                   spdlog::error("connection ended by an exception: {}", ex.what());
                               }
                           });
        }
    }
};

Server::Server(asio::io_context& ioc, asio::thread_pool& workers, ServerOptions opts,
               const Router& router, Invoke invoke, Unmatched unmatched, StaticSite& site)
    : impl_(std::make_unique<Impl>(ioc, workers, std::move(opts), router, std::move(invoke),
                                   std::move(unmatched), site, *this)) {}

Server::~Server() = default;

void Server::add_websocket(std::string path, std::shared_ptr<WebSocketEndpoint> endpoint) {
    impl_->websockets.emplace_back(std::move(path), std::move(endpoint));
}

void Server::add_prefix_handler(std::string prefix, Handler h) {
    impl_->prefix_handlers.emplace_back(std::move(prefix), std::move(h));
}

void Server::start() {
    auto& a = impl_->acceptor;
    beast::error_code ec;
    auto addr = asio::ip::make_address(impl_->opts.host, ec);
    if (ec) throw std::runtime_error("adresse d'écoute invalide : " + impl_->opts.host);
    tcp::endpoint ep(addr, impl_->opts.port);
    a.open(ep.protocol(), ec);
    if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) a.bind(ep, ec);
    if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        throw std::runtime_error("impossible d'écouter sur " + impl_->opts.host + ":" +
                                 std::to_string(impl_->opts.port) + " : " + ec.message());
    bound_port_ = a.local_endpoint().port();
    asio::co_spawn(a.get_executor(), impl_->listen(), asio::detached);
}

void Server::stop_accepting() {
    impl_->stopping.store(true);
    asio::post(impl_->acceptor.get_executor(), [this] {
        beast::error_code ec;
        impl_->acceptor.close(ec);
    });
}

}  // namespace essaim::http
