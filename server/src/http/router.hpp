// Method + path router with `{name}` parameters. Pure: no I/O, tested on its own.
//
// Patterns are literal segments and `{param}` segments ("/api/torrents/{hash}/files").
// Matching is on percent-decoded segments, so "%2F" inside a segment never splits it.
// A path that matches a pattern under another method yields MethodNotAllowed with the
// allowed methods, so the caller can answer 405 with an `Allow` header.
#pragma once

#include "http/message.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace essaim::http {

using Handler = std::function<Response(Request&)>;
// A handler that waits for upstreams (qBittorrent, Jackett, a .torrent URL) by co_await: it runs
// on the I/O threads and holds no thread while it waits, so a slow upstream delays only the
// requests that need it.
using AsyncHandler = std::function<boost::asio::awaitable<Response>(Request&)>;

// How the server must run a handler:
//  - inline_io: on the I/O thread, for answers made from memory only — the torrent list, the
//    speed charts, /metrics, GET /api/me (the session behind them comes from the store's cache;
//    a miss reads the database once), /api/health (the database state of the last 2-s ping);
//  - worker: on the worker pool, for everything that reads or writes the database or hashes a
//    password (argon2, ~70 ms);
//  - async: a coroutine on the I/O threads, for what waits for an upstream (qBittorrent, Jackett,
//    a .torrent URL); besides its waits, it may make quick database calls.
enum class Exec { inline_io, worker, async };

struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{x}" marks a parameter
    Handler handler;                    // inline_io and worker
    AsyncHandler async_handler;         // async
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
    void add_async(std::string method, std::string pattern, AsyncHandler h);
    Match match(std::string_view method, std::string_view path) const;

  private:
    std::vector<Route> routes_;
};

}  // namespace essaim::http
