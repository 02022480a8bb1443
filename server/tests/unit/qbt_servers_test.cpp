// Several qBittorrent servers (issue 20): placement, the merged registry, per-server links and
// reconciliation, another server's direct links.
#include "download/file_access.hpp"
#include "download/layout.hpp"
#include "download/settings.hpp"
#include "qbt/placement.hpp"
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

json::object md(const std::string& text) {
    return json::parse(text).as_object();
}

std::string full(const std::string& hash, const std::string& tags, std::int64_t free = 5000) {
    return R"({"rid":1,"full_update":true,"torrents":{")" + hash + R"(":{"name":")" + hash +
           R"(","state":"downloading","progress":0.5,"size":100,"dlspeed":7,"tags":")" + tags +
           R"(","infohash_v1":")" + hash + R"(","added_on":10,"save_path":"/dl/alice"}},)" +
           R"("server_state":{"dl_info_speed":7,"up_info_speed":1,"free_space_on_disk":)" +
           std::to_string(free) + "}}";
}

struct TempStore {
    std::filesystem::path dir;
    std::unique_ptr<store::Store> s;
    TempStore() {
        dir = std::filesystem::temp_directory_path() /
              ("essaim-srv-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
        std::filesystem::create_directories(dir);
        s = store::open_sqlite_store((dir / "t.db").string());
        s->create_user({"alice", "Alice", std::nullopt, "h", "user", 2});  // id 1
    }
    ~TempStore() { std::filesystem::remove_all(dir); }
};

std::int64_t now() {
    return static_cast<std::int64_t>(std::time(nullptr));
}

qbt::Candidate server(std::int64_t id, std::int64_t torrents, std::int64_t free = 10ll << 30) {
    qbt::Candidate c;
    c.id = id;
    c.torrents = torrents;
    c.free_space = free;
    return c;
}

}  // namespace

TEST(Placement, FewestTorrentsThenMostFreeSpaceThenLowestId) {
    EXPECT_EQ(qbt::choose_server({server(1, 3), server(2, 1), server(3, 2)}, {}, 100), 2);
    EXPECT_EQ(qbt::choose_server({server(1, 1, 5ll << 30), server(2, 1, 9ll << 30)}, {}, 100), 2);
    EXPECT_EQ(qbt::choose_server({server(2, 0), server(1, 0)}, {}, std::nullopt), 1);
}

TEST(Placement, NeverDrainingDownFullOrOutsideTheGroup) {
    auto draining = server(1, 0);
    draining.active = false;
    auto down = server(2, 0);
    down.answering = false;
    auto full = server(3, 0, 300ll << 20);  // 300 MiB free: not for a 100 MiB torrent + margin
    auto ok = server(4, 50);
    EXPECT_EQ(qbt::choose_server({draining, down, full, ok}, {}, 100ll << 20), 4);
    EXPECT_EQ(qbt::choose_server({draining, down, full, ok}, {1, 2, 3}, 100ll << 20), std::nullopt);
    // A magnet (size unknown) fits where 256 MiB are free; 0 free is "not measured yet".
    EXPECT_EQ(qbt::choose_server({full}, {}, std::nullopt), 3);
    EXPECT_EQ(qbt::choose_server({server(5, 0, 0)}, {}, 1ll << 40), 5);
    EXPECT_EQ(qbt::choose_server({server(1, 9), server(2, 0)}, {1}, 1), 1);  // pinned group
}

