#include "qbtapi/handler.hpp"

#include "api/errors.hpp"
#include "api/torrent_access.hpp"
#include "auth/policy.hpp"
#include "qbt/adder.hpp"
#include "qbt/client.hpp"
#include "qbt/servers.hpp"
#include "qbtapi/torrents.hpp"
#include "torrent/error.hpp"
#include "util/clock.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

namespace essaim::qbtapi {
namespace asio = boost::asio;
namespace json = boost::json;

http::Response text(std::string body, int status) {
    http::Response r;
    r.status = status;
    r.body = std::move(body);
    r.set_header("Content-Type", "text/plain; charset=UTF-8");
    return r;
}

http::Response json_answer(const json::value& v) {
    http::Response r;
    r.body = json::serialize(v);
    r.set_header("Content-Type", "application/json");
    return r;
}

void not_found() {
    throw Refusal{404, "Torrent hash was not found"};
}

std::string required(const Form& f, std::string_view name) {
    auto v = f.get(name);
    if (!v) throw Refusal{400, "Missing parameter: " + std::string(name)};
    return *v;
}

namespace {

Caller caller_of(Services& s, const http::Request& req, bool changes) {
    auto a = s.ctx.sessions.authenticate_tool(req);
    if (!a) throw Refusal{403, "Forbidden"};
    // A read-only token reads; whatever changes something is refused as qBittorrent refuses.
    if (changes && a->token && a->token->read_only) throw Refusal{403, "Forbidden"};
    Caller c{std::move(*a), {}};
    c.feed_key = c.a.session_id.empty() ? "token:" + std::to_string(c.a.token->id)
                                        : "session:" + c.a.session_id;
    return c;
}

}  // namespace

http::AsyncHandler tool_route(Services& s, bool changes, ToolHandler h) {
    return [&s, changes, h = std::move(h)](http::Request& req) -> asio::awaitable<http::Response> {
        std::optional<http::Response> answer;
        try {
            auto c = caller_of(s, req, changes);
            answer = co_await h(s, req, c);
        } catch (const Refusal& r) {
            answer = text(r.body, r.status);
        } catch (const api::ApiError& e) {
            answer = text(e.what(), e.status());
        } catch (const auth::Denied& e) {
            answer = text(e.what(), e.kind == auth::Denied::Kind::forbidden  ? 403
                                    : e.kind == auth::Denied::Kind::conflict ? 409
                                                                             : 400);
        } catch (const qbt::QbtError& e) {
            try {
                api::rethrow_qbt(e);
            } catch (const api::ApiError& mapped) {
                answer = text(mapped.status() == 404 ? "Torrent hash was not found" : mapped.what(),
                              mapped.status());
            }
        } catch (const torrent::TorrentError& e) {
            answer = text(e.what(), 409);
        } catch (const std::invalid_argument&) {
            answer = text("Bad Request", 400);  // a malformed form
        }
        // Anything else reaches api::invoke's boundary: 500, logged with the request id.
        co_return std::move(*answer);
    };
}

asio::awaitable<json::object> qbt_preferences(Services& s) {
    auto now = util::unix_now();
    {
        std::lock_guard lock(s.prefs.mu);
        if (now - s.prefs.fetched_at < 60) co_return s.prefs.value;
    }
    json::object value;
    try {
        auto body = co_await s.ctx.servers->home_client().call("GET", "/api/v2/app/preferences");
        if (auto v = json::parse(body); v.is_object()) value = std::move(v.as_object());
    } catch (const std::exception& e) {
        spdlog::warn("qBittorrent : préférences illisibles : {}", e.what());
    }
    std::lock_guard lock(s.prefs.mu);
    s.prefs.value = value;
    s.prefs.fetched_at = now;
    co_return value;
}

asio::awaitable<std::string> folder_of(Services& s, const store::User& u, std::int64_t server) {
    try {
        co_return co_await s.ctx.adder->folder_of(u, server);
    } catch (const torrent::TorrentError& e) {
        throw Refusal{409, e.what()};
    }
}

Labels labels_of(Services& s, std::int64_t user_id, const qbt::Snapshot& snap,
                 const std::string& folder) {
    Labels out;
    for (const auto& l : s.ctx.store.labels(user_id)) {
        if (l.kind == "category")
            out.categories[l.name] = l.save_path.empty() ? folder : folder + "/" + l.save_path;
        else
            out.tags.insert(l.name);
    }
    // Names the user's torrents carry without a row (given at add, or by qBittorrent's own
    // WebUI): a category of theirs saves into their folder.
    for (const auto* e : owned(snap, user_id)) {
        if (!e->category.empty() && !out.categories.count(e->category))
            out.categories[e->category] = folder + "/" + e->category;
        for (auto& t : visible_tags(e->tags)) out.tags.insert(std::move(t));
    }
    return out;
}

}  // namespace essaim::qbtapi
