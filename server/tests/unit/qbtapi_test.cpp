// The pure parts of the tools' qBittorrent-compatible API: what a user's tool sees, the names
// it may give, torrents/info's filters, the per-session maindata feed, forms.
#include "qbtapi/form.hpp"
#include "qbtapi/maindata_feed.hpp"
#include "qbtapi/torrents.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

using namespace essaim;
namespace json = boost::json;

namespace {

qbt::Entry entry(std::string hash, std::int64_t owner, std::string state, std::uint64_t stamp) {
    qbt::Entry e;
    e.hash = hash;
    e.hash_v1 = hash;
    e.name = "T-" + hash;
    e.owner_id = owner;
    e.in_qbt = true;
    e.qbt_state = std::move(state);
    e.stamp = stamp;
    return e;
}

std::shared_ptr<qbt::Snapshot> snapshot(std::vector<qbt::Entry> entries) {
    auto s = std::make_shared<qbt::Snapshot>();
    for (auto& e : entries) s->entries.push_back(std::make_shared<const qbt::Entry>(std::move(e)));
    for (std::size_t i = 0; i < s->entries.size(); ++i)
        s->index.emplace(std::string_view(s->entries[i].hash), i);
    return s;
}

json::object parse(const std::string& s) {
    return json::parse(s).as_object();
}

}  // namespace

TEST(QbtApi, ToolsSeeOnlyTheirOwnTorrents) {
    auto a = entry("aaaa", 1, "downloading", 1);
    auto b = entry("bbbb", 2, "stalledUP", 2);  // another user's
    auto gone = entry("cccc", 1, "", 3);
    gone.removed = true;
    gone.in_qbt = false;
    auto s = snapshot({a, b, gone});
    auto mine = qbtapi::owned(*s, 1);
    ASSERT_EQ(mine.size(), 1u);
    EXPECT_EQ(mine[0]->hash, "aaaa");
    EXPECT_NE(qbtapi::owned_one(*s, 1, "AAAA"), nullptr);  // any case
    EXPECT_EQ(qbtapi::owned_one(*s, 1, "bbbb"), nullptr);  // someone else's: as unknown
    EXPECT_EQ(qbtapi::owned_one(*s, 1, "cccc"), nullptr);  // removed
    auto pending = entry("eeee", 1, "", 4);                // added, not listed by qBittorrent yet
    pending.in_qbt = false;
    auto s2 = snapshot({pending});
    EXPECT_TRUE(qbtapi::owned(*s2, 1).empty());
    EXPECT_NE(qbtapi::owned_one(*s2, 1, "eeee"), nullptr);  // but its properties can be asked
    EXPECT_EQ(qbtapi::owned_hashes(*s, 1, "bbbb|aaaa|aaaa|zzzz"), std::vector<std::string>{"aaaa"});
    EXPECT_EQ(qbtapi::owned_hashes(*s, 2, "all"), std::vector<std::string>{"bbbb"});
}

TEST(QbtApi, EssaimsOwnershipTagIsNeverShownNorGiven) {
    EXPECT_EQ(qbtapi::visible_tags("essaim:3, tv,  films ,essaim:12"),
              (std::vector<std::string>{"tv", "films"}));
    auto e = entry("aaaa", 3, "pausedUP", 1);
    e.tags = "essaim:3, tv";
    EXPECT_EQ(qbtapi::torrent_object(e, true).at("tags").as_string(), "tv");
    for (const char* bad : {"essaim:3", "ESSAIM:4", "a,b", "", " x", "x\ny"})
        EXPECT_FALSE(qbtapi::valid_tag(bad)) << bad;
    EXPECT_TRUE(qbtapi::valid_tag("essaim-archive"));
    for (const char* bad : {"/tv", "tv/", "a//b", "../x", "a/../b", "..", "a\\b", ""})
        EXPECT_FALSE(qbtapi::valid_category(bad)) << bad;
    EXPECT_TRUE(qbtapi::valid_category("tv/anime"));
}

