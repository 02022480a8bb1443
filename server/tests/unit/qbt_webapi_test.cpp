#include "http/message.hpp"
#include "qbt/webapi.hpp"

#include <gtest/gtest.h>

using namespace essaim;

TEST(QbtWebApi, WebApiVersionPicksStopStartOnQbittorrent5) {
    EXPECT_FALSE(qbt::parse_api_version("2.8.19").stop_start());  // qBittorrent 4.5.2
    EXPECT_TRUE(qbt::parse_api_version("2.11.0").stop_start());   // 5.0: stop/start, stoppedUP
    EXPECT_TRUE(qbt::parse_api_version("2.11.4").stop_start());
    EXPECT_TRUE(qbt::parse_api_version("3.0").stop_start());
    EXPECT_FALSE(qbt::parse_api_version("garbage").stop_start());
    EXPECT_EQ(http::form_encode("a b&c=é"), "a%20b%26c%3D%C3%A9");
}
