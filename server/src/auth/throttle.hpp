// Login throttling, per key (a user name, an IP address). Pure and clock-injected.
//
// The `free_failures`-th failure in the window locks the key for `base_lock` seconds, each
// further one doubles the lock-out (10 s, 20 s, … capped at max_lock): with 5, the sixth attempt
// is refused for 5 s. A success
// clears the key. Entries expire after `window` of quiet, and the table is bounded so a flood of
// random user names cannot grow it without limit (oldest entries are dropped first).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace essaim::auth {

class LoginThrottle {
  public:
    struct Policy {
        int free_failures = 5;
        std::int64_t base_lock = 5;
        std::int64_t window = 15 * 60;
        std::int64_t max_lock = 15 * 60;
        std::size_t max_entries = 100000;
    };
    LoginThrottle() : LoginThrottle(Policy{}) {}
    explicit LoginThrottle(Policy p) : policy_(p) {}

    // Seconds the caller must still wait (0 = may try now).
    std::int64_t retry_after(const std::string& key, std::int64_t now);
    void record_failure(const std::string& key, std::int64_t now);
    void record_success(const std::string& key);

  private:
    struct Entry {
        int failures = 0;
        std::int64_t last_failure = 0;
        std::int64_t locked_until = 0;
    };
    void prune(std::int64_t now);
    Policy policy_;
    std::mutex mu_;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace essaim::auth
