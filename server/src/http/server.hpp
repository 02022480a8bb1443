// The HTTP listener: one coroutine per connection (Boost.Beast), keep-alive, a deadline on
// every read and write, body-size limits answered with a JSON 413, security headers and a
// request id on every response, an access log line per request.
//
// Routing happens here; running a handler is delegated (`invoke`) so that the API layer stays
// free of Asio. Handlers registered with Exec::worker run on a separate thread pool, so a
// 70 ms argon2 hash or a slow upstream never stalls the I/O threads.
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
};

using Invoke = std::function<Response(const Route&, Request&)>;
using WebSocket = boost::beast::websocket::stream<boost::beast::tcp_stream>;

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
    // Binds and starts accepting. Throws std::runtime_error (French) if the address is taken.
    void start();
    // Stops accepting; connections close after their current response.
    void stop_accepting();
    int in_flight() const { return in_flight_.load(); }
    std::uint16_t bound_port() const { return bound_port_; }

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
    std::atomic<int> in_flight_{0};
    std::uint16_t bound_port_ = 0;
};

// Headers sent with every response (CSP for the SPA, nosniff, no framing, referrer policy…).
void add_security_headers(Response& r);

}  // namespace essaim::http
