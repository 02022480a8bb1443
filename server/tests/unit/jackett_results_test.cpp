#include "jackett/results.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace essaim::jackett;

namespace {
std::string sample() {
    auto p = std::filesystem::path(__FILE__).parent_path() / "../fixtures/jackett/sample.json";
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}
}  // namespace

TEST(JackettResults, SampleIsNormalised) {
    auto r = parse_results(sample());
    ASSERT_EQ(r.results.size(), 3u);
    const auto& amelie = r.results[0];
    EXPECT_NE(amelie.title.find("Amélie"), std::string::npos);
    EXPECT_EQ(amelie.tracker_id, "yggtorrent");
    EXPECT_EQ(amelie.seeders, 152);
    EXPECT_EQ(amelie.leechers, 4);
    EXPECT_EQ(amelie.size, 4831838208);
    EXPECT_EQ(amelie.published, 1730578445);  // 2024-11-02T21:14:05+01:00
    EXPECT_TRUE(amelie.magnet.empty());
    EXPECT_NE(amelie.link.find("jackett_apikey"), std::string::npos);  // kept server-side only
    EXPECT_EQ(amelie.categories, (std::vector<std::int64_t>{2000, 2040, 102183}));
    const auto& hugo = r.results[2];
    EXPECT_FALSE(hugo.seeders);
    EXPECT_FALSE(hugo.leechers);
    EXPECT_TRUE(hugo.link.empty());
    EXPECT_EQ(hugo.magnet.rfind("magnet:?", 0), 0u);
    EXPECT_EQ(hugo.published, 1687046400);  // 2023-06-18T00:00:00, no offset: UTC
    ASSERT_EQ(r.indexers.size(), 4u);
    EXPECT_TRUE(r.indexers[0].ok);
    EXPECT_FALSE(r.indexers[3].ok);
    EXPECT_EQ(r.indexers[3].error.find('\n'), std::string::npos);  // no stack trace
    EXPECT_EQ(r.indexers[3].error, "A task was canceled.");        // Jackett's type prefix dropped
}

TEST(JackettResults, SortBySeedersUnknownLast) {
    auto r = parse_results(sample()).results;
    sort_by_seeders(r);
    EXPECT_EQ(r[0].seeders, 1024);
    EXPECT_EQ(r[1].seeders, 152);
    EXPECT_FALSE(r[2].seeders);
}

TEST(JackettResults, DatesAndBadInput) {
    EXPECT_EQ(parse_date("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(parse_date("2024-11-02T20:14:05.1234567Z"), 1730578445);
    EXPECT_EQ(parse_date("2024-11-02T21:14:05+01:00"), 1730578445);
    EXPECT_FALSE(parse_date("0001-01-01T00:00:00"));
    EXPECT_FALSE(parse_date("2024-13-02T21:14:05"));
    EXPECT_FALSE(parse_date("hier"));
    EXPECT_THROW(parse_results("<html>"), std::invalid_argument);
    EXPECT_THROW(parse_results("{\"Results\":3}"), std::invalid_argument);
    auto r = parse_results(
        R"({"Results":[{"Title":"x"},{"Title":"y","Link":"magnet:?xt=urn:btih:ab","Seeders":1.0,"InfoHash":"nothex"}],"Indexers":[{"ID":null,"Name":null,"Status":0}]})");
    ASSERT_EQ(r.results.size(), 1u);                           // no link at all: skipped
    EXPECT_EQ(r.results[0].magnet, "magnet:?xt=urn:btih:ab");  // a magnet Link is the magnet
    EXPECT_EQ(r.results[0].seeders, 1);
    EXPECT_TRUE(r.results[0].info_hash.empty());
    EXPECT_EQ(r.indexers[0].name, "(indexeur inconnu)");
}

TEST(JackettResults, AMagnetWithoutInfoHashGivesItsHash) {
    auto doc = R"({"Results":[
        {"Title":"a","MagnetUri":"magnet:?xt=urn:btih:ABCDEF0123456789ABCDEF0123456789ABCDEF01"},
        {"Title":"b","Link":"magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=b"},
        {"Title":"c","MagnetUri":"magnet:?xt=urn:btih:nothex"},
        {"Title":"d","MagnetUri":"magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567",
         "InfoHash":"1111111111111111111111111111111111111111"}]})";
    auto r = parse_results(doc).results;
    ASSERT_EQ(r.size(), 4u);
    EXPECT_EQ(r[0].info_hash, "abcdef0123456789abcdef0123456789abcdef01");
    EXPECT_EQ(r[1].info_hash, "0123456789abcdef0123456789abcdef01234567");  // magnet in Link
    EXPECT_TRUE(r[2].info_hash.empty());                                    // no usable hash
    EXPECT_EQ(r[3].info_hash, "1111111111111111111111111111111111111111");  // Jackett's wins
}
