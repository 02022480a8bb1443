#include "qbt/maindata.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

using namespace essaim;
namespace json = boost::json;

namespace {

json::object md(const char* text) {
    return json::parse(text).as_object();
}

const char* kFull = R"({"rid":1,"full_update":true,
  "torrents":{"aaaa":{"name":"A","state":"downloading","progress":0.5,"size":100,"tags":"essaim:1","infohash_v1":"aaaa","added_on":10},
              "bbbb":{"name":"B","state":"stalledUP","progress":1,"completion_on":20,"size":200,"tags":"","infohash_v1":"bbbb"}},
  "server_state":{"dl_info_speed":5,"free_space_on_disk":1000}})";

}  // namespace

TEST(MainData, FullUpdateDeltaAndRemoval) {
    qbt::MainData m;
    auto d = m.apply(md(kFull));
    EXPECT_TRUE(d.full);
    EXPECT_EQ(m.torrents().size(), 2u);
    EXPECT_EQ(m.server().free_space_on_disk, 1000);
    d = m.apply(md(R"({"rid":2,"torrents":{"aaaa":{"progress":0.75,"dlspeed":9}}})"));
    EXPECT_FALSE(d.full);
    EXPECT_EQ(d.changed, std::vector<std::string>{"aaaa"});
    EXPECT_DOUBLE_EQ(m.torrents().at("aaaa").progress, 0.75);
    EXPECT_EQ(m.torrents().at("aaaa").name, "A");  // unchanged keys kept
    d = m.apply(md(R"({"rid":3,"torrents_removed":["bbbb","zzzz"]})"));
    EXPECT_EQ(d.removed, std::vector<std::string>{"bbbb"});
    EXPECT_TRUE(m.apply(md(R"({"rid":4})")).empty());
    // A full update at any time replaces everything.
    m.apply(md(R"({"rid":1,"full_update":true,"torrents":{"cccc":{"name":"C"}}})"));
    EXPECT_EQ(m.torrents().size(), 1u);
    EXPECT_THROW(m.apply(md(R"({"torrents":{}})")), std::runtime_error);
}

TEST(MainData, StatesAndCompletion) {
    EXPECT_EQ(qbt::essaim_state("metaDL"), "metadata");
    EXPECT_EQ(qbt::essaim_state("stalledUP"), "seeding");
    EXPECT_EQ(qbt::essaim_state("pausedDL"), "paused");
    EXPECT_EQ(qbt::essaim_state("stoppedUP"), "completed");
    EXPECT_EQ(qbt::essaim_state("missingFiles"), "error");
    EXPECT_EQ(qbt::essaim_state("somethingNew"), "error");
    qbt::TorrentInfo t;
    t.state = "metaDL";
    t.amount_left = 0;  // a magnet without metadata: amount_left 0 but not complete
    EXPECT_FALSE(qbt::is_complete(t));
    t.progress = 1;
    t.completion_on = 5;
    EXPECT_TRUE(qbt::is_complete(t));
}
