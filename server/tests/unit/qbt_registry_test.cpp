#include "api/torrent_views.hpp"
#include "auth/policy.hpp"
#include "qbt/maindata.hpp"
#include "qbt/registry.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <boost/json.hpp>

#include <ctime>
#include <filesystem>

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

struct TempStore {
    std::filesystem::path dir;
    std::unique_ptr<store::Store> s;
    TempStore() {
        dir = std::filesystem::temp_directory_path() /
              ("essaim-reg-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
        std::filesystem::create_directories(dir);
        s = store::open_sqlite_store((dir / "t.db").string());
        s->create_user({"alice", "Alice", std::nullopt, "h", "user", 2});  // id 1
        s->create_user({"bob", "Bob", std::nullopt, "h", "user", 2});      // id 2
        s->create_user({"root", "Root", std::nullopt, "h", "admin", 1});   // id 3
    }
    ~TempStore() { std::filesystem::remove_all(dir); }
};

std::int64_t now() {
    return static_cast<std::int64_t>(std::time(nullptr));
}

// The row essaim writes when a user adds a torrent (source "magnet", "file"…) or is given one.
store::TorrentRow new_row(const char* hash, std::int64_t owner, const char* source,
                          const char* name = "") {
    store::TorrentRow row;
    row.qbt_hash = hash;
    row.hash_v1 = row.qbt_hash;
    row.owner_id = owner;
    row.source = source;
    row.name = name;
    row.added_at = now();
    return row;
}

// A registry on a fresh store, loaded, rendering entries as the API does.
class LoadedRegistry : public ::testing::Test {
  protected:
    void SetUp() override {
        r.set_renderer(api::render_entry);
        r.load();
    }
    TempStore ts;
    qbt::Registry r{*ts.s};
};

}  // namespace

TEST_F(LoadedRegistry, OwnershipTagsAndReconcile) {
    std::vector<qbt::Change> changes;
    r.on_change([&](const qbt::Change& c) { changes.push_back(c); });
    r.apply(md(kFull));
    ASSERT_FALSE(changes.empty());
    auto snap = r.snapshot();
    EXPECT_EQ(snap->entries.size(), 2u);
    EXPECT_FALSE(snap->find("aaaa")->owner_id);  // no row yet
    auto rep = r.reconcile(now());
    EXPECT_EQ(rep.restored, 1);  // "essaim:1" tag → Alice
    snap = r.snapshot();
    EXPECT_EQ(snap->find("aaaa")->owner_id, 1);
    EXPECT_FALSE(snap->find("bbbb")->owner_id);  // untagged: "sans propriétaire"
    EXPECT_EQ(ts.s->torrent_rows(0).size(), 1u);

    auth::Viewer alice{1, false, true, false}, bob{2, false, false, false},
        admin{3, true, true, true};
    EXPECT_TRUE(auth::can_see(alice, snap->find("aaaa")->owner_id));
    EXPECT_FALSE(auth::can_see(bob, snap->find("aaaa")->owner_id));
    EXPECT_FALSE(auth::can_see(alice, snap->find("bbbb")->owner_id));  // ownerless: admins only
    EXPECT_TRUE(auth::can_see(admin, snap->find("bbbb")->owner_id));
    EXPECT_TRUE(auth::can_act(alice, snap->find("aaaa")->owner_id));
    EXPECT_FALSE(auth::can_act(bob, snap->find("aaaa")->owner_id));

    auto mine = json::parse(*api::list_body(*snap, alice, api::Scope::mine)).as_object();
    ASSERT_EQ(mine["torrents"].as_array().size(), 1u);
    EXPECT_EQ(mine["torrents"].as_array()[0].as_object()["owner"].as_object()["display_name"],
              "Alice");
    EXPECT_EQ(mine["torrents"].as_array()[0].as_object()["can_act"], true);
    auto all_admin = json::parse(*api::list_body(*snap, admin, api::Scope::all)).as_object();
    EXPECT_EQ(all_admin["torrents"].as_array().size(), 2u);
    // Cached per viewer: the same body object comes back.
    EXPECT_EQ(api::list_body(*snap, alice, api::Scope::mine),
              api::list_body(*snap, alice, api::Scope::mine));
}

TEST_F(LoadedRegistry, AddRowPendingThenRelinkOfHybridMagnet) {
    r.apply(md(R"({"rid":1,"full_update":true,"torrents":{}})"));
    // The v1 btih of a hybrid.
    auto row = new_row("1111111111111111111111111111111111111111", 2, "magnet", "Hybride");
    r.add_row(row);
    auto snap = r.snapshot();
    ASSERT_TRUE(snap->find(row.qbt_hash));
    EXPECT_EQ(snap->find(row.qbt_hash)->state, "metadata");  // pending: shown at once
    EXPECT_TRUE(r.find_existing(row.hash_v1, "", row.qbt_hash));

    // Metadata arrived: qBittorrent now lists it under the truncated v2 hash.
    r.apply(md(
        R"({"rid":2,"torrents":{"2222222222222222222222222222222222222222":{"name":"Hybride","state":"downloading",
        "infohash_v1":"1111111111111111111111111111111111111111",
        "infohash_v2":"2222222222222222222222222222222222222222aaaaaaaaaaaaaaaaaaaaaaaa"}}})"));
    snap = r.snapshot();
    const auto* e = snap->find("2222222222222222222222222222222222222222");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->owner_id, 2);
    EXPECT_EQ(snap->entries.size(), 1u);  // no leftover pending entry under the btih
    EXPECT_EQ(snap->find("1111111111111111111111111111111111111111"), e);  // found by v1 too
    auto rows = ts.s->torrent_rows(0);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].qbt_hash, "2222222222222222222222222222222222222222");
    EXPECT_EQ(rows[0].hash_v2, "2222222222222222222222222222222222222222aaaaaaaaaaaaaaaaaaaaaaaa");
}

