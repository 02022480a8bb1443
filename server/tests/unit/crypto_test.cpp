#include "util/crypto.hpp"

#include <gtest/gtest.h>

namespace c = essaim::crypto;

TEST(Crypto, Base64UrlRoundTripAllLengths) {
    for (std::size_t n = 0; n < 40; ++n) {
        auto bytes = c::random_bytes(n);
        auto enc = c::base64url_encode(bytes);
        EXPECT_EQ(enc.find('='), std::string::npos);
        EXPECT_EQ(enc.find('+'), std::string::npos);
        EXPECT_EQ(enc.find('/'), std::string::npos);
        auto dec = c::base64url_decode(enc);
        ASSERT_TRUE(dec.has_value());
        EXPECT_EQ(*dec, bytes);
    }
}

TEST(Crypto, Base64UrlRejectsBadInput) {
    EXPECT_FALSE(c::base64url_decode("ab+c").has_value());
    EXPECT_FALSE(c::base64url_decode("a").has_value());
    EXPECT_FALSE(c::base64url_decode("ab$c").has_value());
    // Non-canonical trailing bits: "QR" would decode to the same byte as "QQ".
    EXPECT_TRUE(c::base64url_decode("QQ").has_value());
    EXPECT_FALSE(c::base64url_decode("QR").has_value());
    EXPECT_EQ(*c::base64url_decode("QQ=="), "A");
}

TEST(Crypto, HmacSha256KnownVector) {
    EXPECT_EQ(c::base64url_encode(c::hmac_sha256("key", "data")),
              "UDH-PZicbRU3oBP6bnOdojRj_a7DtwE32Cjjas4iG9A");
}

TEST(Crypto, DigestsKnownVectors) {
    EXPECT_EQ(c::hex_encode(c::sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(c::hex_encode(c::sha256("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // The nginx secure_link recipe from shared/notes/nginx-secure-link.md.
    EXPECT_EQ(
        c::base64url_encode(c::md5("2000000000/dl/Dossier été [2024] #1/épisode 01.mkv SECRET")),
        "Dz8YzKHr0-5qgu1u6GC0Xg");
}

TEST(Crypto, Pbkdf2Sha512MatchesPython) {
    auto dk = c::pbkdf2_sha512("adminadmin", "0123456789abcdef", 100000, 64);
    EXPECT_EQ(
        c::base64_encode(dk),
        "ZZS5EElovMoBVYDjMAaPI3BYalEsuNQNBCv4gjnI6KDYLC66zug9YBa5FIuP+3n/qFDM467FTFd4KkOdsg0Ugw==");
}

TEST(Crypto, ConstantTimeEqual) {
    EXPECT_TRUE(c::constant_time_equal("abc", "abc"));
    EXPECT_FALSE(c::constant_time_equal("abc", "abd"));
    EXPECT_FALSE(c::constant_time_equal("abc", "abcd"));
    EXPECT_TRUE(c::constant_time_equal("", ""));
}

TEST(Crypto, RandomTokensDiffer) {
    EXPECT_NE(c::random_token(16), c::random_token(16));
    EXPECT_EQ(c::random_token(15).size(), 20u);
}
