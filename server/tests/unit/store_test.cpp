#include "store/store.hpp"
#include "store/migrate.hpp"
#include "store/pg_store.hpp"
#include "store_engines.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <chrono>

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <ctime>
#include <filesystem>
#include <set>
#include <thread>

using namespace essaim::store;
using essaim::store::test_support::Engine;
using essaim::store::test_support::TempDir;
namespace fs = std::filesystem;

namespace {

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

TEST(Migrate, PostgresSetHasTheSameNumberedMigrations) {
    // Every SQLite migration has its PostgreSQL twin with the same number and name, so both
    // engines report the same schema_version for the same schema.
    std::vector<std::string> sqlite, pg;
    for (const auto& m : builtin_migrations()) sqlite.push_back(m.name);
    for (const auto& m : builtin_pg_migrations()) pg.push_back(m.name);
    EXPECT_FALSE(pg.empty());
    EXPECT_EQ(sqlite, pg);
}

TEST(PgUrl, PasswordsAreRedacted) {
    EXPECT_EQ(pg::redact_url("postgresql://essaim:s3cret@127.0.0.1:5432/essaim"),
              "postgresql://essaim:***@127.0.0.1:5432/essaim");
    EXPECT_EQ(pg::redact_url("postgres://u@h/db?sslmode=require&password=s3cret"),
              "postgres://u@h/db?sslmode=require&password=***");
    EXPECT_EQ(pg::redact_url("postgresql://h:5432/db"), "postgresql://h:5432/db");
    EXPECT_EQ(pg::redact_url("host=h password=s3cret dbname=x"), "host=h password=*** dbname=x");
    EXPECT_EQ(pg::scrub_secrets("bad token \"s3%zz\" in s3%zz", "postgresql://u:s3%zz@h/db"),
              "bad token \"***\" in ***");
    EXPECT_TRUE(pg::is_postgres_url("postgres://h/db"));
    EXPECT_TRUE(pg::is_postgres_url("postgresql://h/db"));
    EXPECT_FALSE(pg::is_postgres_url("sqlite:///tmp/x.db"));
}

TEST(PgStore, UnreachableServerFailsWithAFrenchMessageWithoutThePassword) {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    try {
        open_postgres_store("postgresql://essaim:mot-de-passe-secret@127.0.0.1:1/essaim");
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("connexion à PostgreSQL impossible"), std::string::npos) << what;
        EXPECT_NE(what.find("essaim:***@127.0.0.1:1"), std::string::npos) << what;
        EXPECT_EQ(what.find("mot-de-passe-secret"), std::string::npos) << what;
    }
    // A malformed URL: libpq quotes the bad part, which here is the password.
    try {
        open_postgres_store("postgresql://essaim:secret%zz@127.0.0.1:1/essaim");
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()).find("secret%zz"), std::string::npos) << e.what();
    }
}

TEST(PgMigrate, AppliesOnceRollsBackFailuresAndRefusesNewerDatabases) {
    auto url = test_support::pg_test_url();
    if (!url) GTEST_SKIP() << test_support::kNoPgMessage;
    test_support::PgScratch db(url);
    pg::Connection c(db.url());
    std::vector<Migration> two = {
        {"0001_a.sql", "CREATE TABLE a (x BIGINT);"},
        {"0002_b.sql", "CREATE TABLE b (y TEXT); INSERT INTO b VALUES ('hello');"}};
    std::vector<Migration> bad = {two[0], {"0002_b.sql", "CREATE TABLE b (y TEXT); SELECT nope;"}};
    EXPECT_ANY_THROW(migrate(c, bad));
    EXPECT_EQ(schema_version(c), 1);  // 0001 committed, 0002 rolled back
    EXPECT_EQ(c.exec("SELECT to_regclass('b') IS NULL").text(0, 0), "t");
    auto r = migrate(c, two);
    EXPECT_EQ(r.from_version, 1);
    EXPECT_EQ(r.applied, std::vector<std::string>{"0002_b.sql"});
    EXPECT_EQ(c.exec("SELECT y FROM b").text(0, 0), "hello");
    EXPECT_TRUE(migrate(c, two).applied.empty());
    EXPECT_THROW(migrate(c, {two[0]}), std::runtime_error);
}

// ---- The store contract, on every engine -------------------------------------------------

