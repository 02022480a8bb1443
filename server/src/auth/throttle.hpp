// Sign-in throttling. Pure and clock-injected; every method may be called from any thread.
//
// LoginThrottle counts failures per key. The `free_failures`-th failure in the window locks the
// key for `base_lock` seconds, each further one doubles the lock-out (10 s, 20 s, … capped at
// max_lock): with 5, the sixth attempt is refused for 5 s. A success clears the key. Entries
// expire after `window` of quiet, and the table is bounded so a flood of random user names
// cannot grow it without limit (oldest entries are dropped first).
//
// Concurrent attempts: begin_attempt() checks the lock AND counts the attempt as in flight in one
// step, so a burst of parallel attempts gets no more tries than the same attempts made one after
// the other (the check and the failure are otherwise separated by the password hash's time).
//
// SignInThrottle combines three of them so that nobody can lock another person out:
//   - per (user name, address): 5 free failures, then the doubling lock. Guessing a user's
//     password from one address locks that pair only: the user signs in from elsewhere;
//   - per address: the same from 20 failures, whatever the user names (one address trying many
//     accounts);
//   - per user name, a ceiling against guessing from many addresses: 100 failures in 15 min
//     from addresses that never signed in to that account, then the doubling lock — which
//     applies only to such addresses. The last `known_per_user` addresses that signed in
//     successfully to a user name are remembered (in memory, bounded) and pass the ceiling, so
//     the user at their usual address still gets in during a distributed attack.
// Used by POST /api/auth/login and by the current-password check of POST /api/me/password, with
// the same keys: both are ways to test a password.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
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

class SignInThrottle {
  public:
    struct Policy {
        LoginThrottle::Policy pair{5, 5, 15 * 60, 15 * 60, 100000};
        LoginThrottle::Policy address{20, 5, 15 * 60, 15 * 60, 100000};
        LoginThrottle::Policy user{100, 5, 15 * 60, 15 * 60, 100000};
        std::size_t known_per_user = 8;  // addresses remembered per user name
        std::size_t known_users = 100000;
    };
    SignInThrottle() : SignInThrottle(Policy{}) {}
    explicit SignInThrottle(Policy p);

    // One password check, in flight in every throttle that concerns it from begin() until it
    // is settled. wait() > 0: refused (nothing is held), answer 429 with Retry-After = wait().
    // Otherwise call failed() or succeeded(); anything else (an error, a disabled account)
    // frees the places without counting, at the latest in the destructor.
    class Attempt {
      public:
        Attempt(const Attempt&) = delete;
        Attempt& operator=(const Attempt&) = delete;
        ~Attempt() { end(); }
        std::int64_t wait() const { return wait_; }
        void failed(std::int64_t now);
        // Clears the pair's failures and remembers the address for this user name. Neither the
        // address's count nor the user name's ceiling is cleared: an attacker cannot reset
        // them by signing in to an account of their own, nor the victim end an attack.
        void succeeded();
        void end();

      private:
        friend class SignInThrottle;
        Attempt(SignInThrottle& t, std::string user, std::string address, std::int64_t now);
        SignInThrottle& t_;
        std::string user_, address_, pair_key_;
        bool pair_open_ = false, address_open_ = false, user_open_ = false;
        std::int64_t wait_ = 0;
    };

    // `user_name` as typed (compared without case), `address` the client's address. IPv6
    // addresses count by their /64 (one host or home network, where a client picks any).
    Attempt begin(std::string_view user_name, std::string_view address, std::int64_t now) {
        return Attempt(*this, user_key(user_name), address_key(address), now);
    }
    // Has this address signed in to this user name (among the last known_per_user)?
    bool known(std::string_view user_name, std::string_view address) {
        return is_known(user_key(user_name), address_key(address));
    }

  private:
    static std::string user_key(std::string_view user_name);
    static std::string address_key(std::string_view address);
    bool is_known(const std::string& user, const std::string& address);
    void remember(const std::string& user, const std::string& address);

    Policy policy_;
    LoginThrottle pair_, address_, user_;
    std::mutex mu_;  // known_
    struct Known {
        std::deque<std::string> addresses;  // most recent first
        std::uint64_t last_use = 0;
    };
    std::unordered_map<std::string, Known> known_;
    std::uint64_t uses_ = 0;
};

}  // namespace essaim::auth
