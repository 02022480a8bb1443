// Method + path router with `{name}` parameters. Pure: no I/O, tested on its own.
//
// Patterns are literal segments and `{param}` segments ("/api/torrents/{hash}/files").
// Matching is on percent-decoded segments, so "%2F" inside a segment never splits it.
// A path that matches a pattern under another method yields MethodNotAllowed with the
// allowed methods, so the caller can answer 405 with an `Allow` header.
#pragma once

#include "http/message.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace essaim::http {

using Handler = std::function<Response(Request&)>;

// How the server must run a handler: on the I/O thread (cheap, never blocks) or on the
// worker pool (password hashing, database writes, calls to qBittorrent).
enum class Exec { inline_io, worker };

struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{x}" marks a parameter
    Handler handler;
    Exec exec = Exec::inline_io;
};

struct Match {
    enum class Kind { found, not_found, method_not_allowed, bad_path } kind = Kind::not_found;
    const Route* route = nullptr;
    std::unordered_map<std::string, std::string> params;
    std::vector<std::string> allowed;  // for method_not_allowed (sorted, unique)
};

class Router {
  public:
    void add(std::string method, std::string pattern, Handler h, Exec exec = Exec::inline_io);
    Match match(std::string_view method, std::string_view path) const;
    const std::vector<Route>& routes() const { return routes_; }

  private:
    std::vector<Route> routes_;
};

}  // namespace essaim::http
