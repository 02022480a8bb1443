// SignInThrottle (auth/throttle.hpp): nobody can lock another person out. LoginThrottle, the
// per-key counter it is made of, is tested in auth_test.cpp.
#include "auth/throttle.hpp"

#include <gtest/gtest.h>

#include <string>

using essaim::auth::SignInThrottle;

namespace {

// Fails one attempt; returns its wait (0 when it was allowed and counted).
std::int64_t fail(SignInThrottle& t, const std::string& user, const std::string& ip,
                  std::int64_t now) {
    auto a = t.begin(user, ip, now);
    if (a.wait() == 0) a.failed(now);
    return a.wait();
}

std::int64_t succeed(SignInThrottle& t, const std::string& user, const std::string& ip,
                     std::int64_t now) {
    auto a = t.begin(user, ip, now);
    if (a.wait() == 0) a.succeeded();
    return a.wait();
}

std::string ip(int i) {
    return "198.51." + std::to_string(i / 256) + "." + std::to_string(i % 256);
}

}  // namespace

TEST(SignInThrottle, FailuresFromOneAddressDoNotLockTheUserElsewhere) {
    SignInThrottle t;
    for (int i = 0; i < 5; ++i) EXPECT_EQ(fail(t, "admin", "127.0.0.2", 100), 0) << i;
    // The 6th attempt from that address waits 5 s, the right password included…
    EXPECT_EQ(t.begin("admin", "127.0.0.2", 100).wait(), 5);
    // …but the user at another address signs in at once.
    EXPECT_EQ(succeed(t, "admin", "127.0.0.1", 100), 0);
    // Then the lock doubles as before for the guessing address.
    EXPECT_EQ(fail(t, "admin", "127.0.0.2", 105), 0);
    EXPECT_EQ(t.begin("admin", "127.0.0.2", 105).wait(), 10);
}

TEST(SignInThrottle, UserNamesAreComparedWithoutCase) {
    SignInThrottle t;
    for (int i = 0; i < 5; ++i) fail(t, i % 2 ? "Admin" : "ADMIN", "10.0.0.1", 100);
    EXPECT_EQ(t.begin("admin", "10.0.0.1", 100).wait(), 5);
}

TEST(SignInThrottle, OneAddressTryingManyUserNamesIsLockedFromTheTwentieth) {
    SignInThrottle t;
    for (int i = 0; i < 20; ++i) EXPECT_EQ(fail(t, "user" + std::to_string(i), "10.0.0.9", 100), 0);
    EXPECT_EQ(t.begin("someone-else", "10.0.0.9", 100).wait(), 5);
    EXPECT_EQ(t.begin("someone-else", "10.0.0.10", 100).wait(), 0);
    // A success on an account of the attacker's own does not reset the address's count.
    {
        SignInThrottle u;
        for (int i = 0; i < 19; ++i) fail(u, "victim" + std::to_string(i), "10.0.0.9", 100);
        EXPECT_EQ(succeed(u, "mine", "10.0.0.9", 100), 0);
        fail(u, "victim", "10.0.0.9", 100);  // the 20th failure
        EXPECT_EQ(u.begin("victim2", "10.0.0.9", 100).wait(), 5);
    }
}

TEST(SignInThrottle, CeilingStopsDistributedGuessingButNotKnownAddresses) {
    SignInThrottle t;
    // The victim signed in from home before the attack.
    EXPECT_EQ(succeed(t, "victim", "203.0.113.7", 50), 0);
    EXPECT_TRUE(t.known("Victim", "203.0.113.7"));
    // 100 addresses, one guess each: none of them reaches its own limits.
    for (int i = 0; i < 100; ++i) EXPECT_EQ(fail(t, "victim", ip(i), 100), 0) << i;
    // Any new address now waits…
    EXPECT_EQ(t.begin("victim", ip(500), 100).wait(), 5);
    EXPECT_EQ(t.begin("victim", "192.0.2.1", 100).wait(), 5);
    // …but the victim at home gets in, during the attack.
    EXPECT_EQ(succeed(t, "victim", "203.0.113.7", 100), 0);
    // Other accounts are not concerned.
    EXPECT_EQ(t.begin("other", ip(500), 100).wait(), 0);
    // The ceiling's lock doubles as the others do, once it is over and a guess fails again.
    EXPECT_EQ(fail(t, "victim", ip(501), 105), 0);
    EXPECT_EQ(t.begin("victim", ip(502), 105).wait(), 10);
    // And a success does not lift it (neither the victim's nor anyone's).
    EXPECT_EQ(t.begin("victim", ip(502), 105).wait(), 10);
}

