// Group limits: parsing, validation of admin input, and the checks made at add time.
#include "auth/limits.hpp"
#include "auth/denied.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

using namespace essaim;

TEST(Limits, ParseIsTolerantAndRoundTrips) {
    auto l = auth::parse_limits(R"({"max_torrents":3,"quota_bytes":1024,"ratio_limit":1.5,
                                   "active_policy":"refuse","unknown":1,"max_active":"x"})");
    EXPECT_EQ(l.max_torrents, 3);
    EXPECT_EQ(l.quota_bytes, 1024);
    EXPECT_EQ(l.ratio_limit, 1.5);
    EXPECT_FALSE(l.max_active);
    EXPECT_FALSE(l.queue_when_busy);
    auto again = auth::parse_limits(boost::json::serialize(auth::limits_json(l)));
    EXPECT_EQ(again.max_torrents, 3);
    EXPECT_FALSE(again.queue_when_busy);
    EXPECT_FALSE(auth::parse_limits("not json").max_torrents);
}

TEST(Limits, AdminInputIsValidatedWithTheField) {
    auto ok = auth::limits_from_request(boost::json::parse(
        R"({"max_torrents":null,"download_limit":1000,"ratio_limit":2,"active_policy":"queue"})"));
    EXPECT_FALSE(ok.max_torrents);
    EXPECT_EQ(ok.download_limit, 1000);
    for (const char* bad :
         {R"({"max_torrents":-1})", R"({"quota_bytes":1.5})", R"({"ratio_limit":"2"})",
          R"({"active_policy":"maybe"})", R"({"nope":1})", R"([])"}) {
        try {
            auth::limits_from_request(boost::json::parse(bad));
            ADD_FAILURE() << bad;
        } catch (const auth::Denied& e) {
            EXPECT_EQ(e.kind, auth::Denied::Kind::invalid) << bad;
            EXPECT_EQ(e.field.rfind("limits", 0), 0u) << bad;
        }
    }
}

TEST(Limits, CheckAddRefusesQueuesOrAccepts) {
    auth::Limits l;
    l.max_torrents = 2;
    l.max_torrent_size = 1000;
    l.quota_bytes = 5000;
    l.max_active = 1;
    auth::AddVerdict v;
    EXPECT_FALSE(auth::check_add(l, {0, 0, 0}, 500, v));
    EXPECT_EQ(v, auth::AddVerdict::add);
    EXPECT_EQ(auth::check_add(l, {2, 0, 0}, 1, v)->code, "limit_torrents");
    EXPECT_EQ(auth::check_add(l, {0, 0, 0}, 1001, v)->code, "limit_size");
    EXPECT_EQ(auth::check_add(l, {1, 0, 4500}, 600, v)->code, "limit_quota");
    EXPECT_FALSE(auth::check_add(l, {1, 0, 4500}, std::nullopt, v));  // magnet: checked later
    EXPECT_FALSE(auth::check_add(l, {1, 1, 0}, 10, v));
    EXPECT_EQ(v, auth::AddVerdict::add_stopped);
    l.queue_when_busy = false;
    EXPECT_EQ(auth::check_add(l, {1, 1, 0}, 10, v)->code, "limit_active");

    EXPECT_FALSE(auth::check_size_known(l, {1, 0, 900}, 900));
    EXPECT_EQ(auth::check_size_known(l, {1, 0, 1200}, 1200)->code, "limit_size");
    auth::Limits q;
    q.quota_bytes = 1000;
    auto r = auth::check_size_known(q, {2, 0, 1500}, 800);
    ASSERT_TRUE(r);
    EXPECT_NE(r->message.find("quota"), std::string::npos);
}

TEST(Limits, FrenchSizes) {
    EXPECT_EQ(auth::french_size(512), "512 o");
    EXPECT_EQ(auth::french_size(1536), "1,5 Ko");
    EXPECT_EQ(auth::french_size(3LL << 30), "3,0 Go");
}