TEST(Servers, OneListTheLowestServerWinsAndEachServerItsOwnLink) {
    TempStore ts;
    qbt::Registry r(*ts.s);
    r.load();
    r.set_servers({{1, "Maison", false}, {2, "Cave", false}, {3, "Loin", false}});
    r.apply(1, md(full("aaaa", "essaim:1")));
    r.apply(2, md(full("bbbb", "essaim:1", 9000)));
    r.apply(3, md(full("aaaa", "")));  // the same torrent on server 3: listed once, from 1
    auto s = r.snapshot();
    ASSERT_EQ(s->entries.size(), 2u);
    EXPECT_EQ(s->find("aaaa")->server, 1);
    EXPECT_EQ(s->find("aaaa")->server_name, "Maison");
    EXPECT_EQ(s->find("bbbb")->server, 2);
    EXPECT_EQ(s->server.dl_info_speed, 21);  // summed over the three
    EXPECT_EQ(s->server.free_space_on_disk, 19000);
    EXPECT_EQ(s->link, qbt::LinkState::ok);

    // Server 2 stops answering: only its torrent is stale, the list stays live.
    r.set_link(2, qbt::LinkState::down, "Le serveur qBittorrent ne répond pas.", "refused");
    s = r.snapshot();
    EXPECT_TRUE(s->find("bbbb")->stale);
    EXPECT_FALSE(s->find("aaaa")->stale);
    EXPECT_EQ(s->link, qbt::LinkState::ok);
    EXPECT_FALSE(s->stale);
    EXPECT_EQ(s->servers_down, 1);
    EXPECT_EQ(s->server_link(2)->link, qbt::LinkState::down);
    EXPECT_EQ(s->server.dl_info_speed, 14);  // a silent server's last speeds are not counted
    // Back: live again without anything else.
    r.apply(2, md(R"({"rid":2})"));
    s = r.snapshot();
    EXPECT_FALSE(s->find("bbbb")->stale);
    EXPECT_EQ(s->servers_down, 0);

    // Every server down: the list says so.
    for (std::int64_t id : {1, 2, 3}) r.set_link(id, qbt::LinkState::down, "x", "y");
    s = r.snapshot();
    EXPECT_EQ(s->link, qbt::LinkState::down);
    EXPECT_TRUE(s->stale);
    EXPECT_EQ(s->servers_down, 3);

    // Disabled: stale, not counted as down, and its link says why.
    r.set_servers({{1, "Maison", false}, {2, "Cave", true}, {3, "Loin", false}});
    s = r.snapshot();
    EXPECT_EQ(s->server_link(2)->link, qbt::LinkState::disabled);
    EXPECT_TRUE(s->find("bbbb")->stale);
    EXPECT_EQ(s->servers_down, 2);
}

TEST(Servers, ReconcileIsPerServerAndRowsFollowTheirTorrent) {
    TempStore ts;
    qbt::Registry r(*ts.s);
    r.load();
    r.set_servers({{1, "Serveur 1", false}, {2, "Serveur 2", false}});
    // A tagged torrent on server 2 gets a row on server 2.
    r.apply(2, md(full("cccc", "essaim:1")));
    r.reconcile(2, now());
    auto rows = ts.s->torrent_rows(0);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].server_id, 2);
    EXPECT_EQ(rows[0].owner_id, 1);
    // Server 1's pass does not call server 2's torrent vanished (not its row).
    r.apply(1, md(R"({"rid":1,"full_update":true,"torrents":{}})"));
    auto rep = r.reconcile(1, now() + qbt::Registry::kPendingGrace + 10);
    EXPECT_EQ(rep.removed, 0);
    // Found on server 1 instead (moved by hand): the row follows as soon as server 1 lists it.
    r.apply(2, md(R"({"rid":2,"torrents_removed":["cccc"]})"));
    r.apply(1, md(full("cccc", "essaim:1")));
    EXPECT_EQ(ts.s->torrent_rows(0)[0].server_id, 1);
    EXPECT_EQ(r.snapshot()->find("cccc")->server, 1);
    // Duplicates are found on any server.
    auto ex = r.find_existing("cccc", "", "cccc");
    ASSERT_TRUE(ex);
    EXPECT_EQ(ex->server, 1);
}

TEST(Servers, AnotherServersDirectLinksHaveAPrefixNoUserFolderCanTake) {
    download::Settings base;
    base.secret = "s";
    base.ttl = 60;
    auto s = download::server_settings(base, 3, "/srv/three/", "");
    EXPECT_TRUE(s.direct);
    EXPECT_EQ(s.base_url, "/dl/~3/");
    EXPECT_EQ(s.root, "/srv/three");
    auto nginx = download::server_settings(base, 2, "/srv/two", "https://two.example/dl");
    EXPECT_FALSE(nginx.direct);
    EXPECT_EQ(nginx.base_url, "https://two.example/dl/");
    auto p = download::server_prefix("~3/alice/film.mkv");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->first, 3);
    EXPECT_EQ(p->second, "alice/film.mkv");
    EXPECT_FALSE(download::server_prefix("~1/alice/x"));  // server 1 has no prefix
    EXPECT_FALSE(download::server_prefix("~x/alice"));
    EXPECT_FALSE(download::server_prefix("alice/~3/x"));
    EXPECT_FALSE(download::is_folder_name("~3"));
    // A torrent of server 1's shared root named like the prefix gets no link.
    auto v = download::check_file("/dl", "/dl", "/dl", "~3/x", 5, 1.0);
    EXPECT_EQ(v.refusal, download::FileRefusal::outside);
}
