// Transport-neutral HTTP request/response used by the router and the API handlers.
// The Beast session converts to and from these, so handlers compile (and are tested) without Asio.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace essaim::http {

struct Request {
    std::string method;                                        // upper case, e.g. "GET"
    std::string path;                                          // raw path, without the query string
    std::string query;                                         // raw query string, without '?'
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
    std::string body;
    std::string remote_ip;
    std::string request_id;
    std::unordered_map<std::string, std::string> params;  // path parameters, filled by the router

    // Empty view when the header is absent. `name` must be lower case.
    std::string_view header(std::string_view name) const;
    std::optional<std::string> cookie(std::string_view name) const;
    std::optional<std::string> query_param(std::string_view name) const;
    bool is_mutating() const;
};

// A body produced piece by piece (a file, a zip stream): never held in memory whole. The size is
// known before the first read (it becomes Content-Length). read() fills up to `n` bytes and returns
// how many; 0 only at the end. It throws std::runtime_error when the source fails mid-way (the
// server then cuts the connection: the client sees a short body, never a corrupt "complete" one).
class BodySource {
  public:
    virtual ~BodySource() = default;
    virtual std::uint64_t size() const = 0;
    virtual std::size_t read(char* buf, std::size_t n) = 0;

    // A source that is a region of an open file says so, before any read(): the server then
    // hands it to sendfile(2) — the kernel copies page cache to socket, as nginx does — and never
    // calls read(). The descriptor stays owned by the source.
    struct FileRegion {
        int fd;
        std::uint64_t offset;
    };
    virtual std::optional<FileRegion> file_region() const { return std::nullopt; }
};

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // Alternative to `body` for large cached answers: shared, written without a copy.
    std::shared_ptr<const std::string> shared_body;
    // Alternative to `body` for files and archives, streamed in chunks.
    std::shared_ptr<BodySource> stream_body;

    static Response json(int status, const boost::json::value& v);
    static Response no_content();
    void set_header(std::string name, std::string value);
    std::string_view header(std::string_view name) const;  // case-insensitive
};

// Percent-decoding of a path segment or query component. `plus_as_space` for form/query values.
// Returns nullopt on a malformed escape (e.g. "%zz").
std::optional<std::string> percent_decode(std::string_view in, bool plus_as_space);
// The content type of a form body (what qBittorrent's Web API reads).
inline constexpr const char* kFormType = "application/x-www-form-urlencoded";
// application/x-www-form-urlencoded value (RFC 3986 unreserved characters kept), for the
// clients of qBittorrent's and Jackett's APIs.
std::string form_encode(std::string_view v);

struct CookieOptions {
    bool http_only = true;
    bool secure = false;
    long max_age = -1;  // -1 = session cookie, 0 = delete
    // "Lax" only for a cookie a cross-site top-level navigation must carry (the OpenID login's
    // callback); every other cookie is Strict.
    std::string_view same_site = "Strict";
    std::string_view path = "/";
};
std::string make_set_cookie(std::string_view name, std::string_view value, const CookieOptions& o);

}  // namespace essaim::http
