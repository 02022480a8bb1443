#include "qbt/limit_enforcer.hpp"

#include "auth/limits.hpp"
#include "qbt/usage.hpp"
#include "store/audit.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/json.hpp>

#include <map>

namespace essaim::qbt {
namespace asio = boost::asio;

void LimitEnforcer::attach() {
    registry_.on_change([this](const Change& c) {
        // Cheap test under the registry's lock; the work happens on the I/O context.
        if (active_ && !active_()) return;
        for (const auto& e : c.snapshot->entries)
            if (!e.size_checked || e.limit_state == "queued") {
                schedule();
                return;
            }
    });
}

void LimitEnforcer::schedule() {
    if (running_.exchange(true)) {
        again_ = true;
        return;
    }
    asio::co_spawn(ex_, pass(), [this](std::exception_ptr ep) {
        if (ep) try {
                std::rethrow_exception(ep);
            } catch (const std::exception& e) {
                spdlog::warn("limites des groupes : {}", e.what());
            }
        running_ = false;
        if (again_.exchange(false)) schedule();
    });
}

asio::awaitable<void> LimitEnforcer::pass() {
    auto snap = registry_.snapshot();
    std::map<std::int64_t, std::optional<store::User>> owners;
    auto owner = [&](std::int64_t id) -> const std::optional<store::User>& {
        auto it = owners.find(id);
        if (it == owners.end()) it = owners.emplace(id, store_.user_by_id(id)).first;
        return it->second;
    };

    // 1. Magnets whose size is now known.
    for (const auto& e : snap->entries) {
        if (e.size_checked || !e.owner_id || e.removed || !e.in_qbt) continue;
        if (e.state == "metadata" || e.size <= 0) continue;
        const auto& u = owner(*e.owner_id);
        if (!u) {
            registry_.set_limit(e.row_id, e.limit_state, "", true);
            continue;
        }
        auto limits = auth::parse_limits(u->limits_json);
        auto no = auth::check_size_known(limits, usage_of(*snap, u->id), e.size);
        if (!no) {
            registry_.set_limit(e.row_id, e.limit_state, "", true);
            continue;
        }
        try {
            co_await servers_.client(e.server).pause(e.hash);
        } catch (const QbtError& err) {
            spdlog::warn("limite : arrêt de {} impossible : {}", e.hash, err.what());
            continue;  // retried on the next change
        }
        registry_.set_limit(e.row_id, "stopped", no->message, true);
        store::audit(store_, store::Actor::system("essaim"), "torrent.limit_stop", "torrent",
                     e.hash, {{"owner", u->username}, {"code", no->code}, {"size", e.size}});
        spdlog::info("torrent {} de {} arrêté : {}", e.hash, u->username, no->message);
        if (on_stopped_) {
            auto name = e.name;
            on_stopped_({0, u->id, "limit_stopped", e.hash, name,
                         "« " + name + " » : " + no->message, 0, std::nullopt});
        }
    }

    // 2. Queued torrents: start them, oldest first, while their owner has free slots.
    std::map<std::int64_t, std::vector<const Entry*>> queued;
    for (const auto& e : snap->entries)
        if (e.limit_state == "queued" && e.owner_id && !e.removed && e.in_qbt)
            queued[*e.owner_id].push_back(&e);
    for (auto& [uid, list] : queued) {
        const auto& u = owner(uid);
        auto limits = u ? auth::parse_limits(u->limits_json) : auth::Limits{};
        auto active = usage_of(*snap, uid).active;
        for (const auto* e : list) {
            if (is_active(*e) || e->progress >= 1.0) {
                // Started by hand, or finished: no longer waiting.
                registry_.set_limit(e->row_id, "", "", e->size_checked);
                continue;
            }
            if (limits.max_active && active >= *limits.max_active) break;
            try {
                co_await servers_.client(e->server).resume(e->hash);
            } catch (const QbtError& err) {
                spdlog::warn("file d'attente : démarrage de {} impossible : {}", e->hash,
                             err.what());
                break;
            }
            ++active;
            registry_.set_limit(e->row_id, "", "", e->size_checked);
        }
    }
}

}  // namespace essaim::qbt
