#include "auth/throttle.hpp"

#include <algorithm>
#include <vector>

namespace essaim::auth {

std::int64_t LoginThrottle::retry_after(const std::string& key, std::int64_t now) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return 0;
    if (now - it->second.last_failure > policy_.window && it->second.locked_until <= now) {
        entries_.erase(it);
        return 0;
    }
    return std::max<std::int64_t>(0, it->second.locked_until - now);
}

std::int64_t LoginThrottle::begin_attempt(const std::string& key, std::int64_t now) {
    std::lock_guard lock(mu_);
    if (entries_.size() >= policy_.max_entries) prune(now);
    auto& e = entries_[key];
    if (e.failures > 0 && now - e.last_failure > policy_.window && e.locked_until <= now) {
        e.failures = 0;
        e.locked_until = 0;
    }
    if (e.locked_until > now) return e.locked_until - now;
    if (e.in_flight >= std::max(1, policy_.free_failures - e.failures)) return 1;
    ++e.in_flight;
    return 0;
}

void LoginThrottle::end_attempt(const std::string& key) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return;
    if (it->second.in_flight > 0) --it->second.in_flight;
    if (it->second.in_flight == 0 && it->second.failures == 0) entries_.erase(it);
}

void LoginThrottle::record_failure(const std::string& key, std::int64_t now) {
    std::lock_guard lock(mu_);
    if (entries_.size() >= policy_.max_entries) prune(now);
    auto& e = entries_[key];
    if (e.in_flight > 0) --e.in_flight;
    if (e.failures > 0 && now - e.last_failure > policy_.window) {
        e.failures = 0;
        e.locked_until = 0;
    }
    e.failures += 1;
    e.last_failure = now;
    // From the `free_failures`-th failure on, each failure locks the key: base, 2×, 4×, …
    int over = e.failures - policy_.free_failures + 1;
    if (over > 0) {
        std::int64_t lock =
            over >= 24 ? policy_.max_lock : policy_.base_lock * (std::int64_t{1} << (over - 1));
        e.locked_until = now + std::min(lock, policy_.max_lock);
    }
}

void LoginThrottle::record_success(const std::string& key) {
    std::lock_guard lock(mu_);
    entries_.erase(key);
}

void LoginThrottle::prune(std::int64_t now) {
    for (auto it = entries_.begin(); it != entries_.end();) {
        if (now - it->second.last_failure > policy_.window && it->second.locked_until <= now &&
            it->second.in_flight == 0)
            it = entries_.erase(it);
        else
            ++it;
    }
    // Still full: drop the oldest half rather than refusing to count.
    if (entries_.size() >= policy_.max_entries) {
        std::vector<std::pair<std::int64_t, std::string>> by_age;
        for (auto& [k, e] : entries_) by_age.emplace_back(e.last_failure, k);
        std::sort(by_age.begin(), by_age.end());
        for (std::size_t i = 0; i < by_age.size() / 2; ++i) entries_.erase(by_age[i].second);
    }
}

}  // namespace essaim::auth