class StoreContract : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        if (GetParam() == "postgres" && !test_support::pg_test_url())
            GTEST_SKIP() << test_support::kNoPgMessage;
        engine = std::make_unique<Engine>(GetParam());
        s = engine->open();
    }
    void TearDown() override {
        s.reset();
        engine.reset();
    }
    void reopen() {
        s.reset();
        s = engine->open();
    }
    // key → value exactly as stored (sealed or not), read around the store.
    std::vector<std::pair<std::string, std::string>> raw_settings() {
        std::vector<std::pair<std::string, std::string>> out;
        if (engine->is_postgres()) {
            pg::Connection c(engine->pg_url());
            auto r = c.exec("SELECT key, value FROM settings");
            for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.text(i, 0), r.text(i, 1));
        } else {
            SQLite::Database raw(engine->sqlite_path());
            SQLite::Statement q(raw, "SELECT key, value FROM settings");
            while (q.executeStep())
                out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString());
        }
        return out;
    }
    std::int64_t add_user(const std::string& name, const std::string& role = "user",
                          std::int64_t group = 2) {
        return s->create_user({name, name, std::nullopt, "h", role, group});
    }
    TorrentRow torrent(char c, std::optional<std::int64_t> owner) {
        TorrentRow r;
        r.qbt_hash = std::string(40, c);
        r.hash_v1 = r.qbt_hash;
        r.owner_id = owner;
        r.source = "magnet";
        r.name = std::string("film-") + c;
        r.added_at = 10;
        return r;
    }

    std::unique_ptr<Engine> engine;
    std::unique_ptr<Store> s;
};

INSTANTIATE_TEST_SUITE_P(Engines, StoreContract, ::testing::Values("sqlite", "postgres"),
                         test_support::engine_name);

TEST_P(StoreContract, UsersSessionsSettingsAudit) {
    EXPECT_EQ(s->count_users(), 0);
    auto g = s->group_by_name("utilisateurs");  // names compare without case
    ASSERT_TRUE(g);
    auto id = s->create_user({"Alice", "Alice", "a@b.fr", "hash", "user", g->id});
    EXPECT_THROW(s->create_user({"alice", "x", std::nullopt, "h", "user", g->id}), Conflict);
    auto u = s->user_by_username("ALICE");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->id, id);
    EXPECT_EQ(u->username, "Alice");
    EXPECT_EQ(u->group_name, "Utilisateurs");
    EXPECT_FALSE(u->permissions.empty());
    EXPECT_EQ(u->email, "a@b.fr");
    EXPECT_EQ(u->limits_json, "{}");
    EXPECT_FALSE(u->last_login_at);
    EXPECT_GT(u->created_at, 0);

    s->create_session({"sid", id, 100, 200, "127.0.0.1", "ua"});
    EXPECT_TRUE(s->user_for_session("sid", id, 150));
    EXPECT_FALSE(s->user_for_session("sid", id, 200));  // expired
    EXPECT_FALSE(s->user_for_session("sid", id + 1, 150));
    s->delete_session("sid");
    EXPECT_FALSE(s->user_for_session("sid", id, 150));

    s->set_password(id, "h2", true);
    EXPECT_EQ(s->user_by_id(id)->token_version, 1);
    EXPECT_EQ(s->user_by_id(id)->password_hash, "h2");
    s->set_password(id, "h3", false);
    EXPECT_EQ(s->user_by_id(id)->token_version, 1);
    EXPECT_THROW(s->set_password(999, "x", true), NotFound);
    s->update_profile(id, "Alice B.", std::nullopt);
    EXPECT_EQ(s->user_by_id(id)->display_name, "Alice B.");
    EXPECT_FALSE(s->user_by_id(id)->email);
    EXPECT_THROW(s->update_profile(999, "x", std::nullopt), NotFound);
    s->touch_login(id, 1234);
    EXPECT_EQ(s->user_by_id(id)->last_login_at, 1234);
    EXPECT_FALSE(s->user_by_id(999));
    EXPECT_FALSE(s->user_by_username("nobody"));

    EXPECT_FALSE(s->setting("k"));
    s->set_setting("k", "v1");
    s->set_setting("k", "v2");
    EXPECT_EQ(s->setting("k"), "v2");
    s->set_setting("empty", "");
    EXPECT_EQ(s->setting("empty"), "");
    s->audit({id, "Alice", "user.login", "user", std::to_string(id), "{}", "127.0.0.1"});
    EXPECT_TRUE(s->ping());
}

