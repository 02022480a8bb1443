#include "app/cluster.hpp"

#include "util/clock.hpp"
#include "util/crypto.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <poll.h>
#include <unistd.h>

#include <ctime>

namespace essaim::app {
namespace json = boost::json;
namespace pg = store::pg;
using namespace std::chrono_literals;

namespace {

// NOTIFY payloads are limited to 8000 bytes by PostgreSQL; what does not fit is not sent.
constexpr std::size_t kMaxNotifyPayload = 7900;
// How many feed rows one query reads (a full update of 10,000 torrents is ~10 MB).
constexpr int kFeedBatch = 50;

std::string host_name() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return "?";
    return buf;
}

}  // namespace

Cluster::Cluster(std::string url, store::Store& store, qbt::Registry& registry,
                 qbt::Servers& servers)
    : url_(std::move(url)),
      store_(store),
      registry_(registry),
      servers_(servers),
      // Unique per process (a restarted instance is a new source: its feed rows never continue
      // the dead one's). Shown by the unauthenticated /api/health, hence no host name in it:
      // the log line at start pairs it with the host.
      id_(std::to_string(::getpid()) + "-" + crypto::random_token(3)) {}

Cluster::~Cluster() {
    stop();
}

void Cluster::start() {
    servers_.set_gate([this] { return leader_.load(); }, [this] { poke_leader(); });
    servers_.set_publisher(
        [this](std::int64_t server, const json::object& md, std::int64_t base_rid) {
            publish_maindata(server, md, base_rid);
        },
        [this](std::int64_t server, qbt::LinkState s, const std::string& error) {
            publish_link(server, s, error);
        });
    registry_.set_on_rows_changed([this] { queue("essaim_rows", id_); });
    spdlog::info(
        "instance {} (hôte {}) : plusieurs instances possibles (PostgreSQL), élection en cours",
        id_, host_name());
    thread_ = std::thread([this] { run(); });
}

void Cluster::stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

void Cluster::queue(std::string channel, std::string payload) {
    std::lock_guard lock(out_mu_);
    // A burst of the same message (pokes, rows changed) needs to be sent once.
    for (const auto& [c, p] : out_)
        if (c == channel && p == payload) return;
    out_.emplace_back(std::move(channel), std::move(payload));
}

void Cluster::poke_leader() {
    queue("essaim_leader", "poke");
}

void Cluster::broadcast_to_user(std::int64_t user_id, const std::string& message) {
    auto payload =
        json::serialize(json::object{{"from", id_}, {"user", user_id}, {"message", message}});
    if (payload.size() > kMaxNotifyPayload) return;  // the notification centre still has it
    queue("essaim_notify", std::move(payload));
}

void Cluster::connect() {
    conn_ = std::make_unique<pg::Connection>(url_);
    for (const char* ch :
         {"essaim_sync", "essaim_leader", "essaim_rows", "essaim_notify", "essaim_auth"})
        conn_->run(std::string("LISTEN ") + ch);
    // Listening from here on: the store may cache sessions again (changes made while this
    // connection was down are covered by the generation bump of this call).
    store_.auth_changed_elsewhere(true);
    // A follower starts from the latest full update still in the feed (and every delta after
    // it); without one it asks the leader for one.
    conn_
        ->run(
            "SELECT COALESCE((SELECT min(m) FROM (SELECT max(seq) AS m FROM sync_feed WHERE "
            "kind LIKE 'maindata%' AND base_rid = 0 GROUP BY kind) AS fulls), 0), "
            "COALESCE((SELECT max(seq) FROM sync_feed), 0)")
        .next();
    auto full = conn_->int64(0);
    last_seq_ = full > 0 ? full - 1 : conn_->int64(1);
    applied_source_.clear();
    applied_rid_.clear();
    feed_due_ = true;
    rows_due_ = true;  // rows may have changed while this connection was down
    next_lock_try_ = {};
}

