// Minimal asynchronous HTTP/1.1 client (plain http://) with a deadline on every request.
// Used for qBittorrent and Jackett; redirects are never followed (callers decide).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
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
};

struct ClientResponse {
    int status = 0;  // 0 = transport error, see `error`
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string error;  // French description of a transport failure

    std::string header(std::string_view name) const;  // case-insensitive, "" when absent
    std::vector<std::string> header_all(std::string_view name) const;
};

// Never throws for network failures: they come back as status 0 with `error` set.
boost::asio::awaitable<ClientResponse> fetch(ClientRequest req);

}  // namespace essaim::http