TEST_P(StoreContract, SessionsOfAUserEndTogetherAndExpiredOnesArePruned) {
    auto a = add_user("ana");
    auto b = add_user("ben");
    s->create_session({"a1", a, 100, 1000, "", ""});
    s->create_session({"a2", a, 100, 1000, "", std::string(300, 'x')});  // agent cut at 256
    s->create_session({"a3", a, 100, 500, "", ""});
    s->create_session({"b1", b, 100, 1000, "", ""});
    EXPECT_ANY_THROW(s->create_session({"a1", a, 100, 1000, "", ""}));  // same id twice
    // Bytes that are not UTF-8 (a forged User-Agent, cut in the middle of a character) never
    // make a login fail.
    s->create_session({"a4", a, 100, 1000, "", "Mozilla \xff\xfe " + std::string(253, 'x') + "é"});
    EXPECT_TRUE(s->user_for_session("a4", a, 150));
    s->delete_user_sessions(a, "a1");
    EXPECT_TRUE(s->user_for_session("a1", a, 150));
    EXPECT_FALSE(s->user_for_session("a2", a, 150));
    EXPECT_FALSE(s->user_for_session("a3", a, 150));
    EXPECT_TRUE(s->user_for_session("b1", b, 150));
    s->prune_sessions(1000);
    EXPECT_FALSE(s->user_for_session("a1", a, 150));
    EXPECT_FALSE(s->user_for_session("b1", b, 150));

    // A session shows the user's current state (a disabled user is reported as disabled).
    s->create_session({"b2", b, 100, 5000, "", ""});
    ASSERT_TRUE(s->user_for_session("b2", b, 150));
    EXPECT_FALSE(s->user_for_session("b2", b, 150)->disabled);
    s->update_user(b, UserUpdate{.disabled = true});
    EXPECT_TRUE(s->user_for_session("b2", b, 150)->disabled);
    s->delete_user(b);  // its sessions go with it
    EXPECT_FALSE(s->user_for_session("b2", b, 150));
}

// Two processes on one database (two instances, or the CLI beside the server): what one of
// them changes about a session or its user, the other sees on the next lookup. SQLite notices
// from its WAL file; PostgreSQL from NOTIFY essaim_auth, which app/cluster.cpp passes on as
// auth_changed_elsewhere (called by hand here) — and until told it listens, it caches nothing.
TEST_P(StoreContract, ASessionChangedByAnotherProcessIsSeenAtOnce) {
    auto a = add_user("ana");
    auto other = engine->open();
    s->create_session({"x1", a, 100, 1000, "", ""});
    ASSERT_TRUE(s->user_for_session("x1", a, 150));
    ASSERT_TRUE(s->user_for_session("x1", a, 150));  // from the cache, where there is one
    other->delete_session("x1");
    EXPECT_FALSE(s->user_for_session("x1", a, 150));

    s->auth_changed_elsewhere(true);  // now listening: answers may come from the cache
    s->create_session({"x2", a, 100, 1000, "", ""});
    ASSERT_TRUE(s->user_for_session("x2", a, 150));
    ASSERT_TRUE(s->user_for_session("x2", a, 150));
    other->update_user(a, UserUpdate{.disabled = true});
    s->auth_changed_elsewhere(true);  // the notification
    auto u = s->user_for_session("x2", a, 150);
    ASSERT_TRUE(u);
    EXPECT_TRUE(u->disabled);
    other->delete_session("x2");
    s->auth_changed_elsewhere(true);
    EXPECT_FALSE(s->user_for_session("x2", a, 150));

    // Its own writes count at once, without any notification.
    s->create_session({"x3", a, 100, 1000, "", ""});
    ASSERT_TRUE(s->user_for_session("x3", a, 150));
    s->delete_session("x3");
    EXPECT_FALSE(s->user_for_session("x3", a, 150));
    s->create_session({"x4", a, 100, 1000, "", ""});
    ASSERT_TRUE(s->user_for_session("x4", a, 150));
    s->update_user(a, UserUpdate{.disabled = false});
    EXPECT_FALSE(s->user_for_session("x4", a, 150)->disabled);

    // Deaf again (the cluster's connection broke): no cache, every change seen.
    s->auth_changed_elsewhere(false);
    ASSERT_TRUE(s->user_for_session("x4", a, 150));
    other->delete_session("x4");
    EXPECT_FALSE(s->user_for_session("x4", a, 150));
}

