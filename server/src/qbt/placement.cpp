#include "qbt/placement.hpp"

#include <algorithm>
#include <tuple>

namespace essaim::qbt {

std::optional<std::int64_t> choose_server(const std::vector<Candidate>& servers,
                                          const std::vector<std::int64_t>& allowed,
                                          std::optional<std::int64_t> size) {
    const Candidate* best = nullptr;
    auto key = [](const Candidate& c) {
        // Fewest torrents, then most free space (unknown counts as none), then lowest id.
        return std::tuple(c.torrents, -std::max<std::int64_t>(c.free_space, 0), c.id);
    };
    for (const auto& c : servers) {
        if (!c.active || !c.answering) continue;
        if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), c.id) == allowed.end())
            continue;
        // 0 is what qBittorrent reports before it has measured its disk: unknown, like -1.
        if (c.free_space > 0 && c.free_space < size.value_or(0) + kFreeMargin) continue;
        if (!best || key(c) < key(*best)) best = &c;
    }
    if (!best) return std::nullopt;
    return best->id;
}

}  // namespace essaim::qbt
