#include "util/gzip.hpp"

#include <gtest/gtest.h>

TEST(Gzip, RoundTripAndHeader) {
    std::string text;
    for (int i = 0; i < 2000; ++i) text += "{\"hash\":\"abcdef\",\"state\":\"seeding\"},";
    auto z = essaim::util::gzip(text);
    ASSERT_GE(z.size(), 2u);
    EXPECT_EQ(static_cast<unsigned char>(z[0]), 0x1f);  // gzip magic
    EXPECT_EQ(static_cast<unsigned char>(z[1]), 0x8b);
    EXPECT_LT(z.size(), text.size() / 10);
    EXPECT_EQ(essaim::util::gunzip(z), text);
    EXPECT_EQ(essaim::util::gunzip(essaim::util::gzip("")), "");
    EXPECT_THROW(essaim::util::gunzip("not gzip"), std::runtime_error);
}