// The trigger of migrations_pg/0008: any change to users, groups or sessions, by anyone,
// NOTIFYs essaim_auth once committed.
TEST_P(StoreContract, PostgresNotifiesEveryChangeToAccounts) {
    if (!engine->is_postgres()) GTEST_SKIP() << "PostgreSQL only (SQLite watches its WAL file)";
    pg::Connection listener(engine->pg_url());
    listener.exec("LISTEN essaim_auth");
    auto heard = [&] {
        for (int i = 0; i < 50; ++i) {
            auto n = listener.notifications();
            if (!n.empty()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                listener.notifications();  // drop any later one of the same change
                return n.front().channel == "essaim_auth";
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    };
    auto a = add_user("ana");
    EXPECT_TRUE(heard());
    s->create_session({"n1", a, 100, 1000, "", ""});
    EXPECT_TRUE(heard());
    auto g = s->group_by_name("Utilisateurs");
    ASSERT_TRUE(g);
    s->update_group(*g);
    EXPECT_TRUE(heard());
    pg::Connection(engine->pg_url()).exec("UPDATE users SET disabled = 1");  // psql, the CLI…
    EXPECT_TRUE(heard());
    s->set_setting("k", "v");  // not about accounts: silent
    EXPECT_FALSE(heard());
}

TEST_P(StoreContract, AdministrationOfUsers) {
    auto zed = add_user("zed", "admin", 1);
    auto amy = add_user("Amy");
    auto bob = add_user("bob");
    auto list = s->list_users();
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0].username, "Amy");  // ordered by name, case ignored
    EXPECT_EQ(list[1].username, "bob");
    EXPECT_EQ(list[2].username, "zed");
    EXPECT_EQ(list[2].group_name, "Administrateurs");
    EXPECT_EQ(s->count_active_admins(), 1);

    UserUpdate up;
    up.display_name = "Amy Pond";
    up.email = std::optional<std::string>("amy@x.fr");
    up.role = "admin";
    up.group_id = 1;
    s->update_user(amy, up);
    auto u = s->user_by_id(amy);
    EXPECT_EQ(u->display_name, "Amy Pond");
    EXPECT_EQ(u->email, "amy@x.fr");
    EXPECT_TRUE(u->is_admin());
    EXPECT_EQ(u->group_id, 1);
    EXPECT_EQ(s->count_active_admins(), 2);
    s->update_user(amy, UserUpdate{.email = std::optional<std::string>(), .disabled = true});
    EXPECT_FALSE(s->user_by_id(amy)->email);
    EXPECT_TRUE(s->user_by_id(amy)->disabled);
    EXPECT_EQ(s->user_by_id(amy)->display_name, "Amy Pond");  // absent = unchanged
    EXPECT_EQ(s->count_active_admins(), 1);
    EXPECT_THROW(s->update_user(999, UserUpdate{.display_name = "x"}), NotFound);
    EXPECT_THROW(s->update_user(bob, UserUpdate{.group_id = 999}), Conflict);
    EXPECT_EQ(s->user_by_id(bob)->group_id, 2);  // nothing half-applied
    EXPECT_ANY_THROW(s->update_user(bob, UserUpdate{.role = "chef"}));

    auto names = s->user_names();
    ASSERT_EQ(names.size(), 3u);
    std::set<std::string> seen;
    for (const auto& n : names) seen.insert(n.username + "/" + n.display_name);
    EXPECT_TRUE(seen.count("Amy/Amy Pond"));

    // Deleting a user: torrents lose their owner; reassign first moves the live ones.
    auto t1 = s->insert_torrent(torrent('1', bob));
    auto t2 = s->insert_torrent(torrent('2', bob));
    s->mark_torrent_removed(t2, 50, "deleted");
    EXPECT_EQ(s->reassign_torrents(bob, zed), 1);  // the removed one stays bob's
    s->insert_torrent(torrent('3', bob));
    s->delete_user(bob);
    EXPECT_THROW(s->delete_user(bob), NotFound);
    for (const auto& r : s->torrent_rows(0)) {
        if (r.id == t1) {
            EXPECT_EQ(r.owner_id, zed);
            EXPECT_EQ(r.source, "assigned");
        } else {
            EXPECT_FALSE(r.owner_id) << r.name;
        }
    }
    EXPECT_EQ(s->count_users(), 2);
}

