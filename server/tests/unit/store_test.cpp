#include "store/store.hpp"
#include "store/migrate.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>

using namespace essaim::store;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("essaim-test-" + std::to_string(::getpid()) + "-" +
                                            std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
};

std::vector<Migration> two_migrations() {
    return {{"0001_a.sql", "CREATE TABLE a (x INTEGER) STRICT;"},
            {"0002_b.sql", "CREATE TABLE b (y TEXT) STRICT; INSERT INTO b VALUES ('hello');"}};
}

}  // namespace

TEST(Migrate, EmptyDatabaseGetsEveryMigration) {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    auto r = migrate(db, two_migrations());
    EXPECT_EQ(r.from_version, 0);
    EXPECT_EQ(r.to_version, 2);
    EXPECT_EQ(r.applied.size(), 2u);
    EXPECT_EQ(db.execAndGet("SELECT y FROM b").getString(), "hello");
}

TEST(Migrate, ExistingDatabaseGetsOnlyNewOnesAndIsIdempotent) {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    auto m = two_migrations();
    migrate(db, {m[0]});
    db.exec("INSERT INTO a VALUES (7)");
    auto r = migrate(db, m);
    EXPECT_EQ(r.from_version, 1);
    EXPECT_EQ(r.applied, std::vector<std::string>{"0002_b.sql"});
    EXPECT_EQ(db.execAndGet("SELECT x FROM a").getInt(), 7);  // data kept
    auto again = migrate(db, m);
    EXPECT_TRUE(again.applied.empty());
    EXPECT_EQ(again.to_version, 2);
}

TEST(Migrate, FailedMigrationRollsBackAndNewerDatabaseIsRefused) {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    std::vector<Migration> bad = {
        {"0001_a.sql", "CREATE TABLE a (x INTEGER); SELECT nope FROM nowhere;"}};
    EXPECT_ANY_THROW(migrate(db, bad));
    EXPECT_EQ(schema_version(db), 0);
    EXPECT_FALSE(db.tableExists("a"));
    migrate(db, two_migrations());
    EXPECT_THROW(migrate(db, {two_migrations()[0]}), std::runtime_error);
}

TEST(Migrate, BuiltinMigrationsCreateTheSchema) {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    migrate(db, builtin_migrations());
    for (const char* t : {"users", "groups", "sessions", "settings", "audit_log"})
        EXPECT_TRUE(db.tableExists(t)) << t;
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM groups").getInt(), 2);
}

TEST(SqliteStore, UsersSessionsSettingsAudit) {
    TempDir dir;
    auto s = open_sqlite_store((dir.path / "t.db").string());
    EXPECT_EQ(s->count_users(), 0);
    auto g = s->group_by_name("utilisateurs");  // names compare without case
    ASSERT_TRUE(g);
    auto id = s->create_user({"Alice", "Alice", "a@b.fr", "hash", "user", g->id});
    EXPECT_THROW(s->create_user({"alice", "x", std::nullopt, "h", "user", g->id}), Conflict);
    auto u = s->user_by_username("ALICE");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->id, id);
    EXPECT_EQ(u->group_name, "Utilisateurs");
    EXPECT_FALSE(u->permissions.empty());
    EXPECT_EQ(u->email, "a@b.fr");

    s->create_session({"sid", id, 100, 200, "127.0.0.1", "ua"});
    EXPECT_TRUE(s->user_for_session("sid", id, 150));
    EXPECT_FALSE(s->user_for_session("sid", id, 200));  // expired
    EXPECT_FALSE(s->user_for_session("sid", id + 1, 150));
    s->delete_session("sid");
    EXPECT_FALSE(s->user_for_session("sid", id, 150));

    s->set_password(id, "h2", true);
    EXPECT_EQ(s->user_by_id(id)->token_version, 1);
    s->update_profile(id, "Alice B.", std::nullopt);
    EXPECT_EQ(s->user_by_id(id)->display_name, "Alice B.");
    EXPECT_FALSE(s->user_by_id(id)->email);
    EXPECT_THROW(s->update_profile(999, "x", std::nullopt), NotFound);

    EXPECT_FALSE(s->setting("k"));
    s->set_setting("k", "v1");
    s->set_setting("k", "v2");
    EXPECT_EQ(s->setting("k"), "v2");
    s->audit({id, "Alice", "user.login", "user", std::to_string(id), "{}", "127.0.0.1"});
    EXPECT_TRUE(s->ping());
}

