#include "qbt/sync_loop.hpp"

#include "util/clock.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include <malloc.h>

#include <ctime>

namespace essaim::qbt {
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {
// Retries of an unreachable qBittorrent: 1, 2, 4, 8, then every 10 s. One failed connection
// every 10 s costs nothing, and essaim is live again at most ~10 s after qBittorrent is back
// (with 30 s, a restart of qBittorrent could leave essaim saying "injoignable" for 30 s more).
constexpr std::chrono::seconds kMaxBackoff = 10s;

}  // namespace

SyncLoop::SyncLoop(asio::any_io_executor ex, std::int64_t server,
                   std::function<Connection()> connection, Client& client, Registry& registry,
                   std::chrono::milliseconds period)
    : server_(server),
      connection_(std::move(connection)),
      client_(client),
      registry_(registry),
      period_(period),
      timer_(ex) {}

Connection SyncLoop::read_connection() {
    return connection_();
}

void SyncLoop::wake() {
    asio::post(timer_.get_executor(), [this] { timer_.cancel(); });
}

void SyncLoop::poke() {
    if (leading_ && !leading_()) {
        if (remote_poke_) remote_poke_();
        return;
    }
    wake();
}

void SyncLoop::stop() {
    stopping_ = true;
    wake();
}

void SyncLoop::set_gate(std::function<bool()> leading, std::function<void()> remote_poke) {
    leading_ = std::move(leading);
    remote_poke_ = std::move(remote_poke);
}

void SyncLoop::set_publisher(MaindataSink on_maindata, LinkSink on_link) {
    on_maindata_ = std::move(on_maindata);
    on_link_ = std::move(on_link);
}

void SyncLoop::request_full() {
    want_full_ = true;
    wake();
}

void SyncLoop::set_link(LinkState s, const std::string& error, const std::string& detail) {
    if (!detail.empty() && detail != published_detail_)
        spdlog::warn("qBittorrent (serveur {}) : {}", server_, detail);  // once per change
    published_detail_ = detail;
    registry_.set_link(server_, s, error, detail);
    if (!on_link_ || (published_link_ == static_cast<int>(s) && published_error_ == error)) return;
    published_link_ = static_cast<int>(s);
    published_error_ = error;
    on_link_(server_, s, error);
}

// Once deltas have carried this many torrents, the full update's malloc_trim (a few ms).
constexpr std::size_t kTrimAfterTorrents = 1000;

asio::awaitable<void> SyncLoop::run() {
    std::int64_t rid = 0;
    auto backoff = 1s;
    auto last_reconcile = std::chrono::steady_clock::time_point{};
    std::size_t changed_since_trim = 0;
    Connection current;
    bool was_leading = true;
    while (!stopping_) {
        if (leading_ && !leading_()) {
            // Another instance polls qBittorrent; this one is fed by it (app/cluster.cpp).
            // When this one takes over, it starts from a full update of its own session.
            if (was_leading) {
                rid = 0;
                published_link_ = -1;
                was_leading = false;
            }
            // Actions (add, pause, delete…) still call qBittorrent from here, with the
            // connection settings of the moment.
            if (auto conn = read_connection(); !(conn == current)) {
                client_.set_connection(conn);
                current = conn;
            }
            // Woken by poke() when this instance is elected.
            timer_.expires_after(2s);
            co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        was_leading = true;
        if (want_full_.exchange(false)) rid = 0;
        auto conn = read_connection();
        if (!(conn == current)) {
            client_.set_connection(conn);
            current = conn;
            rid = 0;
        }
        std::chrono::milliseconds wait = period_;
        if (conn.url.empty()) {
            set_link(LinkState::unconfigured, "");
            wait = 2s;
        } else {
            try {
                auto asked = std::chrono::steady_clock::now();
                auto md = co_await client_.maindata(rid);
                // The next poll a period after this one was asked, not after it was answered
                // (a server that answers in 0.4 s is polled every second, not every 1.4 s) —
                // but never sooner than the answer took, so a slow qBittorrent (10,000
                // torrents: 2 s an answer) spends at most half its time answering essaim.
                auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - asked);
                wait = std::max(period_ - took, std::min(took, period_));
                if (!md.is_object())
                    throw QbtError(FailKind::protocol, "réponse inattendue de qBittorrent");
                bool full = rid == 0;
                // Deltas that together carried thousands of torrents (a bulk add) weigh as much
                // as a full update: same treatment of the memory below.
                if (auto* t = md.as_object().if_contains("torrents"); t && t->is_object())
                    changed_since_trim += t->as_object().size();
                registry_.apply(server_, md.as_object());
                if (on_maindata_) on_maindata_(server_, md.as_object(), rid);
                set_link(LinkState::ok, "");
                if (auto* r = md.as_object().if_contains("rid"); r && r->is_int64())
                    rid = r->as_int64();
                backoff = 1s;
                if (full || changed_since_trim >= kTrimAfterTorrents) {
                    changed_since_trim = 0;
                    // A full update of 10,000 torrents is a ~10 MB document parsed into a DOM:
                    // hand the freed memory back to the system instead of keeping it in the heap.
                    md = boost::json::value();
                    ::malloc_trim(0);
                }
                // The version administrators see (Réglages → Serveurs), asked once per connection.
                if (full) {
                    try {
                        co_await client_.app_version();
                    } catch (const QbtError&) {
                        // Shown as unknown; the next full update asks again.
                    }
                }
                auto now = std::chrono::steady_clock::now();
                if (full || now - last_reconcile > 5min) {
                    registry_.reconcile(server_, util::unix_now());
                    last_reconcile = now;
                }
            } catch (const QbtError& e) {
                set_link(
                    e.kind == FailKind::unconfigured ? LinkState::unconfigured : LinkState::down,
                    user_message(e.kind), e.what());
                rid = 0;  // a restarted qBittorrent has a new session: start from a full update
                wait = backoff;
                backoff = std::min<std::chrono::seconds>(backoff * 2, kMaxBackoff);
                if (e.kind == FailKind::bad_credentials || e.kind == FailKind::banned) wait = 5s;
            } catch (const std::exception& e) {
                spdlog::error("sync loop: {}", e.what());
                set_link(LinkState::down, user_message(FailKind::protocol),
                         std::string("réponse illisible de qBittorrent : ") + e.what());
                rid = 0;
                wait = backoff;
                backoff = std::min<std::chrono::seconds>(backoff * 2, kMaxBackoff);
            }
        }
        if (stopping_) break;
        timer_.expires_after(wait);
        co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

}  // namespace essaim::qbt
