// Login throttling, per key (a user name, an IP address). Pure and clock-injected.
//
// The `free_failures`-th failure in the window locks the key for `base_lock` seconds, each
// further one doubles the lock-out (10 s, 20 s, … capped at max_lock): with 5, the sixth attempt
// is refused for 5 s. A success
// clears the key. Entries expire after `window` of quiet, and the table is bounded so a flood of
// random user names cannot grow it without limit (oldest entries are dropped first).
//
// Concurrent attempts: begin_attempt() checks the lock AND counts the attempt as in flight in one
// step, so a burst of parallel attempts gets no more tries than the same attempts made one after
// the other (the check and the failure are otherwise separated by the password hash's time).
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
    // Like retry_after, and when it is 0 the attempt is counted as in flight until
    // record_failure(), record_success() or end_attempt(). Attempts in flight count as failures
    // to come: when they could use up the free failures (and at most one at a time once they are
    // used up), the caller waits 1 s for them to finish.
    std::int64_t begin_attempt(const std::string& key, std::int64_t now);
    // Ends an attempt in flight that neither failed nor cleared the key.
    void end_attempt(const std::string& key);
    void record_failure(const std::string& key, std::int64_t now);
    void record_success(const std::string& key);

  private:
    struct Entry {
        int failures = 0;
        std::int64_t last_failure = 0;
        std::int64_t locked_until = 0;
        int in_flight = 0;
    };
    void prune(std::int64_t now);
    Policy policy_;
    std::mutex mu_;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace essaim::auth
