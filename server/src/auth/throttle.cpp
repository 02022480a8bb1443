#include "auth/throttle.hpp"

#include "util/strings.hpp"

#include <boost/asio/ip/address.hpp>

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

SignInThrottle::SignInThrottle(Policy p)
    : policy_(p), pair_(p.pair), address_(p.address), user_(p.user) {}

std::string SignInThrottle::user_key(std::string_view user_name) {
    // Longer names cannot exist (auth/validation.hpp): cut them, the key stays small.
    return str::to_lower(user_name.substr(0, 65));
}

std::string SignInThrottle::address_key(std::string_view address) {
    boost::system::error_code ec;
    auto a = boost::asio::ip::make_address(std::string(address), ec);
    if (ec || !a.is_v6() || a.to_v6().is_v4_mapped()) return std::string(address);
    auto b = a.to_v6().to_bytes();
    std::fill(b.begin() + 8, b.end(), 0);
    return boost::asio::ip::address_v6(b).to_string() + "/64";
}

bool SignInThrottle::is_known(const std::string& user, const std::string& address) {
    std::lock_guard lock(mu_);
    auto it = known_.find(user);
    if (it == known_.end()) return false;
    const auto& list = it->second.addresses;
    return std::find(list.begin(), list.end(), address) != list.end();
}

void SignInThrottle::remember(const std::string& user, const std::string& address) {
    std::lock_guard lock(mu_);
    if (!known_.contains(user) && known_.size() >= policy_.known_users) {
        // Full: forget the user names that signed in least recently (half of them).
        std::vector<std::pair<std::uint64_t, std::string>> by_use;
        for (auto& [k, e] : known_) by_use.emplace_back(e.last_use, k);
        std::sort(by_use.begin(), by_use.end());
        for (std::size_t i = 0; i < std::max<std::size_t>(1, by_use.size() / 2); ++i)
            known_.erase(by_use[i].second);
    }
    auto& e = known_[user];
    e.last_use = ++uses_;
    std::erase(e.addresses, address);
    e.addresses.push_front(address);
    while (e.addresses.size() > policy_.known_per_user) e.addresses.pop_back();
}

SignInThrottle::Attempt::Attempt(SignInThrottle& t, std::string user, std::string address,
                                 std::int64_t now)
    : t_(t), user_(std::move(user)), address_(std::move(address)) {
    pair_key_ = user_;
    pair_key_ += '\n';
    pair_key_ += address_;
    auto wait_pair = t_.pair_.begin_attempt(pair_key_, now);
    pair_open_ = wait_pair == 0;
    auto wait_address = t_.address_.begin_attempt(address_, now);
    address_open_ = wait_address == 0;
    // An address that signed in to this account before is not concerned by the ceiling: it
    // neither counts towards it nor waits for it.
    std::int64_t wait_user = 0;
    if (!t_.is_known(user_, address_)) {
        wait_user = t_.user_.begin_attempt(user_, now);
        user_open_ = wait_user == 0;
    }
    wait_ = std::max({wait_pair, wait_address, wait_user});
    if (wait_ > 0) end();
}

void SignInThrottle::Attempt::failed(std::int64_t now) {
    if (wait_ > 0) return;  // refused: it was no attempt
    if (pair_open_) t_.pair_.record_failure(pair_key_, now);
    if (address_open_) t_.address_.record_failure(address_, now);
    if (user_open_) t_.user_.record_failure(user_, now);
    pair_open_ = address_open_ = user_open_ = false;
}

void SignInThrottle::Attempt::succeeded() {
    if (wait_ > 0) return;
    if (pair_open_) t_.pair_.record_success(pair_key_);
    pair_open_ = false;
    end();
    t_.remember(user_, address_);
}

void SignInThrottle::Attempt::end() {
    if (pair_open_) t_.pair_.end_attempt(pair_key_);
    if (address_open_) t_.address_.end_attempt(address_);
    if (user_open_) t_.user_.end_attempt(user_);
    pair_open_ = address_open_ = user_open_ = false;
}

}  // namespace essaim::auth
