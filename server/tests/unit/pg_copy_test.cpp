// copy_sqlite_to_postgres (essaim migrate-sqlite-to-postgres): every table, ids kept, secrets
// still sealed, identity sequences moved on, non-empty target refused unless forced.
#include "store/migrate.hpp"
#include "store_engines.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace essaim::store;
using essaim::store::test_support::Engine;

namespace {

std::map<std::string, std::int64_t> counts(const std::vector<CopiedTable>& v) {
    std::map<std::string, std::int64_t> m;
    for (const auto& t : v) m[t.table] = t.rows;
    return m;
}

// Fills an SQLite store with at least one row in every table, with gaps in the ids.
void fill(Store& s) {
    Group g;
    g.name = "Famille";
    g.permissions = {"search"};
    auto gid = s.create_group(g);
    auto ana = s.create_user({"Ana", "Ana", "ana@x.fr", "h1", "admin", 1});
    auto gone = s.create_user({"gone", "Gone", std::nullopt, "h", "user", 2});
    auto ben = s.create_user({"ben", "Ben", std::nullopt, "h2", "user", gid});
    s.delete_user(gone);
    s.set_notify_prefs(ben, true, std::string("https://hook.example/b"));
    s.create_session({"sid-ana", ana, 100, 99999999999, "127.0.0.1", "curl"});
    s.set_setting("qbt_url", "http://127.0.0.1:8081");
    s.set_cipher(std::make_shared<SettingsCipher>(std::string(32, 'k')));
    s.set_setting("qbt_password", "secret-qbt");
    s.audit({ana, "Ana", "user.login", "user", std::to_string(ana), "{}", "127.0.0.1"});
    s.audit({std::nullopt, "cli", "admin.create", "user", "1", "{}", ""});
    TorrentRow r;
    r.qbt_hash = std::string(40, 'a');
    r.hash_v1 = r.qbt_hash;
    r.owner_id = ben;
    r.source = "magnet";
    r.name = "film";
    r.added_at = 10;
    auto row = s.insert_torrent(r);
    r.qbt_hash = std::string(40, 'b');
    r.hash_v1 = "";
    r.owner_id = std::nullopt;
    r.size = 123;
    r.source = "reconciled";
    auto row2 = s.insert_torrent(r);
    s.mark_torrent_removed(row2, 20, "vanished");
    auto n = s.record_completion(row, 30, std::string(40, 'a'), "film", "« film » est terminé.");
    s.enqueue_delivery(n->id, ben, "webhook", "https://hook.example/b", 30);
    s.record_search(ben, {0, "debian", "tout", "", 3, 40}, 20);
}

}  // namespace

TEST(PgCopy, CopiesEveryTableKeepingIdsAndRefusesANonEmptyTarget) {
    if (!test_support::pg_test_url()) GTEST_SKIP() << test_support::kNoPgMessage;
    Engine sqlite("sqlite"), pg("postgres");
    std::vector<User> users;
    std::vector<TorrentRow> torrents;
    {
        auto s = sqlite.open();
        fill(*s);
        users = s->list_users();
        torrents = s->torrent_rows(0);
    }

    auto copied = counts(copy_sqlite_to_postgres(sqlite.sqlite_path(), pg.pg_url(), false));
    EXPECT_EQ(copied["groups"], 3);
    EXPECT_EQ(copied["users"], 2);
    EXPECT_EQ(copied["sessions"], 1);
    EXPECT_EQ(copied["settings"], 2);
    EXPECT_EQ(copied["audit_log"], 2);
    EXPECT_EQ(copied["torrents"], 2);
    EXPECT_EQ(copied["recent_searches"], 1);
    EXPECT_EQ(copied["notifications"], 1);
    EXPECT_EQ(copied["deliveries"], 1);

    {
        auto s = open_postgres_store(pg.pg_url());
        auto got = s->list_users();
        ASSERT_EQ(got.size(), users.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
            EXPECT_EQ(got[i].id, users[i].id);
            EXPECT_EQ(got[i].username, users[i].username);
            EXPECT_EQ(got[i].email, users[i].email);
            EXPECT_EQ(got[i].password_hash, users[i].password_hash);
            EXPECT_EQ(got[i].group_name, users[i].group_name);
            EXPECT_EQ(got[i].webhook_url, users[i].webhook_url);
            EXPECT_EQ(got[i].created_at, users[i].created_at);
        }
        auto rows = s->torrent_rows(0);
        ASSERT_EQ(rows.size(), torrents.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            EXPECT_EQ(rows[i].id, torrents[i].id);
            EXPECT_EQ(rows[i].qbt_hash, torrents[i].qbt_hash);
            EXPECT_EQ(rows[i].hash_v1, torrents[i].hash_v1);
            EXPECT_EQ(rows[i].owner_id, torrents[i].owner_id);
            EXPECT_EQ(rows[i].size, torrents[i].size);
            EXPECT_EQ(rows[i].removed_at, torrents[i].removed_at);
            EXPECT_EQ(rows[i].removal, torrents[i].removal);
            EXPECT_EQ(rows[i].completion_notified, torrents[i].completion_notified);
        }
        auto ben = s->user_by_username("BEN");
        ASSERT_TRUE(ben);
        EXPECT_TRUE(s->user_for_session("sid-ana", users[0].id, 200));
        std::int64_t unread = 0;
        EXPECT_EQ(s->notifications(ben->id, 10, unread).size(), 1u);
        EXPECT_EQ(s->user_deliveries(ben->id, 10).size(), 1u);
        EXPECT_EQ(s->recent_searches(ben->id).size(), 1u);
        std::int64_t total = 0;
        s->audit_entries({}, total);
        EXPECT_EQ(total, 2);

        // Secrets stay sealed: readable with the same key only.
        EXPECT_FALSE(s->setting("qbt_password"));
        s->set_cipher(std::make_shared<SettingsCipher>(std::string(32, 'k')));
        EXPECT_EQ(s->setting("qbt_password"), "secret-qbt");
        EXPECT_EQ(s->setting("qbt_url"), "http://127.0.0.1:8081");

        // The identity sequences continue after the copied ids.
        auto next = s->create_user({"carl", "Carl", std::nullopt, "h", "user", 2});
        EXPECT_EQ(next, ben->id + 1);
        Group g;
        g.name = "Nouveaux";
        EXPECT_EQ(s->create_group(g), 4);
    }

    // A target holding data is refused, and left untouched; --force replaces it.
    EXPECT_THROW(copy_sqlite_to_postgres(sqlite.sqlite_path(), pg.pg_url(), false),
                 std::runtime_error);
    EXPECT_EQ(open_postgres_store(pg.pg_url())->count_users(), 3);
    copied = counts(copy_sqlite_to_postgres(sqlite.sqlite_path(), pg.pg_url(), true));
    EXPECT_EQ(copied["users"], 2);
    EXPECT_EQ(open_postgres_store(pg.pg_url())->count_users(), 2);
}

TEST(PgCopy, RefusesAnSqliteDatabaseThatIsNotUpToDate) {
    if (!test_support::pg_test_url()) GTEST_SKIP() << test_support::kNoPgMessage;
    Engine pg("postgres");
    test_support::TempDir dir;
    auto path = (dir.path / "old.db").string();
    migrate(*db::open_sqlite(path), {builtin_migrations()[0]});
    try {
        copy_sqlite_to_postgres(path, pg.pg_url(), false);
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("essaim migrate"), std::string::npos) << e.what();
    }
}
