#include "qbt/ownership.hpp"

#include "util/clock.hpp"

namespace essaim::qbt {

std::int64_t give_torrents(store::Store& s, Registry& r, std::int64_t from, std::int64_t to) {
    auto moved = s.reassign_torrents(from, to);
    r.rows_rewritten();  // this instance's rows, and the other instances'
    return moved;
}

boost::asio::awaitable<std::vector<std::string>> delete_torrents(Registry& r, Servers& servers,
                                                                 std::int64_t user) {
    auto snap = r.snapshot();
    std::vector<std::string> deleted;
    for (const auto& e : snap->entries) {
        if (e.removed || !e.owner_id || *e.owner_id != user) continue;
        // Also a torrent not seen by the sync loop yet: qBittorrent ignores unknown ids.
        try {
            co_await servers.client(e.server).remove(e.hash, !content_shared_with_others(*snap, e));
        } catch (const QbtError& err) {
            if (err.kind != FailKind::not_found) throw;
        }
        r.mark_removed(e.hash, util::unix_now());
        deleted.push_back(e.hash);
    }
    co_return deleted;
}

}  // namespace essaim::qbt