TEST_P(StoreContract, Groups) {
    auto groups = s->list_groups();
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0].id, 1);
    EXPECT_EQ(groups[0].name, "Administrateurs");
    Group g;
    g.name = "Famille";
    g.permissions = {"search", "add_magnets"};
    g.limits_json = R"({"max_torrents":5})";
    auto id = s->create_group(g);
    EXPECT_GT(id, 2);  // after the two built-in groups
    EXPECT_THROW(s->create_group(g), Conflict);
    g.name = "FAMILLE";
    EXPECT_THROW(s->create_group(g), Conflict);  // names compare without case
    auto got = s->group_by_id(id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->name, "Famille");
    EXPECT_EQ(got->permissions, (std::vector<std::string>{"search", "add_magnets"}));
    EXPECT_EQ(got->limits_json, R"({"max_torrents":5})");
    EXPECT_FALSE(s->group_by_id(999));
    EXPECT_FALSE(s->group_by_name("inconnu"));

    got->name = "Amis";
    got->permissions = {"search"};
    s->update_group(*got);
    EXPECT_EQ(s->group_by_name("amis")->permissions, std::vector<std::string>{"search"});
    got->name = "utilisateurs";
    EXPECT_THROW(s->update_group(*got), Conflict);
    got->id = 999;
    got->name = "Autre";
    EXPECT_THROW(s->update_group(*got), NotFound);

    auto u = add_user("carl", "user", id);
    EXPECT_EQ(s->count_group_members(id), 1);
    EXPECT_EQ(s->user_by_id(u)->limits_json, R"({"max_torrents":5})");
    EXPECT_THROW(s->delete_group(id), Conflict);  // still has members
    s->update_user(u, UserUpdate{.group_id = 2});
    s->delete_group(id);
    EXPECT_THROW(s->delete_group(id), NotFound);
    EXPECT_EQ(s->list_groups().size(), 2u);
}

TEST_P(StoreContract, AuditLogFiltersAndPages) {
    s->audit({1, "Alice", "user.login", "user", "1", "{}", "127.0.0.1"});
    s->audit({1, "Alice", "user.password_change", "user", "1", "{}", "127.0.0.1"});
    s->audit({std::nullopt, "cli", "admin.create", "user", "2", R"({"a":1})", ""});
    s->audit({3, "Bernard", "torrent.add", "torrent", "abc", "{}", "::1"});
    s->audit({3, "Bernard", "user.login", "user", "3", "{}", "::1"});

    std::int64_t total = 0;
    auto all = s->audit_entries({}, total);
    EXPECT_EQ(total, 5);
    ASSERT_EQ(all.size(), 5u);
    EXPECT_EQ(all[0].action, "user.login");  // newest first
    EXPECT_EQ(all[0].actor_name, "Bernard");
    EXPECT_EQ(all[2].details_json, R"({"a":1})");
    EXPECT_FALSE(all[2].actor_id);
    EXPECT_EQ(all[4].ip, "127.0.0.1");

    auto f = AuditFilter{};
    f.actor = "ali";  // contains, case ignored
    s->audit_entries(f, total);
    EXPECT_EQ(total, 2);
    f = AuditFilter{};
    f.action = "user.login";
    EXPECT_EQ(s->audit_entries(f, total).size(), 2u);
    f.action = "user.";  // prefix
    s->audit_entries(f, total);
    EXPECT_EQ(total, 3);
    f.action = "user";  // neither exact nor a prefix ending with '.'
    s->audit_entries(f, total);
    EXPECT_EQ(total, 0);
    f = AuditFilter{};
    f.limit = 2;
    f.offset = 1;
    auto page = s->audit_entries(f, total);
    EXPECT_EQ(total, 5);
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(page[0].action, "torrent.add");
    f.limit = -1;  // SQLite's meaning: no limit, and a negative offset counts as 0
    f.offset = -3;
    EXPECT_EQ(s->audit_entries(f, total).size(), 5u);
    f = AuditFilter{};
    auto now = static_cast<std::int64_t>(std::time(nullptr));
    f.from = now + 3600;
    s->audit_entries(f, total);
    EXPECT_EQ(total, 0);
    f.from = now - 3600;
    f.to = now + 3600;
    s->audit_entries(f, total);
    EXPECT_EQ(total, 5);

    EXPECT_EQ(s->audit_actions(), (std::vector<std::string>{"admin.create", "torrent.add",
                                                            "user.login", "user.password_change"}));
}