TEST(QbtApi, PathsStayInsideTheUsersFolder) {
    const std::string f = "/srv/dl/alice";
    EXPECT_EQ(qbtapi::inside_folder(f, ""), "");
    EXPECT_EQ(qbtapi::inside_folder(f, "tv"), "tv");
    EXPECT_EQ(qbtapi::inside_folder(f, "tv/anime/"), "tv/anime");
    EXPECT_EQ(qbtapi::inside_folder(f, "/srv/dl/alice/films"), "films");
    EXPECT_EQ(qbtapi::inside_folder(f, "/srv/dl/alice"), "");
    for (const char* bad : {"../bob", "tv/../../bob", "/srv/dl/bob", "/srv/dl/alice2", "/etc",
                            "a//b", "./tv", "tv\\x"})
        EXPECT_FALSE(qbtapi::inside_folder(f, bad)) << bad;
}

TEST(QbtApi, InfoFiltersSortsAndPages) {
    auto a = entry("aaaa", 1, "downloading", 1);
    a.size = 30;
    a.category = "tv";
    auto b = entry("bbbb", 1, "pausedUP", 2);
    b.size = 10;
    b.tags = "essaim:1, vieux";
    auto c = entry("cccc", 1, "stalledUP", 3);
    c.size = 20;
    auto s = snapshot({a, b, c, entry("dddd", 2, "downloading", 4)});
    auto hashes = [](const std::string& body) {
        std::string out;
        auto list = json::parse(body);
        for (const auto& t : list.as_array())
            out += std::string(t.at("hash").as_string()).substr(0, 1);
        return out;
    };
    qbtapi::InfoQuery q;
    EXPECT_EQ(hashes(qbtapi::info(*s, 1, q)), "abc");
    q.filter = "completed";
    EXPECT_EQ(hashes(qbtapi::info(*s, 1, q)), "bc");
    q.filter = "paused";
    EXPECT_EQ(hashes(qbtapi::info(*s, 1, q)), "b");
    q.filter = "downloading";
    EXPECT_EQ(hashes(qbtapi::info(*s, 1, q)), "a");
    q = {};
    q.category = "";
    EXPECT_EQ(hashes(qbtapi::info(*s, 1, q)), "bc");
    q = {};
    q.tag = "vieux";
    EXPECT_EQ(hashes(qbtapi::info(*s, 1, q)), "b");
    q = {};
    q.sort = "size";
    EXPECT_EQ(hashes(qbtapi::info(*s, 1, q)), "bca");
    q.reverse = true;
    q.limit = 2;
    q.offset = 1;
    EXPECT_EQ(hashes(qbtapi::info(*s, 1, q)), "cb");
    q = {};
    q.hashes = std::set<std::string>{"cccc", "dddd"};
    EXPECT_EQ(hashes(qbtapi::info(*s, 1, q)), "c");  // dddd is someone else's
    EXPECT_FALSE(qbtapi::known_filter("nonsense"));
}

TEST(QbtApi, AnEntrysTextIsMadeOnceAndMatchesItsObject) {
    auto e = entry("aaaa", 1, "stalledUP", 1);
    e.tags = "essaim:1, tv";
    auto shared = std::make_shared<const qbt::Entry>(e);
    EXPECT_FALSE(shared->qbt_json.get());
    auto text = qbtapi::torrent_text(*shared, false);
    EXPECT_EQ(json::parse(text), json::value(qbtapi::torrent_object(*shared, false)));
    auto kept = shared->qbt_json.get();
    ASSERT_TRUE(kept);
    EXPECT_EQ(qbtapi::torrent_text(*shared, false), text);
    EXPECT_EQ(shared->qbt_json.get(), kept);  // made once
    EXPECT_EQ(json::parse(qbtapi::torrent_text(*shared, true)),
              json::value(qbtapi::torrent_object(*shared, true)));
    qbt::Entry copy = *shared;  // a rebuilt entry starts without it
    EXPECT_FALSE(copy.qbt_json.get());
}

