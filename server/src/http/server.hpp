// The HTTP listener: one coroutine per connection (Boost.Beast), keep-alive, a deadline on
// every read and write, body-size limits answered with a JSON 413, security headers and a
// request id on every response, an access log line per request.
//
// Routing happens here, once, from the request header; running a handler is delegated
// (`invoke`) so that the API layer stays free of Asio. Handlers registered with Exec::worker run
// on a separate thread pool, so a 70 ms argon2 hash never stalls the I/O threads.
//
// Abuse limits (issue 16) — what a client cannot make the server hold:
// - Connections: at most `max_connections` open in all and `max_connections_per_address` per
//   client address. A connection over a cap is accepted and reset at once (no response), and
//   counted. The global cap is lowered below the descriptor limit (raised to its hard limit at
//   start) so that the cap, not EMFILE, is what a flood meets. Accept errors back off (10 ms
//   doubling to 1 s) instead of retrying at once. Refusals and accept errors are logged at most
//   once per 10 s, with the count since the previous line. Idle and read deadlines close
//   half-open connections as before.
// - Bodies are read after identity: a body that may be large (Content-Length above
//   `preflight_body_bytes`, chunked, or multipart) is read only once the route matched and the
//   preflight hook admitted the request from its header alone (the API checks origin and
//   session there). A refusal is answered with `Connection: close` without reading the body;
//   what the client still sends is discarded (never stored) for at most 2 s so that it reads the
//   answer instead of a reset. Requests that match no route never have a large body read.
// - Body slots: at most `max_large_bodies` bodies above `large_body_bytes` (or chunked ones that
//   may be) are read at once, and one per sender (the user the preflight named, else the address);
//   the others wait up to `body_slot_wait` without holding a thread, then get 503 server_busy with
//   Retry-After. After a large body, freed memory is handed back to the system (malloc_trim, at
//   most once a second).
#pragma once

#include "http/message.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace essaim::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    std::size_t max_body_bytes = 1024 * 1024;
    std::size_t max_upload_bytes = 32u << 20;  // multipart/form-data bodies
    std::chrono::seconds read_timeout{30};
    std::chrono::seconds idle_timeout{75};
    std::size_t max_connections = 4096;  // lowered at start below the descriptor limit
    std::size_t max_connections_per_address = 512;
    std::size_t preflight_body_bytes = 64 * 1024;  // larger (or chunked, multipart): preflight
    std::size_t large_body_bytes = 1024 * 1024;    // larger (or chunked): needs a body slot
    std::size_t max_large_bodies = 2;
    std::chrono::seconds body_slot_wait{10};
};

// The listener's counters, for /metrics. Gauges are what is true now; *_total only grow.
struct ServerCounters {
    std::atomic<std::int64_t> connections_open{0};  // HTTP and WebSocket
    std::atomic<std::uint64_t> refused_global_total{0};
    std::atomic<std::uint64_t> refused_per_address_total{0};
    std::atomic<std::uint64_t> accept_errors_total{0};
    std::atomic<std::int64_t> bodies_reading{0};      // large bodies holding a slot
    std::atomic<std::int64_t> bodies_waiting{0};      // large bodies waiting for a slot
    std::atomic<std::uint64_t> bodies_busy_total{0};  // 503 server_busy after the wait
};

// Runs a matched route's handler (sync or async) inside the API's error boundary.
using Invoke = std::function<boost::asio::awaitable<Response>(const Route&, Request&)>;
using WebSocket = boost::beast::websocket::stream<boost::beast::tcp_stream>;
// Asked on the I/O thread, from the header alone (req.body is empty, params are filled), before a
// body that may be large is read. Returns the answer that refuses the request (sent with
// Connection: close, the body never read), or nullopt to admit it; on admission it may set
// `sender` (e.g. "user:12") so that one sender reads one large body at a time (default: the
// client's address).
using Preflight =
    std::function<std::optional<Response>(const Route&, const Request&, std::string& sender)>;

// A WebSocket route (e.g. /api/ws). authorize() runs on the upgrade request: it returns an error
// response to refuse, or nullopt to accept (keeping what it needs in `state`); run() then owns
// the connection until it closes.
class WebSocketEndpoint {
  public:
    virtual ~WebSocketEndpoint() = default;
    virtual std::optional<Response> authorize(const Request& req, std::shared_ptr<void>& state) = 0;
    virtual boost::asio::awaitable<void> run(WebSocket ws, std::shared_ptr<void> state) = 0;
};
using Unmatched = std::function<Response(const Match&)>;

class Server {
  public:
    Server(boost::asio::io_context& ioc, boost::asio::thread_pool& workers, ServerOptions opts,
           const Router& router, Invoke invoke, Unmatched unmatched, StaticSite& site);
    ~Server();

    void add_websocket(std::string path, std::shared_ptr<WebSocketEndpoint> endpoint);
    // Every GET/HEAD whose path starts with `prefix` (e.g. "/dl/") goes to `h` on the I/O thread,
    // with the raw path: for handlers that decode and check paths themselves (signed downloads).
    void add_prefix_handler(std::string prefix, Handler h);
    // Set before start(). Without one, large bodies are admitted (still under body slots).
    void set_preflight(Preflight p);
    // Raises the descriptor limit, lowers max_connections below it, binds and starts accepting.
    // Throws std::runtime_error (French) if the address is taken.
    void start();
    // Stops accepting; connections close after their current response.
    void stop_accepting();
    int in_flight() const { return in_flight_.load(); }
    std::uint16_t bound_port() const { return bound_port_; }
    const ServerCounters& counters() const;

    struct Impl;
    struct Shared;

  private:
    std::unique_ptr<Impl> impl_;
    std::atomic<int> in_flight_{0};
    std::uint16_t bound_port_ = 0;
};

// Headers sent with every response (CSP for the SPA, nosniff, no framing, referrer policy…).
void add_security_headers(Response& r);

}  // namespace essaim::http
