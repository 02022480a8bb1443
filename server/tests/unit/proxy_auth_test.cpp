#include "auth/proxy_auth.hpp"

#include <gtest/gtest.h>

namespace a = essaim::auth;

namespace {

essaim::http::Request from(std::string ip, std::string value) {
    essaim::http::Request r;
    r.method = "GET";
    r.path = "/api/auth/proxy";
    r.remote_ip = std::move(ip);
    r.headers.emplace_back("remote-user", std::move(value));
    return r;
}

}  // namespace

TEST(ProxyAuth, TheHeaderCountsOnlyFromATrustedProxy) {
    a::ProxyAuth p{"remote-user", essaim::net::parse_cidrs("10.0.0.5, fd00::/8")};
    ASSERT_TRUE(p.enabled());
    EXPECT_EQ(a::proxy_user(p, from("10.0.0.5", " alice ")), "alice");
    EXPECT_EQ(a::proxy_user(p, from("::ffff:10.0.0.5", "alice")), "alice");
    EXPECT_EQ(a::proxy_user(p, from("fd00::7", "alice")), "alice");
    EXPECT_FALSE(a::proxy_user(p, from("10.0.0.6", "alice")));  // anyone else: ignored
    EXPECT_FALSE(a::proxy_user(p, from("127.0.0.1", "alice")));
    EXPECT_FALSE(a::proxy_user(p, from("10.0.0.5", "")));
    EXPECT_FALSE(a::proxy_user(p, from("10.0.0.5", std::string(256, 'a'))));
    EXPECT_FALSE(a::proxy_user(p, from("10.0.0.5", "al\x01ice")));
    // Off while the header or the proxies are missing.
    EXPECT_FALSE(a::proxy_user({"", p.trusted}, from("10.0.0.5", "alice")));
    EXPECT_FALSE(a::proxy_user({"remote-user", {}}, from("10.0.0.5", "alice")));
}
