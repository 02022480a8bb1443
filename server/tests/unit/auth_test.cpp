#include "api/errors.hpp"
#include "auth/csrf.hpp"
#include "auth/jwt.hpp"
#include "auth/password.hpp"
#include "auth/throttle.hpp"
#include "auth/validation.hpp"
#include "util/crypto.hpp"

#include <gtest/gtest.h>

using namespace essaim::auth;
namespace c = essaim::crypto;

TEST(Password, HashIsArgon2idAndVerifies) {
    auto h = hash_password("correct horse battery");
    EXPECT_EQ(h.rfind("$argon2id$", 0), 0u);
    EXPECT_TRUE(verify_password(h, "correct horse battery"));
    EXPECT_FALSE(verify_password(h, "correct horse batterY"));
    EXPECT_FALSE(verify_password("not a hash", "x"));
    EXPECT_FALSE(needs_rehash(h));
    EXPECT_NE(hash_password("same password"), hash_password("same password"));  // salted
}

namespace {
SessionClaims claims(std::int64_t exp) {
    return {42, 3, "sid-1", 1000, exp};
}
std::string with_header(const std::string& header_json, const std::string& token) {
    auto dot = token.find('.');
    return c::base64url_encode(header_json) + token.substr(dot);
}
}  // namespace

TEST(Jwt, RoundTrip) {
    auto t = jwt_encode(claims(5000), "k1");
    auto d = jwt_decode(t, "k1", 2000);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->user_id, 42);
    EXPECT_EQ(d->token_version, 3);
    EXPECT_EQ(d->session_id, "sid-1");
    EXPECT_EQ(d->expires_at, 5000);
}

TEST(Jwt, RejectsExpiredWrongKeyAndTampered) {
    auto t = jwt_encode(claims(5000), "k1");
    EXPECT_FALSE(jwt_decode(t, "k1", 5000));  // expiry is exclusive
    EXPECT_FALSE(jwt_decode(t, "k2", 2000));
    auto tampered = t;
    auto p = tampered.find('.') + 3;
    tampered[p] = tampered[p] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(jwt_decode(tampered, "k1", 2000));
    EXPECT_FALSE(jwt_decode(t + "x", "k1", 2000));
    EXPECT_FALSE(jwt_decode("a.b", "k1", 2000));
    EXPECT_FALSE(jwt_decode("a.b.c.d", "k1", 2000));
    EXPECT_FALSE(jwt_decode("", "k1", 2000));
}

TEST(Jwt, RefusesOtherAlgorithms) {
    auto t = jwt_encode(claims(5000), "k1");
    // alg=none with the signature dropped, and alg=HS512 with the original signature.
    auto none = with_header(R"({"alg":"none","typ":"JWT"})", t);
    none = none.substr(0, none.rfind('.') + 1);
    EXPECT_FALSE(jwt_decode(none, "k1", 2000));
    EXPECT_FALSE(jwt_decode(with_header(R"({"alg":"HS512","typ":"JWT"})", t), "k1", 2000));
    EXPECT_FALSE(jwt_decode(with_header(R"({"typ":"JWT"})", t), "k1", 2000));
}

TEST(Csrf, BoundToSessionAndKey) {
    auto tok = csrf_token_for("s1", "key");
    EXPECT_TRUE(csrf_valid(tok, "s1", "key"));
    EXPECT_FALSE(csrf_valid(tok, "s2", "key"));
    EXPECT_FALSE(csrf_valid(tok, "s1", "other"));
    EXPECT_FALSE(csrf_valid("", "s1", "key"));
    EXPECT_FALSE(csrf_valid(tok, "", "key"));
}

TEST(Throttle, FreeFailuresThenDoublingLock) {
    LoginThrottle t({5, 1, 900, 900, 1000});
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(t.retry_after("u", 100), 0);
        t.record_failure("u", 100);
    }
    EXPECT_EQ(t.retry_after("u", 100), 0);  // four failures are free
    t.record_failure("u", 100);             // 5th → the 6th attempt waits 1 s
    EXPECT_EQ(t.retry_after("u", 100), 1);
    EXPECT_EQ(t.retry_after("u", 101), 0);
    t.record_failure("u", 101);  // 6th → 2 s
    EXPECT_EQ(t.retry_after("u", 101), 2);
    t.record_failure("u", 103);  // 7th → 4 s
    EXPECT_EQ(t.retry_after("u", 103), 4);
    EXPECT_EQ(t.retry_after("other", 103), 0);
    t.record_success("u");
    EXPECT_EQ(t.retry_after("u", 103), 0);
}

TEST(Throttle, LockIsCappedAndWindowForgets) {
    LoginThrottle t({2, 1, 60, 30, 1000});
    for (int i = 0; i < 40; ++i) t.record_failure("u", 0);
    EXPECT_EQ(t.retry_after("u", 0), 30);
    EXPECT_EQ(t.retry_after("u", 200), 0);
    t.record_failure("u", 200);  // the window passed: counting restarts, first failure is free
    EXPECT_EQ(t.retry_after("u", 200), 0);
}