TEST_P(StoreContract, TorrentOwnershipRows) {
    auto ana = add_user("ana");
    auto r = torrent('a', ana);
    r.hash_v2 = std::string(64, 'b');
    r.size = 1000;
    r.limit_state = "queued";
    auto id = s->insert_torrent(r);
    EXPECT_THROW(s->insert_torrent(r), Conflict);  // one live row per qbt_hash
    auto orphan = torrent('c', std::nullopt);
    orphan.hash_v1 = "";
    orphan.source = "reconciled";
    orphan.size_checked = false;
    auto oid = s->insert_torrent(orphan);
    auto legacy = torrent('e', ana);
    legacy.name = "Film \xe9t\xe9 (Latin-1)";  // a .torrent name in a legacy encoding
    s->delete_torrent_row(s->insert_torrent(legacy));

    auto rows = s->torrent_rows(0);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].id, id);
    EXPECT_EQ(rows[0].hash_v2, std::string(64, 'b'));
    EXPECT_EQ(rows[0].size, 1000);
    EXPECT_EQ(rows[0].owner_id, ana);
    EXPECT_EQ(rows[0].limit_state, "queued");
    EXPECT_EQ(rows[0].removal, "");
    EXPECT_TRUE(rows[0].size_checked);
    EXPECT_FALSE(rows[0].completion_notified);
    EXPECT_EQ(rows[1].hash_v1, "");  // NULL reads as ""
    EXPECT_EQ(rows[1].hash_v2, "");
    EXPECT_FALSE(rows[1].owner_id);
    EXPECT_FALSE(rows[1].size);
    EXPECT_FALSE(rows[1].size_checked);

    s->update_torrent_identity(id, std::string(40, 'd'), std::string(40, 'a'), "", "vrai nom",
                               2000);
    s->set_torrent_limit(id, "stopped", "Quota dépassé", true);
    s->set_torrent_owner(oid, ana);
    EXPECT_THROW(s->set_torrent_owner(999, ana), NotFound);
    rows = s->torrent_rows(0);
    EXPECT_EQ(rows[0].qbt_hash, std::string(40, 'd'));
    EXPECT_EQ(rows[0].hash_v2, "");
    EXPECT_EQ(rows[0].name, "vrai nom");
    EXPECT_EQ(rows[0].size, 2000);
    EXPECT_EQ(rows[0].limit_state, "stopped");
    EXPECT_EQ(rows[0].limit_reason, "Quota dépassé");
    EXPECT_EQ(rows[1].owner_id, ana);
    EXPECT_EQ(rows[1].source, "assigned");
    s->set_torrent_limit(id, "", "", true);
    EXPECT_EQ(s->torrent_rows(0)[0].limit_state, "");

    s->mark_torrent_removed(id, 100, "deleted");
    s->mark_torrent_removed(id, 200, "vanished");  // only the first removal counts
    EXPECT_EQ(s->torrent_rows(100).size(), 2u);
    EXPECT_EQ(s->torrent_rows(101).size(), 1u);  // removed before 101: hidden
    auto removed = s->torrent_rows(0)[0];
    EXPECT_EQ(removed.removed_at, 100);
    EXPECT_EQ(removed.removal, "deleted");
    r.qbt_hash = std::string(40, 'd');
    auto again = s->insert_torrent(r);  // the same torrent may come back once removed
    EXPECT_GT(again, oid);
    s->delete_torrent_row(again);
    EXPECT_EQ(s->torrent_rows(0).size(), 2u);
}

TEST_P(StoreContract, SettingsAreSealedAndReadBackOnlyWithTheKey) {
    auto key = std::string(32, 'k');
    s->set_setting("qbt_password", "mot-de-passe-en-clair");  // before the cipher: clear
    s->set_setting("qbt_url", "http://127.0.0.1:8081");
    s->set_cipher(std::make_shared<SettingsCipher>(key));  // seals what was clear
    s->set_setting("jackett_api_key", "cle-jackett-secrete");
    EXPECT_EQ(s->setting("qbt_password"), "mot-de-passe-en-clair");
    EXPECT_EQ(s->setting("jackett_api_key"), "cle-jackett-secrete");
    EXPECT_EQ(s->setting("qbt_url"), "http://127.0.0.1:8081");  // not a secret
    s.reset();
    auto raw = raw_settings();
    EXPECT_EQ(raw.size(), 3u);
    for (const auto& [k, v] : raw) {
        EXPECT_EQ(v.find("en-clair"), std::string::npos) << k;
        EXPECT_EQ(v.find("secrete"), std::string::npos) << k;
        if (is_secret_setting(k)) {
            EXPECT_TRUE(SettingsCipher::is_sealed(v)) << k;
        }
    }
    reopen();
    EXPECT_FALSE(s->setting("qbt_password"));  // no cipher: sealed values read as absent
    s->set_cipher(std::make_shared<SettingsCipher>(std::string(32, 'x')));
    EXPECT_FALSE(s->setting("qbt_password"));  // wrong key: absent, never garbage
    s->set_cipher(std::make_shared<SettingsCipher>(key));
    EXPECT_EQ(s->setting("qbt_password"), "mot-de-passe-en-clair");
}