TEST(SignInThrottle, KnownAddressesNeitherCountNorWaitForTheCeiling) {
    SignInThrottle::Policy p;
    p.user.free_failures = 3;
    SignInThrottle t(p);
    succeed(t, "u", "10.1.1.1", 0);
    // Typos at home: limited by the pair (5 free), not counted towards the ceiling.
    for (int i = 0; i < 4; ++i) EXPECT_EQ(fail(t, "u", "10.1.1.1", 10), 0);
    EXPECT_EQ(t.begin("u", "10.9.9.9", 10).wait(), 0);
}

TEST(SignInThrottle, KnownAddressesAreBounded) {
    SignInThrottle::Policy p;
    p.known_per_user = 2;
    p.known_users = 10;
    SignInThrottle t(p);
    succeed(t, "u", "10.0.0.1", 0);
    succeed(t, "u", "10.0.0.2", 0);
    succeed(t, "u", "10.0.0.1", 0);  // most recent again
    succeed(t, "u", "10.0.0.3", 0);  // pushes out the oldest: 10.0.0.2
    EXPECT_TRUE(t.known("u", "10.0.0.1"));
    EXPECT_TRUE(t.known("u", "10.0.0.3"));
    EXPECT_FALSE(t.known("u", "10.0.0.2"));
    // 1,000 user names: the table stays bounded, the latest ones are remembered.
    for (int i = 0; i < 1000; ++i) succeed(t, "n" + std::to_string(i), "10.0.0.1", 0);
    EXPECT_TRUE(t.known("n999", "10.0.0.1"));
    int remembered = 0;
    for (int i = 0; i < 1000; ++i) remembered += t.known("n" + std::to_string(i), "10.0.0.1");
    EXPECT_LE(remembered, 10);
}

TEST(SignInThrottle, ParallelAttemptsGetNoMoreTriesThanSequentialOnes) {
    SignInThrottle t;
    {
        // Five in flight together (the five free failures); the sixth waits for them.
        auto a1 = t.begin("u", "10.0.0.1", 100), a2 = t.begin("u", "10.0.0.1", 100),
             a3 = t.begin("u", "10.0.0.1", 100), a4 = t.begin("u", "10.0.0.1", 100),
             a5 = t.begin("u", "10.0.0.1", 100);
        for (auto* a : {&a1, &a2, &a3, &a4, &a5}) EXPECT_EQ(a->wait(), 0);
        EXPECT_EQ(t.begin("u", "10.0.0.1", 100).wait(), 1);
        for (auto* a : {&a1, &a2, &a3, &a4, &a5}) a->failed(100);
    }
    EXPECT_EQ(t.begin("u", "10.0.0.1", 100).wait(), 5);
    // Attempts that end without a verdict (an error) free their places.
    SignInThrottle u;
    for (int i = 0; i < 50; ++i) {
        auto a = u.begin("u", "10.0.0.1", 100);
        ASSERT_EQ(a.wait(), 0);
    }
    EXPECT_EQ(u.begin("u", "10.0.0.1", 100).wait(), 0);
}

TEST(SignInThrottle, RefusedAttemptsHoldNothingAndCountNothing) {
    SignInThrottle t;
    for (int i = 0; i < 5; ++i) fail(t, "u", "10.0.0.1", 100);
    for (int i = 0; i < 100; ++i) {
        auto a = t.begin("u", "10.0.0.1", 100);
        ASSERT_GT(a.wait(), 0);
        a.failed(100);  // ignored: it was no attempt
    }
    EXPECT_EQ(t.begin("u", "10.0.0.1", 100).wait(), 5);
    EXPECT_EQ(t.begin("u", "10.0.0.2", 100).wait(), 0);
    EXPECT_EQ(t.begin("v", "10.0.0.1", 100).wait(), 0);  // the address counted 5, not 105
}

TEST(SignInThrottle, Ipv6AddressesCountByTheirSlash64) {
    SignInThrottle t;
    for (int i = 1; i <= 5; ++i) fail(t, "u", "2001:db8:1:2::" + std::to_string(i), 100);
    EXPECT_EQ(t.begin("u", "2001:db8:1:2:ffff::1", 100).wait(), 5);
    EXPECT_EQ(t.begin("u", "2001:db8:1:3::1", 100).wait(), 0);
    // IPv4 (mapped or not) is kept whole.
    for (int i = 1; i <= 5; ++i) fail(t, "v", "::ffff:10.0.0." + std::to_string(i), 100);
    EXPECT_EQ(t.begin("v", "::ffff:10.0.0.9", 100).wait(), 0);
}
