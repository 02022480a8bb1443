// What every handler of the qBittorrent-compatible API shares: who is calling (a tool's session
// or token, refused as qBittorrent refuses: 403 "Forbidden"), answers as qBittorrent writes them
// (plain text, or JSON), the handler boundary that turns every refusal into such an answer, and
// the user's folder and labels. Handlers run as coroutines on the I/O threads.
#pragma once

#include "api/context.hpp"
#include "qbtapi/form.hpp"
#include "qbtapi/maindata_feed.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <mutex>
#include <string>

namespace essaim::qbtapi {

// A refusal written as qBittorrent writes it: a status and a plain-text body.
struct Refusal {
    int status;
    std::string body;
};

struct Caller {
    auth::Authed a;
    std::string feed_key;  // the maindata session: the SID's session, or the token
};

// qBittorrent's own preferences (queueing, DHT…), asked at most once a minute whatever the
// number of tools.
struct QbtPreferences {
    std::mutex mu;
    boost::json::object value;
    std::int64_t fetched_at = 0;
};

// What the handlers need besides the API's context (owned by `serve`, alive while it runs).
struct Services {
    const api::Context& ctx;
    MaindataFeed feed;
    QbtPreferences prefs;
};

// qBittorrent's preferences, from the cache (an empty object when qBittorrent cannot answer).
boost::asio::awaitable<boost::json::object> qbt_preferences(Services& s);

http::Response text(std::string body, int status = 200);
http::Response json_answer(const boost::json::value& v);
// "Torrent hash was not found" (404), as qBittorrent answers a hash it does not know.
[[noreturn]] void not_found();
// 400 with qBittorrent's kind of text when a parameter is missing.
std::string required(const Form& f, std::string_view name);

// `changes`: the route changes something, refused to read-only tokens.
using ToolHandler =
    std::function<boost::asio::awaitable<http::Response>(Services&, http::Request&, Caller&)>;
http::AsyncHandler tool_route(Services& s, bool changes, ToolHandler h);

// The user's folder on the qBittorrent machine (absolute), or a 409 Refusal.
boost::asio::awaitable<std::string> folder_of(Services& s, const store::User& u,
                                              std::int64_t server = 1);
// The user's categories (savePath shown absolute, under `folder`) and tags: their own rows and
// the names their torrents carry.
Labels labels_of(Services& s, std::int64_t user_id, const qbt::Snapshot& snap,
                 const std::string& folder);

}  // namespace essaim::qbtapi
