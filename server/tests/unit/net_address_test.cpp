#include "net/address.hpp"

#include <gtest/gtest.h>

#include <netdb.h>
#include <sys/socket.h>

#include <memory>
#include <string>
#include <vector>

using essaim::net::AddressClass;
using essaim::net::classify;
using essaim::net::is_public;

namespace {

AddressClass cls(const char* ip) {
    return classify(boost::asio::ip::make_address(ip));
}

// What the system resolver makes of a host name (numeric forms only: no network needed).
std::vector<std::string> resolved(const char* host) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (::getaddrinfo(host, nullptr, &hints, &res) != 0) return {};
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> guard(res, &::freeaddrinfo);
    std::vector<std::string> out;
    for (auto* p = res; p; p = p->ai_next) {
        char ip[NI_MAXHOST] = {};
        if (::getnameinfo(p->ai_addr, p->ai_addrlen, ip, sizeof ip, nullptr, 0, NI_NUMERICHOST) ==
            0)
            out.emplace_back(ip);
    }
    return out;
}

}  // namespace

TEST(NetAddress, PublicAddresses) {
    for (const char* ip :
         {"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "172.15.255.255", "100.63.255.255",
          "100.128.0.1", "192.169.0.1", "169.253.255.255", "223.255.255.255", "11.0.0.1",
          "2606:4700:4700::1111", "2a00:1450::1", "2001:4860:4860::8888", "::ffff:8.8.8.8",
          "64:ff9b::808:808", "2002:808:808::1"})
        EXPECT_TRUE(is_public(ip)) << ip;
}

TEST(NetAddress, Ipv4Classes) {
    EXPECT_EQ(cls("127.0.0.1"), AddressClass::loopback);
    EXPECT_EQ(cls("127.255.255.254"), AddressClass::loopback);
    EXPECT_EQ(cls("10.1.2.3"), AddressClass::private_network);
    EXPECT_EQ(cls("172.16.0.1"), AddressClass::private_network);
    EXPECT_EQ(cls("172.31.255.255"), AddressClass::private_network);
    EXPECT_EQ(cls("192.168.1.1"), AddressClass::private_network);
    EXPECT_EQ(cls("100.64.0.1"), AddressClass::shared);
    EXPECT_EQ(cls("100.127.255.255"), AddressClass::shared);
    EXPECT_EQ(cls("169.254.169.254"), AddressClass::link_local);  // cloud metadata
    EXPECT_EQ(cls("0.0.0.0"), AddressClass::unspecified);
    EXPECT_EQ(cls("0.1.2.3"), AddressClass::unspecified);
    EXPECT_EQ(cls("224.0.0.1"), AddressClass::multicast);
    EXPECT_EQ(cls("239.255.255.250"), AddressClass::multicast);
    EXPECT_EQ(cls("240.0.0.1"), AddressClass::reserved);
    EXPECT_EQ(cls("255.255.255.254"), AddressClass::reserved);
    EXPECT_EQ(cls("255.255.255.255"), AddressClass::broadcast);
    EXPECT_EQ(cls("192.0.2.1"), AddressClass::documentation);
    EXPECT_EQ(cls("198.51.100.7"), AddressClass::documentation);
    EXPECT_EQ(cls("203.0.113.200"), AddressClass::documentation);
    EXPECT_EQ(cls("192.0.0.170"), AddressClass::reserved);
    EXPECT_EQ(cls("198.18.0.1"), AddressClass::reserved);
    EXPECT_EQ(cls("198.19.255.255"), AddressClass::reserved);
    EXPECT_EQ(cls("192.88.99.1"), AddressClass::reserved);
}

