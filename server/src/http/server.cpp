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

#include <malloc.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <mutex>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

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

bool is_api_path(std::string_view path) {
    return path == "/api" || path.starts_with("/api/") || path == "/metrics";
}

bool valid_request_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    return true;
}

// Events of one kind (refused connections, failed accepts), logged at most once per 10 s so that
// a flood cannot fill the disk: the first after a quiet spell at once, the next ones together when
// the 10 s are up, with their count. Shared by the acceptors under Impl::log_mu.
struct LogEvery10s {
    std::function<void(std::uint64_t count)> write;
    std::string latest;  // what the line says about the latest event
    std::chrono::steady_clock::time_point next{};
    std::uint64_t unlogged = 0;
    bool flush_due = false;
};

}  // namespace

// What sessions share. Held by shared_ptr from every session's guards, because a session's
// coroutine frame may be destroyed with the io_context, after the Server itself.
struct Server::Shared {
    ServerCounters counters;
    std::atomic<bool> closed{false};  // the Server is gone: wake nobody
    std::mutex mu;                    // guards the members below
    std::size_t open = 0;
    std::unordered_map<asio::ip::address, std::size_t> per_address;
    std::size_t bodies = 0;
    std::unordered_set<std::string> senders;  // who reads a large body now
    // Sessions waiting for a body slot: a freed slot cancels their timer (on their strand).
    std::vector<std::weak_ptr<asio::steady_timer>> waiters;
    // malloc_trim at most once a second (see trim_soon).
    std::atomic<bool> trim_pending{false};
    std::atomic<std::chrono::steady_clock::time_point> last_trim{};

    enum class Admit { ok, global, per_address };
    Admit admit(const asio::ip::address& a, std::size_t max_all, std::size_t max_per) {
        std::lock_guard lock(mu);
        if (open >= max_all) return Admit::global;
        auto it = per_address.find(a);
        if (it != per_address.end() && it->second >= max_per) return Admit::per_address;
        ++per_address[a];
        counters.connections_open.store(static_cast<std::int64_t>(++open));
        return Admit::ok;
    }
    void release_connection(const asio::ip::address& a) {
        std::lock_guard lock(mu);
        counters.connections_open.store(static_cast<std::int64_t>(--open));
        if (auto it = per_address.find(a); it != per_address.end() && --it->second == 0)
            per_address.erase(it);
    }
    bool try_take_body(const std::string& sender, std::size_t max) {
        std::lock_guard lock(mu);
        if (bodies >= max || senders.contains(sender)) return false;
        senders.insert(sender);
        counters.bodies_reading.store(static_cast<std::int64_t>(++bodies));
        return true;
    }
    void give_back_body(const std::string& sender) {
        std::vector<std::weak_ptr<asio::steady_timer>> wake;
        {
            std::lock_guard lock(mu);
            senders.erase(sender);
            counters.bodies_reading.store(static_cast<std::int64_t>(--bodies));
            wake = waiters;
        }
        if (closed.load()) return;
        for (auto& w : wake)
            if (auto t = w.lock()) asio::post(t->get_executor(), [t] { t->cancel(); });
    }
    void add_waiter(const std::shared_ptr<asio::steady_timer>& t) {
        std::lock_guard lock(mu);
        waiters.push_back(t);
    }
    void remove_waiter(const std::shared_ptr<asio::steady_timer>& t) {
        std::lock_guard lock(mu);
        std::erase_if(waiters, [&](const auto& w) { return w.expired() || w.lock() == t; });
    }
};

namespace {

// One admitted connection, counted from accept until its session's frame is destroyed, however
// the session ends (return, exception, WebSocket, io_context torn down at exit): exactly once.
class ConnTicket {
  public:
    ConnTicket(std::shared_ptr<Server::Shared> s, asio::ip::address a)
        : s_(std::move(s)), a_(std::move(a)) {}
    ConnTicket(ConnTicket&&) noexcept = default;  // the moved-from ticket holds nothing
    ConnTicket& operator=(ConnTicket&&) = delete;
    ~ConnTicket() {
        if (s_) s_->release_connection(a_);
    }