TEST(SettingsCipher, SealsWithARandomNonceAndRefusesTampering) {
    auto key = std::string(32, 'k');
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

TEST_P(StoreContract, ReopenKeepsDataAndSchemaVersion) {
    s->create_user({"bob", "Bob", std::nullopt, "h", "admin", 1});
    reopen();
    EXPECT_EQ(s->count_users(), 1);
    EXPECT_EQ(s->schema_version(), static_cast<int>(builtin_migrations().size()));
    if (!engine->is_postgres()) {
        SQLite::Database raw(engine->sqlite_path());
        EXPECT_EQ(raw.execAndGet("PRAGMA journal_mode").getString(), "wal");
    }
}

TEST_P(StoreContract, RecentSearchesKeepTheLastOnesPerUser) {
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
    EXPECT_EQ(mine.front().searched_at, 9000);

    auto theirs = s->recent_searches(b);
    ASSERT_EQ(theirs.size(), 1u);
    EXPECT_EQ(theirs[0].indexer, "yggtorrent");
    EXPECT_EQ(theirs[0].category, "films");
    EXPECT_EQ(s->delete_recent_searches(a, theirs[0].id), 0);  // not Ana's
    EXPECT_EQ(s->delete_recent_searches(a, mine.front().id), 1);
    EXPECT_EQ(s->recent_searches(a).size(), 19u);
    EXPECT_EQ(s->delete_recent_searches(a, 0), 19);
    EXPECT_TRUE(s->recent_searches(a).empty());
    EXPECT_EQ(s->recent_searches(b).size(), 1u);
}

TEST_P(StoreContract, CompletionIsRecordedExactlyOnceAcrossReopen) {
    auto uid = s->create_user({"ana", "Ana", std::nullopt, "h", "user", 2});
    auto r = torrent('a', uid);
    auto row = s->insert_torrent(r);
    auto n = s->record_completion(row, 100, r.qbt_hash, "film", "« film » est terminé.");
    ASSERT_TRUE(n);
    EXPECT_EQ(n->user_id, uid);
    EXPECT_EQ(n->kind, "completed");
    EXPECT_EQ(n->message, "« film » est terminé.");
    EXPECT_GT(n->id, 0);
    EXPECT_FALSE(s->record_completion(row, 101, r.qbt_hash, "film", "x"));
    reopen();
    EXPECT_FALSE(s->record_completion(row, 102, std::string(40, 'a'), "film", "x"));
    std::int64_t unread = 0;
    auto list = s->notifications(uid, 10, unread);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].id, n->id);
    EXPECT_EQ(unread, 1);
    EXPECT_TRUE(s->torrent_rows(0).front().completion_notified);
    EXPECT_EQ(s->torrent_rows(0).front().completed_at, 100);
    EXPECT_EQ(s->mark_notifications_read(uid + 1, {}, 5), 0);  // someone else: nothing
    EXPECT_EQ(s->mark_notifications_read(uid, {list[0].id}, 5), 1);
    s->notifications(uid, 10, unread);
    EXPECT_EQ(unread, 0);
    EXPECT_EQ(s->clear_notifications(uid), 1);

    // A torrent without owner is flagged, but nobody is notified.
    auto orphan = s->insert_torrent(torrent('b', std::nullopt));
    EXPECT_FALSE(s->record_completion(orphan, 100, "", "", ""));
    EXPECT_TRUE(s->torrent_rows(0).back().completion_notified);
}