TEST(NetAddress, Ipv6Classes) {
    EXPECT_EQ(cls("::"), AddressClass::unspecified);
    EXPECT_EQ(cls("::1"), AddressClass::loopback);
    EXPECT_EQ(cls("fd00::1"), AddressClass::private_network);
    EXPECT_EQ(cls("fc00::1"), AddressClass::private_network);
    EXPECT_EQ(cls("fec0::1"), AddressClass::private_network);
    EXPECT_EQ(cls("fe80::1"), AddressClass::link_local);
    EXPECT_EQ(cls("febf::1"), AddressClass::link_local);
    EXPECT_EQ(cls("ff02::1"), AddressClass::multicast);
    EXPECT_EQ(cls("2001:db8::1"), AddressClass::documentation);
    EXPECT_EQ(cls("3fff::1"), AddressClass::documentation);
    EXPECT_EQ(cls("2001::1"), AddressClass::reserved);     // Teredo
    EXPECT_EQ(cls("2001:10::1"), AddressClass::reserved);  // ORCHID
    EXPECT_EQ(cls("100::1"), AddressClass::reserved);      // discard-only
    EXPECT_EQ(cls("4000::1"), AddressClass::reserved);     // outside 2000::/3
    EXPECT_EQ(cls("64:ff9b:1::1"), AddressClass::private_network);
    EXPECT_FALSE(is_public("fe80::1%lo"));
}

TEST(NetAddress, EmbeddedIpv4IsJudged) {
    // IPv4-mapped.
    EXPECT_EQ(cls("::ffff:127.0.0.1"), AddressClass::loopback);
    EXPECT_EQ(cls("::ffff:7f00:1"), AddressClass::loopback);
    EXPECT_EQ(cls("::ffff:10.0.0.1"), AddressClass::private_network);
    EXPECT_EQ(cls("::ffff:169.254.169.254"), AddressClass::link_local);
    EXPECT_EQ(cls("::ffff:0.0.0.0"), AddressClass::unspecified);
    // IPv4-compatible (deprecated): never public, whatever it holds.
    EXPECT_EQ(cls("::127.0.0.1"), AddressClass::loopback);
    EXPECT_EQ(cls("::192.168.0.1"), AddressClass::private_network);
    EXPECT_EQ(cls("::8.8.8.8"), AddressClass::reserved);
    // NAT64.
    EXPECT_EQ(cls("64:ff9b::7f00:1"), AddressClass::loopback);
    EXPECT_EQ(cls("64:ff9b::a9fe:a9fe"), AddressClass::link_local);
    EXPECT_EQ(cls("64:ff9b::c0a8:101"), AddressClass::private_network);
    // 6to4.
    EXPECT_EQ(cls("2002:7f00:1::1"), AddressClass::loopback);
    EXPECT_EQ(cls("2002:a9fe:a9fe::"), AddressClass::link_local);
    EXPECT_EQ(cls("2002:c0a8:0101::5"), AddressClass::private_network);
    // IPv4-translated ::ffff:0:a.b.c.d and other ::/80 forms: reserved.
    EXPECT_EQ(cls("::ffff:0:808:808"), AddressClass::reserved);
}

TEST(NetAddress, TextThatIsNotAnAddressIsNotPublic) {
    for (const char* s : {"", "localhost", "example.org", "127.1", "0x7f000001", "2130706433",
                          "1.2.3", "[::1]", "8.8.8.8:80", "nonsense"})
        EXPECT_FALSE(is_public(s)) << s;
}

TEST(NetAddress, ShorthandHostsResolveToLoopback) {
    // Host names in URLs that are really IPv4 addresses in inet_aton's other spellings: the
    // resolver turns them into 127.0.0.1, which is then refused like any loopback address.
    for (const char* host : {"127.1", "0x7f000001", "2130706433", "0177.0.0.1", "127.0.1"}) {
        auto ips = resolved(host);
        ASSERT_FALSE(ips.empty()) << host;
        for (const auto& ip : ips) {
            EXPECT_EQ(ip, "127.0.0.1") << host;
            EXPECT_FALSE(is_public(ip)) << host << " → " << ip;
        }
    }
    for (const auto& ip : resolved("::ffff:127.0.0.1")) EXPECT_FALSE(is_public(ip)) << ip;
    for (const auto& ip : resolved("169.254.169.254")) EXPECT_FALSE(is_public(ip)) << ip;
}