TEST(Throttle, DefaultPolicyLocksTheSixthAttemptForFiveSeconds) {
    LoginThrottle t;
    for (int i = 0; i < 5; ++i) t.record_failure("u", 100);
    EXPECT_EQ(t.retry_after("u", 100), 5);
    t.record_failure("u", 105);
    EXPECT_EQ(t.retry_after("u", 105), 10);
}

TEST(Throttle, ParallelAttemptsGetNoMoreTriesThanSequentialOnes) {
    LoginThrottle t({5, 1, 900, 900, 1000});
    // Five attempts may be in flight together (the five free failures); the sixth waits 1 s
    // for them instead of passing the check before any of them has failed.
    for (int i = 0; i < 5; ++i) EXPECT_EQ(t.begin_attempt("u", 100), 0) << i;
    EXPECT_EQ(t.begin_attempt("u", 100), 1);
    for (int i = 0; i < 5; ++i) t.record_failure("u", 100);
    EXPECT_EQ(t.begin_attempt("u", 100), 1);  // now locked by the 5th failure
    EXPECT_EQ(t.retry_after("u", 100), 1);
    // Once the lock is over, one attempt at a time: each could lock the key again.
    EXPECT_EQ(t.begin_attempt("u", 101), 0);
    EXPECT_EQ(t.begin_attempt("u", 101), 1);
    t.end_attempt("u");  // neither failed nor succeeded (an error): the place is free again
    EXPECT_EQ(t.begin_attempt("u", 101), 0);
    t.record_failure("u", 101);  // 6th failure → 2 s
    EXPECT_EQ(t.begin_attempt("u", 101), 2);
    EXPECT_EQ(t.begin_attempt("other", 101), 0);  // other keys are not affected
}

TEST(Throttle, EndedAttemptsLeaveNothingBehind) {
    LoginThrottle t({5, 1, 900, 900, 1000});
    for (int round = 0; round < 100; ++round) {
        ASSERT_EQ(t.begin_attempt("u", 100), 0);
        t.end_attempt("u");
    }
    for (int i = 0; i < 5; ++i) EXPECT_EQ(t.begin_attempt("u", 100), 0);
    t.record_success("u");  // clears the key, attempts still in flight included
    t.end_attempt("u");     // a late end for a cleared key is harmless
    EXPECT_EQ(t.begin_attempt("u", 100), 0);
}

TEST(Throttle, TableIsBounded) {
    LoginThrottle t({5, 1, 900, 900, 100});
    for (int i = 0; i < 1000; ++i) t.record_failure("user" + std::to_string(i), i);
    // The most recent keys are still counted.
    for (int k = 0; k < 5; ++k) t.record_failure("user999", 1000);
    EXPECT_GT(t.retry_after("user999", 1000), 0);
}

TEST(Validation, Username) {
    EXPECT_EQ(validate_username(" alice.b-c_1 "), "alice.b-c_1");
    for (const char* bad :
         {"ab", "", "a b c", "élodie", "x/y", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
        EXPECT_THROW(validate_username(bad), essaim::auth::Denied) << bad;
}

TEST(Validation, PasswordCountsCodePoints) {
    EXPECT_NO_THROW(validate_password("0123456789"));
    EXPECT_THROW(validate_password("012345678"), essaim::auth::Denied);
    EXPECT_NO_THROW(validate_password("éééééééééé"));  // 10 characters, 20 bytes
    try {
        validate_password("short", "new_password");
        FAIL();
    } catch (const essaim::auth::Denied& e) {
        EXPECT_EQ(e.code, "weak_password");
        EXPECT_EQ(e.field, "new_password");
        EXPECT_EQ(e.kind, essaim::auth::Denied::Kind::invalid);
    }
}

TEST(Validation, EmailAndDisplayName) {
    EXPECT_EQ(validate_email(" a@b.fr "), "a@b.fr");
    EXPECT_EQ(validate_email(""), std::nullopt);
    for (const char* bad : {"a", "a@b", "@b.fr", "a@@b.fr", "a b@c.fr", "a@b."})
        EXPECT_THROW(validate_email(bad), essaim::auth::Denied) << bad;
    EXPECT_EQ(validate_display_name("  Élodie  "), "Élodie");
    EXPECT_THROW(validate_display_name("   "), essaim::auth::Denied);
    EXPECT_THROW(validate_display_name(std::string(65, 'x')), essaim::auth::Denied);
    EXPECT_NO_THROW(validate_display_name(std::string(64, 'x')));
    EXPECT_THROW(validate_display_name("a\nb"), essaim::auth::Denied);
}