  private:
    std::shared_ptr<Server::Shared> s_;
    asio::ip::address a_;
};

// One of the large-body slots, given back when destroyed.
class BodySlot {
  public:
    BodySlot(std::shared_ptr<Server::Shared> s, std::string sender)
        : s_(std::move(s)), sender_(std::move(sender)) {}
    BodySlot(BodySlot&&) noexcept = default;
    BodySlot& operator=(BodySlot&&) = delete;
    ~BodySlot() {
        if (s_) s_->give_back_body(sender_);
    }

  private:
    std::shared_ptr<Server::Shared> s_;
    std::string sender_;
};

// Descriptors: the soft limit (often 1024) is raised to the hard one, and the connection cap is
// kept below it, so that a flood meets the cap (accept, close) rather than EMFILE (which leaves
// connections queued, health checks included). 64 descriptors stay for the rest of the process
// (database, upstream calls, files being served); half of a tiny limit.
void raise_fd_limit_and_clamp(ServerOptions& o) {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return;
    if (rl.rlim_cur < rl.rlim_max) {
        rlimit want = rl;
        want.rlim_cur = rl.rlim_max == RLIM_INFINITY ? rlim_t{1} << 20 : rl.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &want) == 0) rl = want;
    }
    if (rl.rlim_cur != RLIM_INFINITY) {
        auto soft = static_cast<std::size_t>(rl.rlim_cur);
        std::size_t room = soft > 128 ? soft - 64 : soft / 2;
        o.max_connections =
            std::clamp<std::size_t>(o.max_connections, 1, std::max<std::size_t>(room, 1));
    }
    o.max_connections_per_address =
        std::clamp<std::size_t>(o.max_connections_per_address, 1, o.max_connections);
    spdlog::info(
        "connexions : au plus {} ouvertes, {} par adresse (descripteurs : {})", o.max_connections,
        o.max_connections_per_address,
        rl.rlim_cur == RLIM_INFINITY ? std::string("illimités") : std::to_string(rl.rlim_cur));
}

}  // namespace

constexpr int kAcceptors = 3;  // besides the main one

struct Server::Impl {
    asio::io_context& ioc;
    asio::thread_pool& workers;
    ServerOptions opts;
    const Router& router;
    Invoke invoke;
    Unmatched unmatched;
    StaticSite& site;
    Server& owner;
    std::shared_ptr<Shared> shared = std::make_shared<Shared>();
    Preflight preflight;
    tcp::acceptor acceptor;
    // Duplicates of the listening descriptor (dup(2)): one accept queue in the kernel, one
    // acceptor object per coroutine, each on its own strand, so that several I/O threads
    // accept at once (an Asio object must not be used by two threads at a time).
    std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
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

    ~Impl() { shared->closed.store(true); }

    LogEvery10s refusals_log{[this](std::uint64_t n) {
        spdlog::warn(
            "connexions refusées : {} depuis le message précédent (plafonds : {} en tout, "
            "{} par adresse ; dernière : {})",
            n, opts.max_connections, opts.max_connections_per_address, refusals_log.latest);
    }};
    LogEvery10s accept_errors_log{[this](std::uint64_t n) {
        spdlog::warn(
            "accept en échec : {} fois depuis le message précédent (dernière : {}) ; "
            "nouvel essai après 10 ms à 1 s",
            n, accept_errors_log.latest);
    }};

    // Counts one event: written now if the log was quiet for 10 s, else by flush_later.
    // The acceptors run on every I/O thread at once: the log state is shared between them.
    // flush_later runs on the main acceptor's strand.
    std::mutex log_mu;
    void note(LogEvery10s& log, std::string latest) {
        std::lock_guard lock(log_mu);
        ++log.unlogged;
        log.latest = std::move(latest);
        if (std::chrono::steady_clock::now() >= log.next)
            flush(log);
        else if (!std::exchange(log.flush_due, true))
            asio::co_spawn(this->acceptor.get_executor(), flush_later(log), asio::detached);
    }
    void flush(LogEvery10s& log) {
        if (log.unlogged == 0) return;
        log.write(std::exchange(log.unlogged, 0));
        log.next = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    }
    asio::awaitable<void> flush_later(LogEvery10s& log) {
        asio::steady_timer until(this->acceptor.get_executor(), log.next);
        co_await until.async_wait(asio::as_tuple(asio::use_awaitable));
        std::lock_guard lock(log_mu);
        log.flush_due = false;
        flush(log);
    }

