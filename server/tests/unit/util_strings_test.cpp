#include "util/strings.hpp"

#include <gtest/gtest.h>

using namespace essaim;

TEST(Strings, ParseUintAcceptsOnlyPlainDigits) {
    EXPECT_EQ(str::parse_uint("0"), 0);
    EXPECT_EQ(str::parse_uint("42"), 42);
    EXPECT_EQ(str::parse_uint("999999999999999999"), 999999999999999999LL);
    for (const char* bad :
         {"", "-1", "+1", " 1", "1 ", "1e3", "0x10", "12a", "9999999999999999999"})
        EXPECT_FALSE(str::parse_uint(bad)) << bad;
}

TEST(Strings, TrimSplitAndUtf8) {
    EXPECT_EQ(str::trim("  a b \t"), "a b");
    EXPECT_EQ(str::split("a,,b", ',').size(), 3u);
    EXPECT_TRUE(str::is_valid_utf8("Amélie"));
    EXPECT_FALSE(str::is_valid_utf8("\xC0\xAF"));  // overlong '/'
    EXPECT_EQ(str::utf8_length("Amélie"), 6u);
    EXPECT_EQ(str::to_valid_utf8("a\xFF"), "a\xEF\xBF\xBD");
}

TEST(Strings, ToValidUtf8) {
    EXPECT_EQ(essaim::str::to_valid_utf8("café"), "café");
    EXPECT_EQ(essaim::str::to_valid_utf8("a\xff"
                                         "b"),
              "a\xEF\xBF\xBD"
              "b");
    EXPECT_EQ(essaim::str::to_valid_utf8("\xC3"), "\xEF\xBF\xBD");
}