TEST(QbtApi, MaindataFeedSendsAFullUpdateThenDeltasPerSession) {
    qbtapi::MaindataFeed feed;
    qbtapi::Labels labels;
    labels.categories["tv"] = "/dl/alice/tv";
    labels.tags = {"vieux"};
    json::object state{{"dl_info_speed", 0}};
    auto s1 = snapshot({entry("aaaa", 1, "downloading", 1), entry("bbbb", 1, "stalledUP", 2),
                        entry("zzzz", 2, "downloading", 3)});
    auto full = parse(feed.answer("k", 0, *s1, 1, labels, state, 100));
    EXPECT_EQ(full.at("rid").as_int64(), 1);
    EXPECT_TRUE(full.at("full_update").as_bool());
    EXPECT_EQ(full.at("torrents").as_object().size(), 2u);  // not zzzz
    EXPECT_FALSE(full.at("torrents").as_object().at("aaaa").as_object().contains("hash"));
    EXPECT_EQ(full.at("categories").at("tv").at("savePath").as_string(), "/dl/alice/tv");

    // Nothing changed: only the rid.
    auto same = parse(feed.answer("k", 1, *s1, 1, labels, state, 101));
    EXPECT_EQ(json::serialize(same), R"({"rid":2})");

    // aaaa changed, bbbb went, cccc came; a tag went, a category came, the speed moved.
    auto s2 = snapshot({entry("aaaa", 1, "pausedDL", 9), entry("cccc", 1, "metaDL", 10)});
    labels.tags.clear();
    labels.categories["films"] = "/dl/alice/films";
    state["dl_info_speed"] = 5;
    auto delta = parse(feed.answer("k", 2, *s2, 1, labels, state, 102));
    EXPECT_EQ(delta.at("rid").as_int64(), 3);
    EXPECT_FALSE(delta.contains("full_update"));
    const auto& t = delta.at("torrents").as_object();
    EXPECT_EQ(t.size(), 2u);
    EXPECT_EQ(t.at("aaaa").at("state").as_string(), "pausedDL");
    EXPECT_EQ(delta.at("torrents_removed").as_array(), json::array{"bbbb"});
    EXPECT_EQ(delta.at("tags_removed").as_array(), json::array{"vieux"});
    EXPECT_EQ(delta.at("categories").as_object().size(), 1u);
    EXPECT_EQ(delta.at("server_state").at("dl_info_speed").as_int64(), 5);

    // A rid the session does not know (another session's, or stale): a full update again.
    EXPECT_TRUE(parse(feed.answer("k", 1, *s2, 1, labels, state, 103)).contains("full_update"));
    EXPECT_TRUE(parse(feed.answer("other", 3, *s2, 1, labels, state, 103)).contains("full_update"));
    feed.forget("k");
    EXPECT_TRUE(parse(feed.answer("k", 5, *s2, 1, labels, state, 104)).contains("full_update"));
}

TEST(QbtApi, FormsFromTheQueryTheUrlencodedBodyOrMultipart) {
    http::Request r;
    r.query = "hash=abc&rid=3";
    r.headers = {{"content-type", "application/x-www-form-urlencoded"}};
    r.body = "hashes=a%7Cb&deleteFiles=true&name=Le+film&limit=-1";
    qbtapi::Form f(r);
    EXPECT_EQ(f.get("hash"), "abc");
    EXPECT_EQ(f.get("hashes"), "a|b");
    EXPECT_EQ(f.get("name"), "Le film");
    EXPECT_TRUE(f.flag("deleteFiles"));
    EXPECT_EQ(f.integer("limit"), -1);
    EXPECT_EQ(f.integer("rid"), 3);
    EXPECT_FALSE(f.get("missing"));
    http::Request bad = r;
    bad.body = "limit=abc";
    EXPECT_THROW(qbtapi::Form(bad).integer("limit"), std::invalid_argument);
    bad.body = "x=%zz";
    EXPECT_THROW(qbtapi::Form{bad}, std::invalid_argument);

    http::Request m;
    m.headers = {{"content-type", "multipart/form-data; boundary=XX"}};
    m.body =
        "--XX\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\ntv\r\n"
        "--XX\r\nContent-Disposition: form-data; name=\"torrents\"; filename=\"a.torrent\"\r\n"
        "Content-Type: application/x-bittorrent\r\n\r\nd4:infoe\r\n--XX--\r\n";
    qbtapi::Form mf(m);
    EXPECT_EQ(mf.get("category"), "tv");
    ASSERT_EQ(mf.files().size(), 1u);
    EXPECT_EQ(mf.files()[0].filename, "a.torrent");
    EXPECT_EQ(mf.files()[0].data, "d4:infoe");
}