    // `route` and `m` come from the match made on the header (handle_one).
    asio::awaitable<Response> dispatch(Request& req, const Route* route, const Match& m) {
        if (route) {
            if (route->exec != Exec::worker) co_return co_await invoke(*route, req);
            // Run on the worker pool; resume here when done.
            co_return co_await asio::co_spawn(workers, invoke(*route, req), asio::use_awaitable);
        }
        if (is_api_path(req.path)) co_return unmatched(m);
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

    // Waits for a large-body slot without holding a thread; nullopt after body_slot_wait.
    asio::awaitable<std::optional<BodySlot>> take_body_slot(const std::string& sender) {
        std::optional<BodySlot> slot;
        if (shared->try_take_body(sender, opts.max_large_bodies)) {
            slot.emplace(shared, sender);
            co_return slot;
        }
        auto timer = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor);
        auto deadline = std::chrono::steady_clock::now() + opts.body_slot_wait;
        shared->add_waiter(timer);
        shared->counters.bodies_waiting.fetch_add(1);
        for (;;) {
            if (shared->try_take_body(sender, opts.max_large_bodies)) {
                slot.emplace(shared, sender);
                break;
            }
            if (std::chrono::steady_clock::now() >= deadline) break;
            // A freed slot cancels this wait. The cancel is posted to this session's strand, so
            // it cannot run between the failed try above and the wait below.
            timer->expires_at(deadline);
            co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
        }
        shared->counters.bodies_waiting.fetch_sub(1);
        shared->remove_waiter(timer);
        co_return slot;
    }

    // A large body was just freed: what it left in glibc's arenas (its parts, copies smaller than
    // the mmap threshold set in start()) goes back to the system, so that RSS falls after a
    // burst. At most once a second, on the worker pool (malloc_trim walks every arena).
    void trim_soon() {
        if (shared->trim_pending.exchange(true)) return;
        auto timer = std::make_shared<asio::steady_timer>(workers.get_executor());
        timer->expires_at(std::max(std::chrono::steady_clock::now(),
                                   shared->last_trim.load() + std::chrono::seconds(1)));
        timer->async_wait([s = shared, timer](const beast::error_code&) {
            s->trim_pending.store(false);
            s->last_trim.store(std::chrono::steady_clock::now());
            ::malloc_trim(0);
        });
    }

