#include "qbt/mover.hpp"

#include "download/layout.hpp"
#include "util/clock.hpp"
#include "util/strings.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include <ctime>

namespace essaim::qbt {
namespace asio = boost::asio;

std::size_t MoveReport::count(const char* status) const {
    std::size_t n = 0;
    for (const auto& i : items) n += i.status == status;
    return n;
}

std::vector<MoveItem> StorageMover::plan(const Snapshot& snap, const std::string& root,
                                         const std::vector<std::string>& hashes) {
    std::vector<MoveItem> out;
    for (const auto& e : snap.entries) {
        // Torrents of the shared root are from before per-user folders, when essaim had one
        // server: server 1's.
        if (!e.in_qbt || e.removed || e.placement != download::Placement::shared || e.server != 1)
            continue;
        if (!hashes.empty()) {
            bool wanted = false;
            for (const auto& h : hashes) {
                auto k = str::to_lower(h);
                wanted |= k == e.hash || k == e.hash_v1 || k == e.hash_v2;
            }
            if (!wanted) continue;
        }
        auto to = download::user_dir(root, e.owner_folder);
        if (to.empty()) continue;  // no owner (or no folder): nowhere to go
        out.push_back({e.hash, e.name, e.owner_id, e.save_path, to, "waiting", ""});
    }
    return out;
}

bool StorageMover::start(asio::any_io_executor ex, std::vector<MoveItem> items, Refresh refresh) {
    {
        std::lock_guard lock(mu_);
        if (report_.running || items.empty()) return false;
        report_ = MoveReport{true, util::unix_now(), 0, items};
    }
    asio::co_spawn(
        ex,
        [this, items = std::move(items),
         refresh = std::move(refresh)]() mutable -> asio::awaitable<void> {
            co_await run(items, refresh, [this](const MoveItem& it) {
                std::lock_guard lock(mu_);
                for (auto& r : report_.items)
                    if (r.hash == it.hash) r = it;
            });
            std::lock_guard lock(mu_);
            report_.running = false;
            report_.finished_at = util::unix_now();
        },
        asio::detached);
    return true;
}

MoveReport StorageMover::report() const {
    std::lock_guard lock(mu_);
    return report_;
}

asio::awaitable<void> StorageMover::run(std::vector<MoveItem>& items, Refresh refresh,
                                        Progress progress) {
    auto ex = co_await asio::this_coro::executor;
    for (auto& item : items) {
        item.status = "moving";
        progress(item);
        try {
            co_await client_.set_location(item.hash, item.to);
        } catch (const QbtError& e) {
            spdlog::warn("déplacement de {} vers {} refusé par qBittorrent : {}", item.hash,
                         item.to, e.what());
            item.status = "failed";
            item.message = "qBittorrent a refusé le déplacement (droits sur le dossier ?).";
            progress(item);
            continue;
        }
        auto deadline = std::chrono::steady_clock::now() + kMoveTimeout;
        for (;;) {
            co_await refresh();
            auto snap = registry_.snapshot();
            const auto* e = snap->find(item.hash);
            if (!e || !e->in_qbt || e->removed) {
                item.status = "failed";
                item.message = "Le torrent a disparu de qBittorrent pendant le déplacement.";
                break;
            }
            if (e->placement == download::Placement::user_folder && e->state != "moving" &&
                e->state != "checking") {
                item.status = e->state == "error" ? "failed" : "done";
                if (item.status == "failed")
                    item.message =
                        "qBittorrent signale une erreur sur ce torrent après son "
                        "déplacement.";
                break;
            }
            if (e->state == "error") {
                item.status = "failed";
                item.message = "qBittorrent signale une erreur pendant le déplacement.";
                break;
            }
            if (std::chrono::steady_clock::now() > deadline) {
                item.status = "failed";
                item.message = "Le déplacement n'est pas terminé après 30 minutes.";
                break;
            }
            asio::steady_timer pause(ex, std::chrono::milliseconds(500));
            co_await pause.async_wait(asio::use_awaitable);
        }
        spdlog::info("déplacement de {} ({}) vers {} : {}", item.hash, item.name, item.to,
                     item.status == "done" ? "terminé" : item.message);
        progress(item);
    }
}

}  // namespace essaim::qbt
