#include "net/cidr.hpp"

#include <gtest/gtest.h>

namespace n = essaim::net;

TEST(Cidr, RangesMatchTheirAddressesOnly) {
    auto r = n::parse_cidrs("10.0.0.0/8, 192.168.1.7\nfd00::/8  127.0.0.1/32");
    ASSERT_EQ(r.size(), 4u);
    for (const char* in :
         {"10.1.2.3", "10.255.255.255", "192.168.1.7", "fd12::1", "127.0.0.1", "::ffff:10.0.0.1"})
        EXPECT_TRUE(n::contains(r, in)) << in;
    for (const char* out : {"11.0.0.1", "192.168.1.8", "fe80::1", "127.0.0.2", "::1", "",
                            "pas-une-adresse", "::ffff:11.0.0.1"})
        EXPECT_FALSE(n::contains(r, out)) << out;
    EXPECT_TRUE(n::contains(n::parse_cidrs("0.0.0.0/0"), "8.8.8.8"));
    EXPECT_TRUE(n::contains(n::parse_cidrs("10.1.2.3/8"), "10.9.9.9"));  // host bits ignored
    EXPECT_TRUE(n::contains(n::parse_cidrs("172.16.0.0/12"), "172.31.255.1"));
    EXPECT_FALSE(n::contains(n::parse_cidrs("172.16.0.0/12"), "172.32.0.1"));
    EXPECT_TRUE(n::parse_cidrs("").empty());
    EXPECT_TRUE(n::parse_cidrs(" , \n").empty());
}

TEST(Cidr, NonsenseIsRefusedInFrench) {
    for (const char* bad : {"10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/x", "exemple.org",
                            "10.0.0.0/-1", "1.2.3"}) {
        try {
            n::parse_cidrs(bad);
            ADD_FAILURE() << bad;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("plage CIDR"), std::string::npos);
        }
    }
}