    asio::awaitable<void> session(tcp::socket socket, [[maybe_unused]] ConnTicket ticket) {
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
            std::optional<BodySlot> slot;
            bool keep_going = co_await handle_one(stream, buffer, parser, remote_ip, started, slot);
            owner.in_flight_.fetch_sub(1);
            if (slot) {  // the request and its body are gone by now
                slot.reset();
                trim_soon();
            }
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

    // After an answer sent without reading the request's body: the client may still be sending
    // it, and closing with unread data resets the connection, which can destroy the answer
    // before the client reads it. Discard (never store) what arrives for at most 2 s, then close.
    asio::awaitable<void> discard_rest(beast::tcp_stream& stream) {
        beast::error_code ec;
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        std::vector<char> sink(64 * 1024);
        stream.expires_after(std::chrono::seconds(2));
        for (;;) {
            auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink),
                                                            asio::as_tuple(asio::use_awaitable));
            (void)n;
            if (rec) break;
        }
    }

    // Refuses a request before its body is read: the answer with Connection: close, the access
    // log line, then the rest of the body discarded. Always ends the connection (false).
    asio::awaitable<bool> refuse(beast::tcp_stream& stream, Response r, const Request& req,
                                 std::chrono::steady_clock::time_point started) {
        add_security_headers(r);
        r.set_header("X-Request-Id", req.request_id);
        if (r.header("Cache-Control").empty()) r.set_header("Cache-Control", "no-store");
        bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), 11};
        prepare(res, r, false);
        res.body() = std::move(r.body);
        res.prepare_payload();
        stream.expires_after(opts.read_timeout);
        auto [wec, wn] =
            co_await bhttp::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        (void)wn;
        auto ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
        spdlog::info("{} {} {} {} (corps non lu) {:.1f}ms rid={}", req.remote_ip, req.method,
                     req.path, r.status, ms, req.request_id);
        if (!wec) co_await discard_rest(stream);
        co_return false;
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

    // Returns false when the connection must close. `slot` receives the large-body slot this
    // request took, if any: the session gives it back once the request's memory is freed.
    asio::awaitable<bool> handle_one(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                     bhttp::request_parser<bhttp::string_body>& parser,
                                     const std::string& remote_ip,
                                     std::chrono::steady_clock::time_point started,
                                     std::optional<BodySlot>& slot) {
        auto& hdr = parser.get();
        std::string ctype = str::to_lower(std::string(hdr[bhttp::field::content_type]));
        bool multipart = ctype.rfind("multipart/form-data", 0) == 0;
        std::size_t limit = multipart ? opts.max_upload_bytes : opts.max_body_bytes;
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
        auto length = parser.content_length();
        if (length && *length > limit) co_return co_await too_large();

        // The request as the API sees it; the body comes later, if it is read at all.
        Request req;
        req.method = method;
        auto q = target.find('?');
        req.path = target.substr(0, q);
        if (q != std::string::npos) req.query = target.substr(q + 1);
        for (const auto& f : hdr)
            req.headers.emplace_back(str::to_lower(f.name_string()), std::string(f.value()));
        req.remote_ip = remote_ip;
        req.request_id = rid;

        // Routed once, from the header: the match decides whether a large body may be read, and
        // dispatch reuses it.
        bool well_formed = !req.path.empty() && req.path.front() == '/';
        Match match;
        if (well_formed && is_api_path(req.path)) match = router.match(req.method, req.path);
        const Route* route = nullptr;
        if (match.kind == Match::Kind::found) {
            route = match.route;
            req.params = std::move(match.params);
        }

        // A body that may be large is read only for a route, once the preflight admitted the
        // request, and (above large_body_bytes, or of unknown size) with a body slot. Nothing
        // outside the routes reads a body: for them it is skipped and the connection closed.
        bool chunked = parser.chunked();
        bool maybe_large = chunked || multipart || (length && *length > opts.preflight_body_bytes);
        bool skip_body = maybe_large && !route;
        if (maybe_large && route) {
            std::string sender = "ip:" + remote_ip;
            if (preflight)
                if (auto refusal = preflight(*route, req, sender))
                    co_return co_await refuse(stream, std::move(*refusal), req, started);
            // Of unknown size (chunked), a body needs a slot only if its limit allows a large one.
            if (length ? *length > opts.large_body_bytes
                       : chunked && limit > opts.large_body_bytes) {
                auto taken = co_await take_body_slot(sender);
                if (taken) slot.emplace(std::move(*taken));
                if (!slot) {
                    shared->counters.bodies_busy_total.fetch_add(1);
                    auto busy = simple_error(503, "server_busy",
                                             "Le serveur reçoit déjà d'autres envois volumineux. "
                                             "Réessayez dans quelques secondes.");
                    busy.set_header("Retry-After", "5");
                    co_return co_await refuse(stream, std::move(busy), req, started);
                }
            }
        }
        if (!skip_body) {
            parser.body_limit(limit);
            if (str::iequals(hdr[bhttp::field::expect], "100-continue")) {
                bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
                stream.expires_after(opts.read_timeout);
                co_await bhttp::async_write(stream, cont, asio::as_tuple(asio::use_awaitable));
            }
            stream.expires_after(opts.read_timeout);
            auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser,
                                                        asio::as_tuple(asio::use_awaitable));
            (void)bn;
            if (bec == bhttp::error::body_limit) co_return co_await too_large();
            if (bec) co_return false;
        }
        auto breq = parser.release();
        req.body = std::move(breq.body());

        if (!skip_body && beast::websocket::is_upgrade(breq)) {
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
        if (!well_formed)
            r = simple_error(400, "bad_request", "Adresse de requête mal formée.");
        else
            r = co_await dispatch(req, route, match);
        add_security_headers(r);
        r.set_header("X-Request-Id", rid);
        if (is_api_path(req.path) && r.header("Cache-Control").empty())
            r.set_header("Cache-Control", "no-store");

        bool keep = breq.keep_alive() && !stopping.load() && !skip_body;
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
        if (skip_body && !wec) co_await discard_rest(stream);
        co_return !wec && keep;
    }

    asio::awaitable<void> listen(tcp::acceptor& acceptor) {
        using std::chrono::milliseconds;
        auto backoff = milliseconds(0);
        for (;;) {
            // The peer's address comes with accept(2) itself: no getpeername per connection.
            tcp::endpoint remote;
            auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), remote,
                                                               asio::as_tuple(asio::use_awaitable));
            if (ec) {
                if (ec == asio::error::operation_aborted || stopping.load()) co_return;
                // EMFILE/ENFILE leave the connection queued: retrying at once would spin a core
                // and write a log line per try. Wait, longer each time, for descriptors to free.
                backoff = std::clamp(backoff * 2, milliseconds(10), milliseconds(1000));
                shared->counters.accept_errors_total.fetch_add(1);
                note(accept_errors_log, ec.message());
                asio::steady_timer pause(acceptor.get_executor(), backoff);
                co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
                continue;
            }
            backoff = milliseconds(0);
            beast::error_code rec;
            auto verdict = shared->admit(remote.address(), opts.max_connections,
                                         opts.max_connections_per_address);
            if (verdict != Shared::Admit::ok) {
                bool global = verdict == Shared::Admit::global;
                (global ? shared->counters.refused_global_total
                        : shared->counters.refused_per_address_total)
                    .fetch_add(1);
                note(refusals_log, remote.address().to_string() +
                                       (global ? ", plafond global" : ", plafond par adresse"));
                // Reset rather than FIN: nothing is left behind in FIN_WAIT for a flood.
                socket.set_option(asio::socket_base::linger(true, 0), rec);
                socket.close(rec);
                continue;
            }
            asio::co_spawn(socket.get_executor(),
                           session(std::move(socket), ConnTicket(shared, remote.address())),
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

void Server::set_preflight(Preflight p) {
    impl_->preflight = std::move(p);
}

const ServerCounters& Server::counters() const {
    return impl_->shared->counters;
}

void Server::start() {
    raise_fd_limit_and_clamp(impl_->opts);
    // Large bodies in their own mappings, unmapped when freed. By default glibc raises its mmap
    // threshold to the size of the first large block freed, after which bodies land in the
    // arenas; and malloc_trim cannot shrink a thread arena's top, so a burst of 31 MiB uploads
    // kept ~62 MiB per arena resident (observed: 80 MiB after the burst against 18 at rest).
    // Setting the threshold also turns the dynamic adjustment off.
    ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(impl_->opts.large_body_bytes));
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
    // Accepting on several threads at once drains the listen queue of a flood fast enough that
    // a legitimate SYN is not dropped (and retried by its client a second later) while the
    // queue is full: measured with 20,000 connections in 0.4 s, 0 overflows against ~4,000
    // with one acceptor (test_abuse_connections.py, nstat TcpExtListenOverflows).
    for (int i = 0; i < kAcceptors; ++i) {
        int fd = ::dup(a.native_handle());
        if (fd < 0) break;
        auto extra = std::make_unique<tcp::acceptor>(asio::make_strand(impl_->ioc));
        extra->assign(ep.protocol(), fd, ec);
        if (ec) {
            ::close(fd);
            break;
        }
        impl_->acceptors.push_back(std::move(extra));
    }
    asio::co_spawn(a.get_executor(), impl_->listen(a), asio::detached);
    for (auto& extra : impl_->acceptors)
        asio::co_spawn(extra->get_executor(), impl_->listen(*extra), asio::detached);
}

void Server::stop_accepting() {
    impl_->stopping.store(true);
    asio::post(impl_->acceptor.get_executor(), [this] {
        beast::error_code ec;
        impl_->acceptor.close(ec);
    });
    for (auto& extra : impl_->acceptors)
        asio::post(extra->get_executor(), [a = extra.get()] {
            beast::error_code ec;
            a->close(ec);
        });
}

}  // namespace essaim::http
