#include "api/live_hub.hpp"

#include "api/errors.hpp"
#include "api/torrent_views.hpp"
#include "auth/policy.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/websocket.hpp>

#include <algorithm>
#include <deque>
#include <vector>

namespace essaim::api {
namespace asio = boost::asio;
namespace beast = boost::beast;
using namespace boost::asio::experimental::awaitable_operators;

extern std::atomic<std::int64_t> g_ws_clients;

struct LiveHub::Client {
    explicit Client(asio::any_io_executor ex) : wake(ex) {
        wake.expires_at(asio::steady_timer::time_point::max());
    }
    auth::Viewer viewer;
    http::Request request;  // headers kept to re-check the session
    std::string session_id;
    bool see_charts = false;
    asio::steady_timer wake;
    std::deque<std::shared_ptr<const std::string>> queue;  // touched on the client's executor only
    bool closing = false;
    bool replaced = false;    // closed for a newer socket of its user (client's executor)
    bool check_now = false;   // recheck_all asked (client's executor)
    std::uint64_t order = 0;  // under LiveHub::mu_
    bool evicted = false;     // under LiveHub::mu_: already chosen to make room
    static constexpr std::size_t kMaxQueue = 256;

    void push(std::shared_ptr<const std::string> m) {
        if (closing) return;
        if (queue.size() >= kMaxQueue) {  // too slow: drop it rather than buffer without bound
            closing = true;
        } else {
            queue.push_back(std::move(m));
        }
        wake.cancel();
    }
};

namespace {

struct AuthState {
    auth::Authed authed;
    http::Request request;
};

bool same_origin(const http::Request& req, const config::Config& cfg) {
    auto origin = req.header("origin");
    auto host = std::string(req.header("host"));
    if (origin.empty()) return false;  // browsers always send Origin on WebSocket handshakes
    if (origin == "http://" + host || origin == "https://" + host) return true;
    if (!cfg.base_url.empty()) {
        auto base = cfg.base_url;
        auto p = base.find('/', base.find("://") + 3);
        if (p != std::string::npos) base.resize(p);
        return origin == base;
    }
    return false;
}

}  // namespace

LiveHub::LiveHub(const Context& ctx) : ctx_(ctx) {}

void LiveHub::attach() {
    std::weak_ptr<LiveHub> weak = shared_from_this();
    {
        std::lock_guard lock(mu_);
        last_ = ctx_.registry->snapshot();
    }
    ctx_.registry->on_change([weak](const qbt::Change& c) {
        if (auto self = weak.lock()) self->on_change(c);
    });
}

void LiveHub::send_to_user(std::int64_t user_id, std::string message) {
    auto m = std::make_shared<const std::string>(std::move(message));
    std::lock_guard lock(mu_);
    for (const auto& client : clients_)
        if (client->viewer.user_id == user_id)
            asio::post(client->wake.get_executor(), [client, m] { client->push(m); });
}

void LiveHub::send_to_chart_viewers(std::string message) {
    auto m = std::make_shared<const std::string>(std::move(message));
    std::lock_guard lock(mu_);
    for (const auto& client : clients_)
        if (client->see_charts)
            asio::post(client->wake.get_executor(), [client, m] { client->push(m); });
}

void LiveHub::recheck_all() {
    std::lock_guard lock(mu_);
    for (const auto& client : clients_)
        asio::post(client->wake.get_executor(), [client] {
            client->check_now = true;
            client->wake.cancel();
        });
}

std::size_t LiveHub::clients() const {
    std::lock_guard lock(mu_);
    return clients_.size();
}

std::optional<http::Response> LiveHub::authorize(const http::Request& req,
                                                 std::shared_ptr<void>& state) {
    if (!same_origin(req, ctx_.cfg))
        return error_response(403, "origin_refused",
                              "Connexion temps réel refusée : elle ne vient pas de essaim.");
    auto a = ctx_.sessions.authenticate(req);
    if (!a)
        return error_response(401, "unauthenticated", "Votre session a expiré. Reconnectez-vous.");
    auto st = std::make_shared<AuthState>();
    st->authed = std::move(*a);
    st->request.headers = req.headers;
    st->request.remote_ip = req.remote_ip;
    state = st;
    return std::nullopt;
}

void LiveHub::on_change(const qbt::Change& c) {
    std::lock_guard lock(mu_);
    pending_ = c.snapshot;
    for (const auto& h : c.changed) pending_changed_.insert(h);
    for (const auto& h : c.removed) pending_removed_.insert(h);
    pending_link_ = pending_link_ || c.link_changed;
    if (flush_scheduled_) return;
    flush_scheduled_ = true;
    auto due = last_flush_ + kFlushEvery;
    auto now = std::chrono::steady_clock::now();
    if (!timer_) timer_ = std::make_unique<asio::steady_timer>(ctx_.ioc->get_executor());
    timer_->expires_after(due > now ? due - now : std::chrono::steady_clock::duration::zero());
    std::weak_ptr<LiveHub> weak = shared_from_this();
    timer_->async_wait([weak](const boost::system::error_code& ec) {
        if (ec) return;
        if (auto self = weak.lock()) self->flush();
    });
}

void LiveHub::flush() {
    std::lock_guard lock(mu_);
    flush_scheduled_ = false;
    last_flush_ = std::chrono::steady_clock::now();
    if (!pending_) return;
    qbt::Change c;
    c.snapshot = pending_;
    c.link_changed = pending_link_;
    for (const auto& h : pending_changed_)
        if (const auto* e = pending_->find(h); e && e->hash == h) c.changed.push_back(h);
    for (const auto& h : pending_removed_)
        if (const auto* e = pending_->find(h); !e || e->hash != h) c.removed.push_back(h);
    // Changed then gone before the flush: a removal for whoever saw it.
    for (const auto& h : pending_changed_)
        if (const auto* e = pending_->find(h); (!e || e->hash != h) && !pending_removed_.count(h))
            c.removed.push_back(h);
    auto prev = last_;
    last_ = pending_;
    pending_.reset();
    pending_changed_.clear();
    pending_removed_.clear();
    pending_link_ = false;
    std::shared_ptr<const std::string> status;
    if (c.link_changed) status = std::make_shared<const std::string>(status_message(*c.snapshot));
    for (const auto& client : clients_) {
        std::shared_ptr<const std::string> delta;
        auto msg = delta_message(c, prev.get(), client->viewer);
        if (!msg.empty()) delta = std::make_shared<const std::string>(std::move(msg));
        if (!delta && !status) continue;
        asio::post(client->wake.get_executor(), [client, delta, status] {
            if (status) client->push(status);
            if (delta) client->push(delta);
        });
    }
}

void LiveHub::evict_oldest(std::int64_t user_id) {
    std::vector<std::shared_ptr<Client>> mine;
    for (const auto& c : clients_)
        if (c->viewer.user_id == user_id && !c->evicted) mine.push_back(c);
    auto limit = static_cast<std::size_t>(ctx_.cfg.max_websockets_per_user);
    if (mine.size() <= limit) return;
    std::ranges::sort(mine, {}, &Client::order);
    for (std::size_t i = 0; i + limit < mine.size(); ++i) {
        auto& old = mine[i];
        old->evicted = true;
        asio::post(old->wake.get_executor(), [old] {
            old->replaced = true;
            old->wake.cancel();
        });
    }
}

asio::awaitable<void> LiveHub::run(http::WebSocket ws, std::shared_ptr<void> state) {
    auto st = std::static_pointer_cast<AuthState>(state);
    auto client = std::make_shared<Client>(co_await asio::this_coro::executor);
    client->viewer = auth::Viewer::of(st->authed.user);
    client->see_charts = auth::has_permission(st->authed.user, "see_charts");
    client->request = st->request;
    client->session_id = st->authed.session_id;
    ws.text(true);
    {
        std::lock_guard lock(mu_);
        // Registered and given the current snapshot under the same lock as on_change, so no
        // change can fall between the full list and the first delta.
        clients_.insert(client);
        client->order = ++opened_;
        // The link as it is now (a flush may be pending: the list is caught up by its delta,
        // but a client told "unconfigured" a moment after the link came up would show a banner).
        client->push(
            std::make_shared<const std::string>(status_message(*ctx_.registry->snapshot())));
        client->push(std::make_shared<const std::string>(full_message(*last_, client->viewer)));
        evict_oldest(client->viewer.user_id);
    }
    g_ws_clients++;

    auto reader = [&]() -> asio::awaitable<void> {
        beast::flat_buffer buf;
        for (;;) {
            auto [ec, n] = co_await ws.async_read(buf, asio::as_tuple(asio::use_awaitable));
            (void)n;
            if (ec) co_return;
            buf.clear();  // clients have nothing to say; pings are answered by Beast
        }
    };
    auto writer = [&]() -> asio::awaitable<void> {
        auto next_check = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        for (;;) {
            while (!client->queue.empty() && !client->closing) {
                auto m = client->queue.front();
                client->queue.pop_front();
                auto [ec, n] =
                    co_await ws.async_write(asio::buffer(*m), asio::as_tuple(asio::use_awaitable));
                (void)n;
                if (ec) co_return;
            }
            if (client->replaced) {
                // 4001 (a private code), not 1008: the app must tell "replaced by a newer tab,
                // do not reconnect" from "session ended".
                co_await ws.async_close(
                    beast::websocket::close_reason(
                        static_cast<beast::websocket::close_code>(kReplacedCloseCode),
                        "Trop de connexions temps réel ouvertes : la plus ancienne est fermée."),
                    asio::as_tuple(asio::use_awaitable));
                co_return;
            }
            if (client->closing) {
                co_await ws.async_close(beast::websocket::close_code::try_again_later,
                                        asio::as_tuple(asio::use_awaitable));
                co_return;
            }
            if (client->check_now || std::chrono::steady_clock::now() >= next_check) {
                client->check_now = false;
                next_check = std::chrono::steady_clock::now() + std::chrono::seconds(30);
                auto still = ctx_.sessions.authenticate(client->request);
                if (!still || still->session_id != client->session_id) {
                    co_await ws.async_close(beast::websocket::close_code::policy_error,
                                            asio::as_tuple(asio::use_awaitable));
                    co_return;
                }
                // Role or group permissions changed: this feed is filtered with the old ones.
                // Closing makes the app reconnect and get a full list filtered with the new ones.
                auto now_viewer = auth::Viewer::of(still->user);
                if (now_viewer.admin != client->viewer.admin ||
                    now_viewer.see_all != client->viewer.see_all ||
                    now_viewer.act_all != client->viewer.act_all ||
                    auth::has_permission(still->user, "see_charts") != client->see_charts) {
                    co_await ws.async_close(beast::websocket::close_code::try_again_later,
                                            asio::as_tuple(asio::use_awaitable));
                    co_return;
                }
            }
            client->wake.expires_at(next_check);
            co_await client->wake.async_wait(asio::as_tuple(asio::use_awaitable));
        }
    };
    try {
        co_await (reader() || writer());
    } catch (const std::exception& e) {
        spdlog::debug("websocket ended: {}", e.what());
    }
    {
        std::lock_guard lock(mu_);
        clients_.erase(client);
    }
    g_ws_clients--;
}

}  // namespace essaim::api
