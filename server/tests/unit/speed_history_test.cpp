#include "stats/speed_history.hpp"

#include <gtest/gtest.h>

using namespace essaim::stats;

TEST(SpeedHistory, RingsAverageAndStayBounded) {
    SpeedHistory h;
    for (std::int64_t t = 0; t < 3 * 3600; ++t) h.add(t, t % 10 == 0 ? 100 : 0, 10);
    auto ten = h.global(Range::ten_minutes);
    EXPECT_LE(ten.size(), 601u);
    EXPECT_EQ(ten.back().t, 3 * 3600 - 1);
    auto hour = h.global(Range::hour);
    EXPECT_EQ(hour.size(), 360u);
    EXPECT_EQ(hour.back().dl, 10);  // one 100 per 10 s → average 10
    EXPECT_EQ(hour.back().up, 10);
    EXPECT_EQ(hour[1].t - hour[0].t, 10);
    auto day = h.global(Range::day);
    EXPECT_EQ(day.size(), 3u * 3600 / 240 - 1);  // the current bucket is still open
    EXPECT_EQ(day[1].t - day[0].t, 240);
}

TEST(SpeedHistory, TorrentsAreKeptOnlyWhileTheyMove) {
    SpeedHistory h;
    h.add(0, 0, 0, {{"idle", {0, 0, 0}}, {"busy", {0, 500, 0}}});
    EXPECT_TRUE(h.torrent("idle").empty());
    EXPECT_EQ(h.torrent("busy").size(), 1u);
    for (std::int64_t t = 1; t < 700; ++t) h.add(t, 0, 0, {{"busy", {0, 0, 0}}});
    EXPECT_TRUE(h.torrent("busy").empty());  // idle for the whole 10 min window: forgotten
    EXPECT_EQ(h.tracked_torrents(), 0u);
    for (std::int64_t t = 700; t < 2000; ++t) h.add(t, 0, 0, {{"x", {0, 1, 1}}});
    EXPECT_EQ(h.torrent("x").size(), 600u);
}