TEST(SqliteStore, ReopenKeepsDataAndSchemaVersion) {
    TempDir dir;
    auto path = (dir.path / "t.db").string();
    {
        auto s = open_sqlite_store(path);
        s->create_user({"bob", "Bob", std::nullopt, "h", "admin", 1});
    }
    auto s = open_sqlite_store(path);
    EXPECT_EQ(s->count_users(), 1);
    EXPECT_EQ(s->schema_version(), static_cast<int>(builtin_migrations().size()));
    SQLite::Database raw(path);
    EXPECT_EQ(raw.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST(SqliteStore, RecentSearchesKeepTheLastOnesPerUser) {
    TempDir dir;
    auto s = open_sqlite_store((dir.path / "t.db").string());
    auto a = s->create_user({"ana", "Ana", std::nullopt, "h", "user", 2});
    auto b = s->create_user({"ben", "Ben", std::nullopt, "h", "user", 2});
    for (int i = 0; i < 25; ++i)
        s->record_search(a, {0, "q" + std::to_string(i), "tout", "", i, 1000 + i / 2}, 20);
    s->record_search(b, {0, "q3", "films", "yggtorrent", 7, 5000}, 20);
    auto mine = s->recent_searches(a);
    ASSERT_EQ(mine.size(), 20u);
    EXPECT_EQ(mine.front().query, "q24");  // newest first, ties broken by insertion
    EXPECT_EQ(mine.back().query, "q5");

    // The same search again moves to the top instead of adding a row.
    s->record_search(a, {0, "q10", "tout", "", 42, 9000}, 20);
    mine = s->recent_searches(a);
    ASSERT_EQ(mine.size(), 20u);
    EXPECT_EQ(mine.front().query, "q10");
    EXPECT_EQ(mine.front().results, 42);

    auto theirs = s->recent_searches(b);
    ASSERT_EQ(theirs.size(), 1u);
    EXPECT_EQ(theirs[0].indexer, "yggtorrent");
    EXPECT_EQ(s->delete_recent_searches(a, theirs[0].id), 0);  // not Ana's
    EXPECT_EQ(s->delete_recent_searches(a, mine.front().id), 1);
    EXPECT_EQ(s->recent_searches(a).size(), 19u);
    EXPECT_EQ(s->delete_recent_searches(a, 0), 19);
    EXPECT_TRUE(s->recent_searches(a).empty());
    EXPECT_EQ(s->recent_searches(b).size(), 1u);
}

TEST(SettingsCipher, SealsSecretsAndReadsThemBackOnlyWithTheKey) {
    TempDir dir;
    auto path = (dir.path / "t.db").string();
    auto key = std::string(32, 'k');
    {
        auto s = open_sqlite_store(path);
        s->set_setting("qbt_password", "mot-de-passe-en-clair");  // before the cipher: clear
        s->set_setting("qbt_url", "http://127.0.0.1:8081");
        s->set_cipher(std::make_shared<SettingsCipher>(key));  // seals what was clear
        s->set_setting("jackett_api_key", "cle-jackett-secrete");
        EXPECT_EQ(s->setting("qbt_password"), "mot-de-passe-en-clair");
        EXPECT_EQ(s->setting("jackett_api_key"), "cle-jackett-secrete");
        EXPECT_EQ(s->setting("qbt_url"), "http://127.0.0.1:8081");  // not a secret
    }
    {
        SQLite::Database raw(path);
        SQLite::Statement q(raw, "SELECT key, value FROM settings");
        while (q.executeStep()) {
            std::string k = q.getColumn(0).getString(), v = q.getColumn(1).getString();
            EXPECT_EQ(v.find("en-clair"), std::string::npos) << k;
            EXPECT_EQ(v.find("secrete"), std::string::npos) << k;
            if (is_secret_setting(k)) {
                EXPECT_TRUE(SettingsCipher::is_sealed(v)) << k;
            }
        }
    }
    auto s = open_sqlite_store(path);
    EXPECT_FALSE(s->setting("qbt_password"));  // no cipher: sealed values read as absent
    s->set_cipher(std::make_shared<SettingsCipher>(std::string(32, 'x')));
    EXPECT_FALSE(s->setting("qbt_password"));  // wrong key: absent, never garbage
    s->set_cipher(std::make_shared<SettingsCipher>(key));
    EXPECT_EQ(s->setting("qbt_password"), "mot-de-passe-en-clair");

    SettingsCipher c(key);
    auto a = c.seal("x"), b = c.seal("x");
    EXPECT_NE(a, b);  // random nonce
    EXPECT_EQ(c.open(a), "x");
    auto tampered = a;
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    EXPECT_FALSE(c.open(tampered));
    EXPECT_FALSE(c.open("enc:v1:"));
    EXPECT_FALSE(c.open("plain"));
}

TEST(SqliteStore, CompletionIsRecordedExactlyOnceAcrossReopen) {
    TempDir dir;
    auto path = (dir.path / "t.db").string();
    std::int64_t row = 0, uid = 0;
    {
        auto s = open_sqlite_store(path);
        uid = s->create_user({"ana", "Ana", std::nullopt, "h", "user", 2});
        TorrentRow r;
        r.qbt_hash = std::string(40, 'a');
        r.owner_id = uid;
        r.source = "magnet";
        r.added_at = 1;
        row = s->insert_torrent(r);
        auto n = s->record_completion(row, 100, r.qbt_hash, "film", "« film » est terminé.");
        ASSERT_TRUE(n);
        EXPECT_EQ(n->user_id, uid);
        EXPECT_EQ(n->kind, "completed");
        EXPECT_FALSE(s->record_completion(row, 101, r.qbt_hash, "film", "x"));
    }
    auto s = open_sqlite_store(path);
    EXPECT_FALSE(s->record_completion(row, 102, std::string(40, 'a'), "film", "x"));
    std::int64_t unread = 0;
    auto list = s->notifications(uid, 10, unread);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(unread, 1);
    EXPECT_TRUE(s->torrent_rows(0).front().completion_notified);
    EXPECT_EQ(s->torrent_rows(0).front().completed_at, 100);
    EXPECT_EQ(s->mark_notifications_read(uid + 1, {}, 5), 0);  // someone else: nothing
    EXPECT_EQ(s->mark_notifications_read(uid, {list[0].id}, 5), 1);
    s->notifications(uid, 10, unread);
    EXPECT_EQ(unread, 0);
    EXPECT_EQ(s->clear_notifications(uid), 1);
}
