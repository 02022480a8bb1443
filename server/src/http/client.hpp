// Asynchronous HTTP/1.1 client (plain http://) with a deadline on every request and keep-alive
// connection reuse. Used for qBittorrent, Jackett and .torrent URLs; redirects are never
// followed here (callers decide, e.g. a Jackett link that redirects to a magnet: URI).
//
// Network failures never throw: they come back as status 0 with `error` set (French).
// An HttpClient may be used by several coroutines at once; each request takes its own
// connection from the idle pool (or opens one) and gives it back when the server keeps it open.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace essaim::http {

struct ClientRequest {
    std::string method = "GET";
    std::string url;  // http://host:port/path?query
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds timeout{10000};
    std::size_t max_response_bytes = 64u << 20;
};

struct ClientResponse {
    int status = 0;  // 0 = transport error, see `error`
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string error;  // French description of a transport failure
    bool timed_out = false;
    bool too_large = false;

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
