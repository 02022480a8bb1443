// Asynchronous HTTP/1.1 client (http:// with keep-alive connection reuse, https:// one
// connection per request) with a deadline on every step. Used for qBittorrent, Jackett,
// .torrent URLs and webhooks; redirects are never followed here (callers decide, e.g. a Jackett
// link that redirects to a magnet: URI).
//
// Addresses a user chose (add by URL, webhooks) are requested with `allow_private = false`:
// the host name is resolved ONCE, the whole request is refused when ANY of its addresses is not
// public (net/address.hpp), and the connection goes to exactly those checked addresses, so a
// DNS answer that changes between a check and the connection (rebinding) cannot slip through.
// TLS still checks the certificate against the host name of the URL (SNI + verification).
//
// Network failures never throw: they come back as status 0 with `failure` set and `error`
// describing it in French. `error` may name the host, port and resolved address: fine for the
// logs and for an administrator testing a setting, NOT for a user (map `failure` instead).
// An HttpClient may be used by several coroutines at once; each request takes its own
// connection from the idle pool (or opens one) and gives it back when the server keeps it open.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace essaim::http {

struct ClientRequest {
    std::string method = "GET";
    std::string url;  // http://host:port/path?query
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // Bounds each step: resolving + connecting, then writing the request + reading the answer.
    std::chrono::milliseconds timeout{10000};
    std::size_t max_response_bytes = 64u << 20;
    // false: only public addresses (see above). True for what the administrator configured
    // (qBittorrent, Jackett, the download server), which is usually on this machine or the LAN.
    bool allow_private = true;
    // When set, no step goes on past it: a budget for a whole operation of several requests
    // (following redirects). Unset (the epoch): only `timeout` counts.
    std::chrono::steady_clock::time_point deadline{};
};

struct ClientResponse {
    // Why status is 0, for callers that must tell users something generic.
    enum class Failure {
        none,
        bad_url,          // not http(s)://host…
        refused_address,  // allow_private = false and the host has a non-public address
        unreachable,      // unknown host, connection refused or reset, unreadable answer
        timeout,
        too_large,  // the answer exceeds max_response_bytes
        tls,        // handshake or certificate check failed
    };
    int status = 0;  // 0 = transport error, see `failure` and `error`
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    Failure failure = Failure::none;
    std::string error;       // French description of a transport failure (logs, admins)
    std::string peer;        // the address connected to ("1.2.3.4:443"), for the logs
    bool timed_out = false;  // failure == timeout (kept for existing callers)
    bool too_large = false;  // failure == too_large (idem)

    std::string header(std::string_view name) const;  // case-insensitive, "" when absent
    std::vector<std::string> header_all(std::string_view name) const;
};

class HttpClient {
  public:
    explicit HttpClient(boost::asio::any_io_executor ex, std::size_t max_idle = 4);
    ~HttpClient();
    boost::asio::awaitable<ClientResponse> request(ClientRequest req);
    void drop_idle();  // closes pooled connections (e.g. after a settings change)

    struct Pool;

  private:
    std::shared_ptr<Pool> pool_;
};

// One-shot request without connection reuse.
boost::asio::awaitable<ClientResponse> fetch(ClientRequest req);

}  // namespace essaim::http