void Cluster::run() {
    while (!stopping_) {
        try {
            if (!conn_) connect();
            auto now = std::chrono::steady_clock::now();
            if (now >= next_lock_try_) {
                next_lock_try_ = now + 2s;
                if (!leader_) {
                    conn_->run("SELECT pg_try_advisory_lock($1::bigint)", {kLockKey}).next();
                    if (conn_->text(0) == "t") {
                        leader_ = true;
                        spdlog::info(
                            "instance {} : meneuse — elle interroge qBittorrent pour toutes les "
                            "instances",
                            id_);
                        servers_.poke_all();
                    } else if (!told_follower_) {
                        told_follower_ = true;
                        spdlog::info(
                            "instance {} : suiveuse — l'état de qBittorrent vient de l'instance "
                            "meneuse (nouvel essai du verrou toutes les 2 s)",
                            id_);
                    }
                } else {
                    // The lock lives as long as this connection: a dead connection must be
                    // noticed (and leadership dropped) even when nothing else is sent on it.
                    conn_->run("SELECT 1");
                }
            }
            for (const auto& n : conn_->notifications()) handle(n);
            send_queued();
            if (!leader_ && (feed_due_ || now >= next_feed_read_)) read_feed();
            if (rows_due_) {
                rows_due_ = false;
                registry_.reload_rows();
            }
            pollfd p{conn_->socket(), POLLIN, 0};
            ::poll(&p, 1, 200);
        } catch (const std::exception& e) {
            if (leader_.exchange(false))
                spdlog::error(
                    "instance {} : connexion du verrou perdue, elle cesse d'être meneuse : {}", id_,
                    e.what());
            else
                spdlog::warn("instance {} : PostgreSQL (LISTEN) : {}", id_, e.what());
            store_.auth_changed_elsewhere(false);  // deaf now: no cached sessions
            conn_.reset();
            for (int i = 0; i < 20 && !stopping_; ++i) std::this_thread::sleep_for(100ms);
        }
    }
    store_.auth_changed_elsewhere(false);
    conn_.reset();  // releases the lock at once for the next leader
}

void Cluster::handle(const pg::Connection::Notify& n) {
    if (n.channel == "essaim_sync") {
        feed_due_ = true;
    } else if (n.channel == "essaim_leader") {
        if (!leader_) return;
        if (n.payload == "full")
            for (const auto& s : servers_.list()) servers_.request_full(s.id);
        else
            servers_.poke_all();
    } else if (n.channel == "essaim_auth") {
        store_.auth_changed_elsewhere(true);
    } else if (n.channel == "essaim_rows") {
        if (n.payload != id_) rows_due_ = true;
    } else if (n.channel == "essaim_notify") {
        boost::system::error_code ec;
        auto v = json::parse(n.payload, ec);
        if (ec || !v.is_object()) return;
        const auto& o = v.as_object();
        const auto* from = o.if_contains("from");
        const auto* user = o.if_contains("user");
        const auto* message = o.if_contains("message");
        if (!from || !from->is_string() || from->as_string() == id_ || !user || !user->is_int64() ||
            !message || !message->is_string())
            return;
        if (on_user_message_) on_user_message_(user->as_int64(), std::string(message->as_string()));
    }
}

void Cluster::send_queued() {
    std::deque<std::pair<std::string, std::string>> out;
    {
        std::lock_guard lock(out_mu_);
        out.swap(out_);
    }
    for (const auto& [channel, payload] : out)
        conn_->run("SELECT pg_notify($1, $2)", {channel, payload});
}