// A torrent essaim added but its server never listed (the server died first) is shown from its
// row: while that server does not answer it is stale like the listed ones, not "metadata" as if
// qBittorrent had said so.
TEST_F(LoadedRegistry, RowOnlyEntryIsStaleWhileItsServerIsDown) {
    r.apply(md(kFull));
    auto row = new_row("3333333333333333333333333333333333333333", 1, "magnet", "Jamais listé");
    r.add_row(row);
    EXPECT_FALSE(r.snapshot()->find(row.qbt_hash)->stale);
    EXPECT_FALSE(r.snapshot()->find("aaaa")->stale);

    r.set_link(1, qbt::LinkState::down, "qBittorrent est injoignable.");
    auto snap = r.snapshot();
    EXPECT_TRUE(snap->find(row.qbt_hash)->stale);
    EXPECT_TRUE(snap->find("aaaa")->stale);
    auto body = json::parse(*api::list_body(*snap, {1, false, false, false}, api::Scope::mine));
    bool listed_stale = false;
    for (const auto& t : body.as_object().at("torrents").as_array())
        if (t.as_object().at("hash").as_string() == row.qbt_hash)
            listed_stale = t.at("stale").as_bool();
    EXPECT_TRUE(listed_stale);

    r.apply(md(R"({"rid":2,"torrents":{}})"));  // back: fresh again
    EXPECT_FALSE(r.snapshot()->find(row.qbt_hash)->stale);
    EXPECT_FALSE(r.snapshot()->find("aaaa")->stale);
}

// Two instances on one database (app/cluster.hpp): the leader's registry is fed by qBittorrent,
// the follower's by the same maindata documents; rows written by one reach the other through
// reload_rows(), and only changed torrents are republished.
TEST(Registry, RowsWrittenByAnotherInstanceAreReloaded) {
    TempStore ts;
    qbt::Registry leader(*ts.s), follower(*ts.s);
    leader.set_renderer(api::render_entry);
    follower.set_renderer(api::render_entry);
    int told = 0;
    leader.set_on_rows_changed([&] { ++told; });
    for (auto* r : {&leader, &follower}) {
        r->load();
        r->apply(md(kFull));
    }
    std::vector<qbt::Change> seen;
    leader.on_change([&](const qbt::Change& c) { seen.push_back(c); });
    EXPECT_FALSE(leader.snapshot()->find("bbbb")->owner_id);

    // The follower records ownership of bbbb (as an add through it would).
    follower.add_row(new_row("bbbb", 2, "assigned", "B"));
    EXPECT_EQ(follower.snapshot()->find("bbbb")->owner_id, 2);
    EXPECT_FALSE(leader.snapshot()->find("bbbb")->owner_id);  // not yet known there

    leader.reload_rows();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].changed, std::vector<std::string>{"bbbb"});  // aaaa untouched
    EXPECT_EQ(leader.snapshot()->find("bbbb")->owner_id, 2);
    leader.reload_rows();  // nothing changed: nothing published
    EXPECT_EQ(seen.size(), 1u);
    EXPECT_EQ(told, 0);  // reloading is not a change of this instance's own

    leader.set_owner("aaaa", 1);
    EXPECT_EQ(told, 1);  // the other instances are told to reload
}

TEST_F(LoadedRegistry, DeletedThroughEssaimDisappearsVanishedStaysAsRemoved) {
    r.apply(md(kFull));
    r.reconcile(now());  // aaaa gets its row from the tag
    r.mark_removed("aaaa", now());
    r.apply(md(R"({"rid":2,"torrents_removed":["aaaa"]})"));
    EXPECT_FALSE(r.snapshot()->find("aaaa"));

    auto row = new_row("cccc", 1, "file");
    row.added_at = now() - 1000;  // older than the grace period
    r.add_row(row);
    auto rep = r.reconcile(now());
    EXPECT_EQ(rep.removed, 1);
    const auto* e = r.snapshot()->find("cccc");
    ASSERT_TRUE(e);
    EXPECT_TRUE(e->removed);
    EXPECT_EQ(e->state, "removed");
}

TEST_F(LoadedRegistry, DeltaMessagesAreFilteredPerViewer) {
    std::vector<qbt::Change> changes;
    r.on_change([&](const qbt::Change& c) { changes.push_back(c); });
    r.apply(md(kFull));
    r.reconcile(now());
    auto before = r.snapshot();
    changes.clear();
    r.apply(md(R"({"rid":2,"torrents":{"aaaa":{"progress":0.9},"bbbb":{"upspeed":3}}})"));
    ASSERT_EQ(changes.size(), 1u);
    auth::Viewer alice{1, false, false, false}, bob{2, false, false, false},
        admin{3, true, true, true};
    auto a = api::delta_message(changes[0], before.get(), alice);
    EXPECT_NE(a.find("aaaa"), std::string::npos);
    EXPECT_EQ(a.find("bbbb"), std::string::npos);
    EXPECT_TRUE(api::delta_message(changes[0], before.get(), bob).empty());
    auto ad = api::delta_message(changes[0], before.get(), admin);
    EXPECT_NE(ad.find("bbbb"), std::string::npos);
    EXPECT_EQ(qbt::owner_from_tags("x, essaim:42 ,y"), 42);
    EXPECT_FALSE(qbt::owner_from_tags("essaim:abc, essaim:"));
}