TEST_P(StoreContract, CompletionIsNotifiedOnceUnderConcurrentCallers) {
    auto uid = add_user("ana");
    std::vector<std::int64_t> rows;
    for (char c : std::string("abcdef")) rows.push_back(s->insert_torrent(torrent(c, uid)));
    std::atomic<int> notified{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (auto row : rows)
                if (s->record_completion(row, 100, "h", "n", "m")) ++notified;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(notified.load(), 6);
    std::int64_t unread = 0;
    EXPECT_EQ(s->notifications(uid, 100, unread).size(), 6u);
}

TEST_P(StoreContract, ConcurrentWritersFromManyThreads) {
    std::atomic<int> conflicts{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i) {
                try {
                    add_user("user" + std::to_string(i));  // every thread tries the same names
                } catch (const Conflict&) {
                    ++conflicts;
                }
                s->audit({std::nullopt, "t" + std::to_string(t), "x.y", "", "", "{}", ""});
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(s->count_users(), 10);
    EXPECT_EQ(conflicts.load(), 30);
    std::int64_t total = 0;
    s->audit_entries({}, total);
    EXPECT_EQ(total, 40);
}

TEST_P(StoreContract, NotificationsAndDeliveries) {
    auto ana = add_user("ana");
    auto ben = add_user("ben");
    Notification in;
    in.user_id = ana;
    in.kind = "limit_stopped";
    in.torrent_hash = "h1";
    in.torrent_name = "film";
    in.message = "Arrêté : quota dépassé.";
    auto n1 = s->add_notification(in);
    EXPECT_GT(n1.id, 0);
    EXPECT_GT(n1.created_at, 0);  // filled when absent
    in.kind = "error";
    in.created_at = 42;
    auto n2 = s->add_notification(in);
    EXPECT_EQ(n2.created_at, 42);
    in.kind = "bogus";
    EXPECT_ANY_THROW(s->add_notification(in));
    in.kind = "removed";
    in.user_id = ben;
    s->add_notification(in);

    std::int64_t unread = 0;
    auto list = s->notifications(ana, 1, unread);
    ASSERT_EQ(list.size(), 1u);  // limit
    EXPECT_EQ(unread, 2);
    EXPECT_EQ(list[0].id, n2.id);  // newest first
    EXPECT_EQ(list[0].kind, "error");
    EXPECT_EQ(list[0].torrent_name, "film");
    EXPECT_FALSE(list[0].read_at);
    EXPECT_EQ(s->mark_notifications_read(ana, {n1.id, n1.id, 999}, 7), 1);
    list = s->notifications(ana, 10, unread);
    EXPECT_EQ(unread, 1);
    EXPECT_EQ(list[1].read_at, 7);
    EXPECT_EQ(s->notifications(ana, -1, unread).size(), 2u);  // negative: no limit
    EXPECT_EQ(s->mark_notifications_read(ana, {}, 8), 1);
    EXPECT_EQ(s->mark_notifications_read(ana, {}, 9), 0);

    s->set_notify_prefs(ana, true, std::string("https://hook.example/x"));
    auto u = s->user_by_id(ana);
    EXPECT_TRUE(u->notify_email);
    EXPECT_EQ(u->webhook_url, "https://hook.example/x");
    s->set_notify_prefs(ana, false, std::nullopt);
    EXPECT_FALSE(s->user_by_id(ana)->notify_email);
    EXPECT_FALSE(s->user_by_id(ana)->webhook_url);
    EXPECT_THROW(s->set_notify_prefs(999, true, std::nullopt), NotFound);

    s->enqueue_delivery(n1.id, ana, "email", "ana@x.fr", 100);
    s->enqueue_delivery(n2.id, ana, "webhook", "https://hook.example/x", 50);
    EXPECT_ANY_THROW(s->enqueue_delivery(n2.id, ana, "pigeon", "", 50));
    auto due = s->due_deliveries(100, 10);
    ASSERT_EQ(due.size(), 2u);
    EXPECT_EQ(due[0].channel, "webhook");  // earliest next_at first
    EXPECT_EQ(due[0].status, "pending");
    EXPECT_EQ(due[0].notification.id, n2.id);
    EXPECT_EQ(due[0].notification.kind, "error");
    EXPECT_EQ(due[0].notification.created_at, 42);
    EXPECT_EQ(due[0].last_error, "");
    EXPECT_EQ(s->due_deliveries(99, 10).size(), 1u);
    EXPECT_EQ(s->due_deliveries(100, 1).size(), 1u);

    s->update_delivery(due[0].id, "pending", 1, 200, "connexion refusée", 110);
    s->update_delivery(due[1].id, "sent", 1, 100, "", 111);
    EXPECT_TRUE(s->due_deliveries(150, 10).empty());
    auto mine = s->user_deliveries(ana, 10);
    ASSERT_EQ(mine.size(), 2u);
    EXPECT_EQ(mine[0].id, due[0].id);  // newest first
    EXPECT_EQ(mine[0].attempts, 1);
    EXPECT_EQ(mine[0].next_at, 200);
    EXPECT_EQ(mine[0].last_error, "connexion refusée");
    EXPECT_EQ(mine[0].updated_at, 110);
    EXPECT_EQ(mine[1].status, "sent");
    EXPECT_TRUE(s->user_deliveries(ben, 10).empty());

    EXPECT_EQ(s->clear_notifications(ana), 2);  // deliveries go with them
    EXPECT_TRUE(s->user_deliveries(ana, 10).empty());
}