void Cluster::read_feed() {
    feed_due_ = false;
    auto now = std::chrono::steady_clock::now();
    next_feed_read_ = now + 2s;  // NOTIFY is the fast path; this catches anything missed
    for (;;) {
        conn_->run(
            "SELECT seq, source, base_rid, kind, payload FROM sync_feed WHERE seq > $1 ORDER BY "
            "seq LIMIT " +
                std::to_string(kFeedBatch),
            {last_seq_});
        int rows = 0;
        for (; conn_->next(); ++rows) {
            last_seq_ = conn_->int64(0);
            auto source = conn_->text(1);
            auto base = conn_->int64(2);
            auto kind = conn_->text(3);
            if (source == id_) continue;  // written while this instance led
            // "maindata" / "link" are server 1's, "maindata:<id>" / "link:<id>" another's.
            std::int64_t server = 1;
            if (auto colon = kind.find(':'); colon != std::string::npos) {
                server = std::atoll(kind.c_str() + colon + 1);
                kind.resize(colon);
            }
            auto& applied = applied_rid_.try_emplace(server, -1).first->second;
            try {
                if (kind == "link") {
                    auto v = json::parse(conn_->text(4));
                    const auto& o = v.as_object();
                    auto state = static_cast<qbt::LinkState>(o.at("state").as_int64());
                    registry_.set_link(server, state, std::string(o.at("error").as_string()));
                } else if (base == 0 ||
                           (applied >= 0 && source == applied_source_[server] && base == applied)) {
                    auto v = json::parse(conn_->text(4));
                    const auto& md = v.as_object();
                    registry_.apply(server, md);
                    applied_source_[server] = source;
                    const auto* rid = md.if_contains("rid");
                    applied = rid && rid->is_int64() ? rid->as_int64() : -1;
                } else {
                    // A delta on top of an answer this instance did not apply: the state it
                    // describes cannot be rebuilt from here. Wait for a full update.
                    applied = -1;
                }
            } catch (const std::exception& e) {
                spdlog::warn("instance {} : mise à jour {} illisible : {}", id_, last_seq_,
                             e.what());
                applied = -1;
            }
        }
        if (rows < kFeedBatch) break;
    }
    bool waiting = false;
    for (const auto& s : servers_.list()) {
        auto it = applied_rid_.find(s.id);
        waiting =
            waiting || (s.state != "disabled" && (it == applied_rid_.end() || it->second < 0));
    }
    if (waiting && now - last_full_ask_ > 5s) {
        last_full_ask_ = now;
        queue("essaim_leader", "full");
    }
}

namespace {
std::string feed_kind(const char* kind, std::int64_t server) {
    return server == 1 ? kind : std::string(kind) + ":" + std::to_string(server);
}
}  // namespace

void Cluster::publish_maindata(std::int64_t server, const json::object& md, std::int64_t base_rid) {
    bool full = base_rid == 0;
    if (const auto* f = md.if_contains("full_update"); f && f->is_bool() && f->as_bool())
        full = true;
    publish(feed_kind("maindata", server), full ? 0 : base_rid, json::serialize(md));
}

void Cluster::publish_link(std::int64_t server, qbt::LinkState s, const std::string& error) {
    publish(feed_kind("link", server), -1,
            json::serialize(json::object{{"state", static_cast<int>(s)}, {"error", error}}));
}

void Cluster::publish(const std::string& kind, std::int64_t base_rid, const std::string& payload) {
    if (!leader_) return;  // demoted while the request was in flight: the new leader publishes
    std::lock_guard lock(pub_mu_);
    try {
        if (!pub_ || !pub_->ok()) pub_ = std::make_unique<pg::Connection>(url_);
        pub_->run("BEGIN");  // on failure, the connection is dropped (below)
        pub_->run(
                "INSERT INTO sync_feed (at, source, base_rid, kind, payload) VALUES ($1, $2, $3, "
                "$4, $5) RETURNING seq",
                {util::unix_now(), id_, base_rid, kind, payload})
            .next();
        // Delivered at commit, so a follower woken by it always finds the row.
        pub_->run("SELECT pg_notify('essaim_sync', $1)", {pub_->text(0)});
        pub_->run("COMMIT");
        auto now = std::chrono::steady_clock::now();
        if (now - last_prune_ > 60s) {
            last_prune_ = now;
            pub_->run("DELETE FROM sync_feed WHERE at < $1", {util::unix_now() - kFeedKeepSeconds});
        }
    } catch (const std::exception& e) {
        // The followers see a gap in the chain and ask for a full update.
        spdlog::warn("instance {} : publication de l'état qBittorrent impossible : {}", id_,
                     e.what());
        pub_.reset();
    }
}

}  // namespace essaim::app
