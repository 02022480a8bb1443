// The Store, written once for both engines over db.hpp: every statement (with `?` parameters;
// the few that SQLite and PostgreSQL spell differently come from dialect.hpp), one row mapper
// per table, and the session cache.
#include "store/store.hpp"

#include "store/db.hpp"
#include "store/dialect.hpp"
#include "store/migrate.hpp"
#include "util/clock.hpp"
#include "util/strings.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <limits>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace essaim::store {
namespace {

using db::Value;
constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
constexpr auto kMax = std::numeric_limits<std::int64_t>::max();

std::vector<std::string> parse_permissions(const std::string& json) {
    std::vector<std::string> out;
    boost::system::error_code ec;
    auto v = boost::json::parse(json, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& p : v.as_array())
        if (p.is_string()) out.emplace_back(p.as_string());
    return out;
}

std::string permissions_json(const std::vector<std::string>& perms) {
    return boost::json::serialize(boost::json::array(perms.begin(), perms.end()));
}

// These optional text columns hold NULL for "" (and NULL reads as "").
Value or_null(const std::string& v) {
    return v.empty() ? Value(std::nullopt) : Value(v);
}

// The contract follows SQLite: a negative LIMIT means none. PostgreSQL refuses it.
std::int64_t limit_of(std::int64_t n) {
    return n < 0 ? kMax : n;
}

// One row mapper per table, each reading the columns of the SELECT above it, in order.
constexpr const char* kUserColumns =
    "SELECT u.id, u.username, u.display_name, u.email, u.password_hash, u.role, u.group_id,"
    " g.name, g.permissions, g.limits, u.notify_email, u.webhook_url, u.disabled,"
    " u.token_version, u.created_at, u.last_login_at, u.folder";
constexpr int kUserColumnCount = 17;
// An API token's columns (t: api_tokens, u: its owner), read by read_token from `at` on.
constexpr const char* kTokenColumns =
    "t.id, t.user_id, t.name, t.read_only, t.created_at, t.expires_at, t.last_used_at,"
    " t.last_used_ip, u.username";
ApiToken read_token(const db::Conn& r, int at) {
    return {r.int64(at),          r.int64(at + 1),    r.text(at + 2),
            r.int64(at + 3) != 0, r.int64(at + 4),    r.opt_int64(at + 5),
            r.opt_int64(at + 6),  r.opt_text(at + 7), r.text(at + 8)};
}
// The users matching `rest`, with `extra` columns after read_user's.
std::string users(const char* rest, const char* extra = "") {
    return std::string(kUserColumns) + extra + " FROM users u JOIN groups g ON g.id = u.group_id" +
           rest;
}
User read_user(const db::Conn& r) {
    return {r.int64(0),       r.text(1),        r.text(2),
            r.opt_text(3),    r.text(4),        r.text(5),
            r.int64(6),       r.text(7),        parse_permissions(r.text(8)),
            r.text(9),        r.int64(10) != 0, r.opt_text(11),
            r.int64(12) != 0, r.int64(13),      r.int64(14),
            r.opt_int64(15),  r.text(16)};
}

constexpr const char* kGroups = "SELECT id, name, permissions, limits FROM groups";
Group read_group(const db::Conn& r) {
    return {r.int64(0), r.text(1), parse_permissions(r.text(2)), r.text(3)};
}

constexpr const char* kTorrents =
    "SELECT id, qbt_hash, hash_v1, hash_v2, owner_id, source, name, size, added_at, removed_at,"
    " removal, completed_at, limit_state, limit_reason, size_checked, completion_notified,"
    " server_id FROM torrents";
TorrentRow read_torrent(const db::Conn& r) {
    return {r.int64(0),       r.text(1),       r.text(2),      r.text(3),  r.opt_int64(4),
            r.text(5),        r.text(6),       r.opt_int64(7), r.int64(8), r.opt_int64(9),
            r.text(10),       r.opt_int64(11), r.text(12),     r.text(13), r.int64(14) != 0,
            r.int64(15) != 0, r.int64(16)};
}

constexpr const char* kServers =
    "SELECT id, name, url, username, password, download_root, download_base_url, state,"
    " created_at FROM qbt_servers";
Server read_server(const db::Conn& r) {
    return {r.int64(0), r.text(1), r.text(2), r.text(3), r.text(4),
            r.text(5),  r.text(6), r.text(7), r.int64(8)};
}

constexpr const char* kNotifications =
    "SELECT id, user_id, kind, torrent_hash, torrent_name, message, created_at, read_at"
    " FROM notifications";
Notification read_notification(const db::Conn& r) {
    return {r.int64(0), r.int64(1), r.text(2),  r.text(3),
            r.text(4),  r.text(5),  r.int64(6), r.opt_int64(7)};
}

constexpr const char* kDeliveries =
    "SELECT d.id, d.notification_id, d.user_id, d.channel, d.target, d.status, d.attempts,"
    " d.next_at, d.updated_at, d.last_error, n.kind, n.torrent_hash, n.torrent_name, n.message,"
    " n.created_at FROM deliveries d JOIN notifications n ON n.id = d.notification_id";
Delivery read_delivery(const db::Conn& r) {
    Delivery d{r.int64(0), r.int64(1), r.int64(2), r.text(3), r.text(4), r.text(5),
               r.int64(6), r.int64(7), r.int64(8), r.text(9), {}};
    d.notification = {d.notification_id, d.user_id,  r.text(10),  r.text(11),
                      r.text(12),        r.text(13), r.int64(14), std::nullopt};
    return d;
}

constexpr const char* kAudit =
    "SELECT id, at, actor_id, actor_name, action, target_type, target_id, details, ip"
    " FROM audit_log";
AuditRow read_audit(const db::Conn& r) {
    return {r.int64(0), r.int64(1), r.opt_int64(2), r.text(3), r.text(4),
            r.text(5),  r.text(6),  r.text(7),      r.text(8)};
}

RecentSearch read_search(const db::Conn& r) {
    return {r.int64(0), r.text(1), r.text(2), r.text(3), r.int64(4), r.int64(5)};
}

std::string read_text(const db::Conn& r) {
    return r.text(0);
}

template <class F>
auto read_all(db::Conn& c, F read) {
    std::vector<decltype(read(c))> out;
    while (c.next()) out.push_back(read(c));
    return out;
}

// The first column of the row a statement returns (a count, the id it inserted).
std::int64_t first(db::Conn& c) {
    if (!c.next()) throw std::runtime_error("aucune ligne renvoyée");
    return c.int64(0);
}

Notification insert_notification(db::Conn& c, Notification n) {
    if (!n.created_at) n.created_at = util::unix_now();
    n.id =
        first(c.run("INSERT INTO notifications (user_id, kind, torrent_hash, torrent_name, message,"
                    " created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    {n.user_id, n.kind, n.torrent_hash, n.torrent_name, n.message, n.created_at}));
    return n;
}

// A statement refused by a constraint of this kind throws Conflict(message).
struct Refused {
    db::Failure failure = db::Failure::other;
    const char* message = nullptr;
    template <class F>
    auto when(F f) const {
        try {
            return f();
        } catch (const db::Error& e) {
            if (message && e.failure == failure) throw Conflict(message);
            throw;
        }
    }
};

class SqlStore final : public Store {
    // Declared first in a method that writes users, groups or sessions: moves the generation
    // on when the method ends — after its commit, so that a lookup racing the write never
    // caches the rows it replaced.
    struct Written {
        std::atomic<std::uint64_t>& generation;
        ~Written() { generation.fetch_add(1); }
    };

    db::Lease lease() { return db_->lease(); }
    // Rows changed by one statement.
    std::int64_t exec(std::string_view sql, std::initializer_list<Value> p, Refused r = {}) {
        return r.when([&] { return lease()->run(sql, p).changed(); });
    }
    std::int64_t write(std::string_view sql, std::initializer_list<Value> p, Refused r = {}) {
        Written w{generation_};
        return exec(sql, p, r);
    }
    std::int64_t scalar(std::string_view sql, std::initializer_list<Value> p, Refused r = {}) {
        return r.when([&] { return first(lease()->run(sql, p)); });
    }
    template <class F>
    auto one(std::string_view sql, std::initializer_list<Value> p, F read)
        -> std::optional<decltype(read(std::declval<db::Conn&>()))> {
        auto c = lease();
        if (!c->run(sql, p).next()) return std::nullopt;
        return read(*c);
    }
    template <class F>
    auto all(std::string_view sql, std::initializer_list<Value> p, F read) {
        auto c = lease();
        c->run(sql, p);
        return read_all(*c, read);
    }

  public:
    SqlStore(std::unique_ptr<db::Database> db, bool run_migrations)
        : db_(std::move(db)), engine_(db_->engine), listening_(engine_ == db::Engine::sqlite) {
        if (run_migrations) migrate(*db_, builtin_migrations());
    }
    int schema_version() override { return store::schema_version(*db_); }
    bool ping() override {
        try {
            return lease()->run("SELECT 1").next();
        } catch (const std::exception&) {
            return false;
        }
    }

    std::int64_t create_user(const NewUser& u) override {
        Written w{generation_};
        auto now = util::unix_now();
        return scalar(
            "INSERT INTO users (username, display_name, email, password_hash, role, group_id,"
            " created_at, updated_at, folder) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {u.username, u.display_name, u.email, u.password_hash, u.role, u.group_id, now, now,
             u.folder.empty() ? str::to_lower(u.username) : u.folder},
            {db::Failure::unique, "username taken"});
    }
    bool folder_in_use(const std::string& folder) override {
        return lease()->run("SELECT 1 FROM users WHERE folder = ?", {folder}).next();
    }
    std::optional<User> user_by_id(std::int64_t id) override {
        return one(users(" WHERE u.id = ?"), {id}, read_user);
    }
    std::optional<User> user_by_username(const std::string& username) override {
        return one(users(" WHERE ") + dialect::kUserNamed.in(engine_), {username}, read_user);
    }
    std::int64_t count_users() override { return scalar("SELECT COUNT(*) FROM users", {}); }
    void update_profile(std::int64_t id, const std::string& display_name,
                        const std::optional<std::string>& email) override {
        if (write("UPDATE users SET display_name = ?, email = ?, updated_at = ? WHERE id = ?",
                  {display_name, email, util::unix_now(), id}) == 0)
            throw NotFound("user");
    }
    void set_password(std::int64_t id, const std::string& hash, bool bump) override {
        if (write("UPDATE users SET password_hash = ?, token_version = token_version + ?,"
                  " updated_at = ? WHERE id = ?",
                  {hash, bump ? 1 : 0, util::unix_now(), id}) == 0)
            throw NotFound("user");
    }
    void touch_login(std::int64_t id, std::int64_t now) override {
        write("UPDATE users SET last_login_at = ? WHERE id = ?", {now, id});
    }
    std::vector<User> list_users() override {
        return all(users(" ORDER BY ") + dialect::kByUserName.in(engine_), {}, read_user);
    }
    void update_user(std::int64_t id, const UserUpdate& u) override {
        Written w{generation_};
        // One UPDATE carrying every field given: all or nothing.
        std::string sql = "UPDATE users SET updated_at = ?";
        std::vector<Value> params{util::unix_now()};
        auto set = [&](const char* column, Value v) {
            sql += std::string(", ") + column + " = ?";
            params.push_back(v);
        };
        if (u.display_name) set("display_name", *u.display_name);
        if (u.email) set("email", *u.email);
        if (u.role) set("role", *u.role);
        if (u.group_id) set("group_id", *u.group_id);
        if (u.disabled) set("disabled", *u.disabled);
        sql += " WHERE id = ?";
        params.push_back(id);
        Refused no_group{db::Failure::foreign_key, "no such group"};
        if (no_group.when([&] { return lease()->run(sql, params).changed(); }) == 0)
            throw NotFound("no such user");
    }
    void delete_user(std::int64_t id) override {
        if (write("DELETE FROM users WHERE id = ?", {id}) == 0) throw NotFound("no such user");
    }
    std::int64_t count_active_admins() override {
        return scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0", {});
    }
    std::int64_t reassign_torrents(std::int64_t from, std::int64_t to) override {
        return exec(
            "UPDATE torrents SET owner_id = ?, source = 'assigned' WHERE owner_id = ? AND"
            " removed_at IS NULL",
            {to, from});
    }

    std::optional<Group> group_by_id(std::int64_t id) override {
        return one(std::string(kGroups) + " WHERE id = ?", {id}, read_group);
    }
    std::optional<Group> group_by_name(const std::string& name) override {
        return one(std::string(kGroups) + " WHERE " + dialect::kGroupNamed.in(engine_), {name},
                   read_group);
    }
    std::vector<Group> list_groups() override {
        return all(std::string(kGroups) + " ORDER BY id", {}, read_group);
    }
    std::int64_t count_group_members(std::int64_t id) override {
        return scalar("SELECT COUNT(*) FROM users WHERE group_id = ?", {id});
    }
    std::int64_t create_group(const Group& g) override {
        Written w{generation_};
        return scalar(
            "INSERT INTO groups (name, permissions, limits, created_at) VALUES (?, ?, ?, ?)"
            " RETURNING id",
            {g.name, permissions_json(g.permissions), g.limits_json, util::unix_now()},
            {db::Failure::unique, "group name taken"});
    }
    void update_group(const Group& g) override {
        if (write("UPDATE groups SET name = ?, permissions = ?, limits = ? WHERE id = ?",
                  {g.name, permissions_json(g.permissions), g.limits_json, g.id},
                  {db::Failure::unique, "group name taken"}) == 0)
            throw NotFound("no such group");
    }
    void delete_group(std::int64_t id) override {
        if (write("DELETE FROM groups WHERE id = ?", {id},
                  {db::Failure::foreign_key, "group has members"}) == 0)
            throw NotFound("no such group");
    }

    void create_session(const Session& s) override {
        write(
            "INSERT INTO sessions (id, user_id, created_at, expires_at, ip, user_agent,"
            " api_token_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            {s.id, s.user_id, s.created_at, s.expires_at, s.ip, s.user_agent.substr(0, 256),
             s.api_token_id});
    }

    std::int64_t create_api_token(const ApiToken& t, const std::string& token_hash) override {
        return scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, read_only, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            {t.user_id, t.name, token_hash, t.read_only, t.created_at, t.expires_at},
            {db::Failure::unique, "token exists"});
    }
    std::optional<Principal> user_for_api_token(const std::string& token_hash,
                                                std::int64_t now) override {
        static const std::string sql = users(
            " JOIN api_tokens t ON t.user_id = u.id"
            " WHERE t.token_hash = ? AND (t.expires_at IS NULL OR t.expires_at > ?)",
            (std::string(", ") + kTokenColumns).c_str());
        auto c = lease();
        if (!c->run(sql, {token_hash, now}).next()) return std::nullopt;
        return Principal{read_user(*c), read_token(*c, kUserColumnCount)};
    }
    std::vector<ApiToken> api_tokens(std::optional<std::int64_t> user_id) override {
        static const std::string sql =
            std::string("SELECT ") + kTokenColumns +
            " FROM api_tokens t JOIN users u ON u.id = t.user_id"
            " WHERE (CAST(? AS BIGINT) IS NULL OR t.user_id = ?) ORDER BY t.id DESC";
        return all(sql, {user_id, user_id}, [](const db::Conn& r) { return read_token(r, 0); });
    }
    bool delete_api_token(std::int64_t id, std::optional<std::int64_t> user_id) override {
        Written w{generation_};  // its sessions go with it (ON DELETE CASCADE)
        return write(
                   "DELETE FROM api_tokens WHERE id = ? AND (CAST(? AS BIGINT) IS NULL OR user_id "
                   "= ?)",
                   {id, user_id, user_id}) > 0;
    }
    void touch_api_token(std::int64_t id, std::int64_t at, const std::string& ip) override {
        write("UPDATE api_tokens SET last_used_at = ?, last_used_ip = ? WHERE id = ?",
              {at, ip, id});
    }
    std::vector<Label> labels(std::int64_t user_id) override {
        return all(
            "SELECT kind, name, save_path FROM user_labels WHERE user_id = ?"
            " ORDER BY kind, name",
            {user_id}, [](const db::Conn& r) {
                return Label{r.text(0), r.text(1), r.text(2)};
            });
    }
    bool put_label(std::int64_t user_id, const Label& l, bool replace) override {
        if (replace)
            return write(
                       "UPDATE user_labels SET save_path = ? WHERE user_id = ? AND kind = ?"
                       " AND name = ?",
                       {l.save_path, user_id, l.kind, l.name}) > 0;
        return write(
                   "INSERT INTO user_labels (user_id, kind, name, save_path) VALUES (?, ?, ?, ?)"
                   " ON CONFLICT DO NOTHING",
                   {user_id, l.kind, l.name, l.save_path}) > 0;
    }
    std::vector<Server> servers() override {
        auto list = all(std::string(kServers) + " ORDER BY id", {}, read_server);
        auto c = cipher_.load();
        for (auto& s : list) {
            if (!SettingsCipher::is_sealed(s.password)) continue;
            auto plain = c ? c->open(s.password) : std::nullopt;
            if (!plain)
                spdlog::warn("mot de passe du serveur {} illisible (clé secrète changée ?)", s.id);
            s.password = plain.value_or("");
        }
        return list;
    }
    std::string sealed(const std::string& plain) {
        auto c = cipher_.load();
        return c && !plain.empty() ? c->seal(plain) : plain;
    }
    std::int64_t create_server(const Server& s) override {
        return scalar(
            "INSERT INTO qbt_servers (name, url, username, password, download_root,"
            " download_base_url, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {s.name, s.url, s.username, sealed(s.password), s.download_root, s.download_base_url,
             s.state, util::unix_now()},
            {db::Failure::unique, "server name taken"});
    }
    void update_server(const Server& s) override {
        Refused taken{db::Failure::unique, "server name taken"};
        if (exec("UPDATE qbt_servers SET name = ?, url = ?, username = ?, download_root = ?,"
                 " download_base_url = ?, state = ? WHERE id = ?",
                 {s.name, s.url, s.username, s.download_root, s.download_base_url, s.state, s.id},
                 taken) == 0)
            throw NotFound("no such server");
        if (!s.password.empty())
            exec("UPDATE qbt_servers SET password = ? WHERE id = ?", {sealed(s.password), s.id});
    }
    void delete_server(std::int64_t id) override {
        if (exec("DELETE FROM qbt_servers WHERE id = ?", {id}) == 0)
            throw NotFound("no such server");
    }
    std::int64_t count_server_torrents(std::int64_t server_id) override {
        return scalar("SELECT COUNT(*) FROM torrents WHERE server_id = ? AND removed_at IS NULL",
                      {server_id});
    }
    std::vector<std::int64_t> group_servers(std::int64_t group_id) override {
        return all("SELECT server_id FROM group_servers WHERE group_id = ? ORDER BY server_id",
                   {group_id}, [](const db::Conn& r) { return r.int64(0); });
    }
    std::vector<std::pair<std::int64_t, std::int64_t>> all_group_servers() override {
        return all("SELECT group_id, server_id FROM group_servers ORDER BY group_id, server_id", {},
                   [](const db::Conn& r) { return std::pair(r.int64(0), r.int64(1)); });
    }
    void set_group_servers(std::int64_t group_id,
                           const std::vector<std::int64_t>& server_ids) override {
        auto c = lease();
        c->run("BEGIN");
        c->run("DELETE FROM group_servers WHERE group_id = ?", {group_id});
        Refused unknown{db::Failure::foreign_key, "no such server"};
        for (auto id : server_ids)
            unknown.when([&] {
                return c
                    ->run(
                        "INSERT INTO group_servers (group_id, server_id) VALUES (?, ?)"
                        " ON CONFLICT DO NOTHING",
                        {group_id, id})
                    .changed();
            });
        c->run("COMMIT");
    }
    std::optional<std::int64_t> user_for_identity(const std::string& issuer,
                                                  const std::string& subject) override {
        auto ids = all("SELECT user_id FROM user_identities WHERE issuer = ? AND subject = ?",
                       {issuer, subject}, [](const db::Conn& r) { return r.int64(0); });
        if (ids.empty()) return std::nullopt;
        return ids.front();
    }
    void link_identity(const Identity& i) override {
        exec(
            "INSERT INTO user_identities (issuer, subject, user_id, created_at) VALUES (?, ?, ?, "
            "?)",
            {i.issuer, i.subject, i.user_id, i.created_at ? i.created_at : util::unix_now()},
            {db::Failure::unique, "identity linked already"});
    }
    bool unlink_identity(std::int64_t user_id, const std::string& issuer) override {
        return exec("DELETE FROM user_identities WHERE user_id = ? AND issuer = ?",
                    {user_id, issuer}) > 0;
    }
    std::vector<Identity> identities(std::optional<std::int64_t> user_id) override {
        auto row = [](const db::Conn& r) {
            Identity i{r.int64(0), r.text(1), r.text(2), r.int64(3), std::nullopt};
            if (!r.null(4)) i.last_login_at = r.int64(4);
            return i;
        };
        if (user_id)
            return all(
                "SELECT user_id, issuer, subject, created_at, last_login_at FROM"
                " user_identities WHERE user_id = ? ORDER BY issuer",
                {*user_id}, row);
        return all(
            "SELECT user_id, issuer, subject, created_at, last_login_at FROM"
            " user_identities ORDER BY user_id, issuer",
            {}, row);
    }
    void touch_identity(const std::string& issuer, const std::string& subject,
                        std::int64_t at) override {
        exec("UPDATE user_identities SET last_login_at = ? WHERE issuer = ? AND subject = ?",
             {at, issuer, subject});
    }
    int delete_labels(std::int64_t user_id, const std::string& kind,
                      const std::vector<std::string>& names) override {
        int n = 0;  // a few names a call: one statement each
        for (const auto& name : names)
            n += static_cast<int>(
                write("DELETE FROM user_labels WHERE user_id = ? AND kind = ? AND name = ?",
                      {user_id, kind, name}));
        return n;
    }
    std::optional<Principal> user_for_session(const std::string& session_id, std::int64_t user_id,
                                              std::int64_t now) override {
        // Hot path (every authenticated request): answered from memory while the generation
        // stays. It moves after this process's writes (Written) and when another process may
        // have written (SQLite: its WAL file changed; PostgreSQL: auth_changed_elsewhere).
        if (db_->changed_elsewhere()) generation_.fetch_add(1);
        bool cache = listening_.load();
        auto gen = generation_.load();  // before the read: a write racing it moves it on
        if (cache) {
            std::shared_lock rl(cache_mu_);
            auto it = sessions_.find(session_id);
            if (it != sessions_.end() && it->second.generation == gen &&
                it->second.who.user.id == user_id && it->second.expires_at > now)
                return it->second.who;
        }
        // A session opened with a token carries it (LEFT JOIN: most have none).
        static const std::string sql = users(
            " JOIN sessions s ON s.user_id = u.id"
            " LEFT JOIN api_tokens t ON t.id = s.api_token_id"
            " WHERE s.id = ? AND s.user_id = ? AND s.expires_at > ?",
            (std::string(", s.expires_at, ") + kTokenColumns).c_str());
        auto c = lease();
        if (!c->run(sql, {session_id, user_id, now}).next()) return std::nullopt;
        Principal who{read_user(*c), {}};
        if (!c->null(kUserColumnCount + 1)) who.token = read_token(*c, kUserColumnCount + 1);
        if (cache) {
            std::unique_lock wl(cache_mu_);
            if (sessions_.size() > 10000) sessions_.clear();
            sessions_[session_id] = {who, c->int64(kUserColumnCount), gen};
        }
        return who;
    }
    void auth_changed_elsewhere(bool listening) override {
        generation_.fetch_add(1);
        // SQLite sees other processes' writes in its WAL file, heard or not.
        listening_.store(listening || engine_ == db::Engine::sqlite);
    }
    void delete_session(const std::string& session_id) override {
        write("DELETE FROM sessions WHERE id = ?", {session_id});
    }
    void delete_user_sessions(std::int64_t user_id, const std::string& except_id) override {
        write("DELETE FROM sessions WHERE user_id = ? AND id <> ?", {user_id, except_id});
    }
    void prune_sessions(std::int64_t now) override {
        write("DELETE FROM sessions WHERE expires_at <= ?", {now});
    }

    std::optional<std::string> setting(const std::string& key) override {
        auto v = one("SELECT value FROM settings WHERE key = ?", {key}, read_text);
        if (!v || !SettingsCipher::is_sealed(*v)) return v;
        auto c = cipher_.load();
        if (!c) return std::nullopt;
        auto plain = c->open(*v);
        if (!plain)
            spdlog::warn("réglage secret {} illisible (clé secrète changée ?) : ignoré", key);
        return plain;
    }
    void set_setting(const std::string& key, const std::string& plain) override {
        auto c = cipher_.load();
        exec(
            "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key)"
            " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            {key, c && is_secret_setting(key) && !plain.empty() ? c->seal(plain) : plain,
             util::unix_now()});
    }
    void set_cipher(std::shared_ptr<const SettingsCipher> c) override {
        cipher_.store(std::move(c));
        auto stored = all("SELECT key, value FROM settings", {},
                          [](const db::Conn& r) { return std::pair(r.text(0), r.text(1)); });
        for (const auto& [k, v] : stored)
            if (is_secret_setting(k) && !v.empty() && !SettingsCipher::is_sealed(v))
                set_setting(k, v);
    }

    void audit(const AuditEntry& e) override {
        exec(
            "INSERT INTO audit_log (at, actor_id, actor_name, action, target_type, target_id,"
            " details, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            {util::unix_now(), e.actor_id, e.actor_name, e.action, e.target_type, e.target_id,
             e.details_json, e.ip});
    }
    std::vector<AuditRow> audit_entries(const AuditFilter& f, std::int64_t& total) override {
        const std::string where = dialect::kAuditWhere.in(engine_);
        bool prefix = f.action.ends_with('.');
        auto from = f.from.value_or(kMin), to = f.to.value_or(kMax);
        auto c = lease();
        total = first(c->run("SELECT COUNT(*) FROM audit_log" + where,
                             {f.actor, f.action, prefix, from, to}));
        c->run(kAudit + where + " ORDER BY id DESC LIMIT ?6 OFFSET ?7",
               {f.actor, f.action, prefix, from, to, limit_of(f.limit),
                std::max<std::int64_t>(f.offset, 0)});
        return read_all(*c, read_audit);
    }
    std::vector<std::string> audit_actions() override {
        auto out = all("SELECT DISTINCT action FROM audit_log", {}, read_text);
        std::sort(out.begin(), out.end());  // by bytes, as SQLite's BINARY or PostgreSQL's "C"
        return out;
    }
    std::vector<UserName> user_names() override {
        return all("SELECT id, username, display_name, folder FROM users", {},
                   [](const db::Conn& r) {
                       return UserName{r.int64(0), r.text(1), r.text(2), r.text(3)};
                   });
    }

    void record_search(std::int64_t user_id, const RecentSearch& s, std::size_t keep) override {
        auto c = lease();
        c->run("BEGIN");
        c->run(
            "INSERT INTO recent_searches (user_id, query, category, indexer, results, searched_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, query, category, indexer)"
            " DO UPDATE SET results = excluded.results, searched_at = excluded.searched_at",
            {user_id, s.query, s.category, s.indexer, s.results, s.searched_at});
        // Ties on the second are broken by id so the newest insert always survives.
        c->run(
            "DELETE FROM recent_searches WHERE user_id = ?1 AND id NOT IN (SELECT id FROM"
            " recent_searches WHERE user_id = ?1 ORDER BY searched_at DESC, id DESC LIMIT ?2)",
            {user_id, static_cast<std::int64_t>(keep)});
        c->run("COMMIT");
    }
    std::vector<RecentSearch> recent_searches(std::int64_t user_id) override {
        return all(
            "SELECT id, query, category, indexer, results, searched_at FROM recent_searches"
            " WHERE user_id = ? ORDER BY searched_at DESC, id DESC",
            {user_id}, read_search);
    }
    std::int64_t delete_recent_searches(std::int64_t user_id, std::int64_t id) override {
        return exec(
            "DELETE FROM recent_searches WHERE user_id = ? AND CAST(? AS BIGINT) IN (0, id)",
            {user_id, id});
    }

    std::int64_t insert_torrent(const TorrentRow& t) override {
        return scalar(
            "INSERT INTO torrents (qbt_hash, hash_v1, hash_v2, owner_id, source, name, size,"
            " added_at, limit_state, limit_reason, size_checked, server_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {t.qbt_hash, or_null(t.hash_v1), or_null(t.hash_v2), t.owner_id, t.source, t.name,
             t.size, t.added_at, or_null(t.limit_state), or_null(t.limit_reason), t.size_checked,
             t.server_id},
            {db::Failure::unique, "torrent already present"});
    }
    void delete_torrent_row(std::int64_t id) override {
        exec("DELETE FROM torrents WHERE id = ?", {id});
    }
    std::vector<TorrentRow> torrent_rows(std::int64_t removed_since) override {
        return all(
            std::string(kTorrents) + " WHERE removed_at IS NULL OR removed_at >= ? ORDER BY id",
            {removed_since}, read_torrent);
    }
    void mark_torrent_removed(std::int64_t id, std::int64_t at,
                              const std::string& removal) override {
        exec("UPDATE torrents SET removed_at = ?, removal = ? WHERE id = ? AND removed_at IS NULL",
             {at, removal, id});
    }
    void update_torrent_identity(const TorrentRow& r) override {
        exec(
            "UPDATE torrents SET qbt_hash = ?, hash_v1 = ?, hash_v2 = ?, name = ?, size = ?,"
            " server_id = ? WHERE id = ?",
            {r.qbt_hash, or_null(r.hash_v1), or_null(r.hash_v2), r.name, r.size, r.server_id,
             r.id});
    }
    void set_torrent_owner(std::int64_t id, std::optional<std::int64_t> owner_id) override {
        if (exec("UPDATE torrents SET owner_id = ?, source = 'assigned' WHERE id = ?",
                 {owner_id, id}) == 0)
            throw NotFound("torrent");
    }
    void set_torrent_limit(std::int64_t id, const std::string& state, const std::string& reason,
                           bool size_checked) override {
        exec("UPDATE torrents SET limit_state = ?, limit_reason = ?, size_checked = ? WHERE id = ?",
             {or_null(state), or_null(reason), size_checked, id});
    }

    std::optional<Notification> record_completion(std::int64_t row_id, std::int64_t completed_at,
                                                  const std::string& hash, const std::string& name,
                                                  const std::string& message) override {
        // The flag flips once: a concurrent caller (PostgreSQL: another instance, whose UPDATE
        // waits for this transaction's row lock) then matches no row.
        auto c = lease();
        c->run("BEGIN");
        if (!c->run("UPDATE torrents SET completion_notified = 1, completed_at = ? WHERE id = ?"
                    " AND completion_notified = 0 RETURNING owner_id",
                    {completed_at, row_id})
                 .next())
            return std::nullopt;  // already notified
        std::optional<Notification> n;
        if (auto owner = c->opt_int64(0))
            n = insert_notification(
                *c, {0, *owner, "completed", hash, name, message, util::unix_now(), std::nullopt});
        c->run("COMMIT");
        return n;
    }
    Notification add_notification(const Notification& n) override {
        return insert_notification(*lease(), n);
    }
    std::vector<Notification> notifications(std::int64_t user_id, std::int64_t limit,
                                            std::int64_t& unread) override {
        auto c = lease();
        c->run(dialect::kBeginSnapshot.in(engine_));  // the count and the list agree
        unread = first(c->run(
            "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", {user_id}));
        c->run(std::string(kNotifications) + " WHERE user_id = ? ORDER BY id DESC LIMIT ?",
               {user_id, limit_of(limit)});
        auto out = read_all(*c, read_notification);
        c->run("COMMIT");
        return out;
    }
    std::int64_t mark_notifications_read(std::int64_t user_id, const std::vector<std::int64_t>& ids,
                                         std::int64_t now) override {
        // id 0: every unread notification of the user.
        constexpr const char* sql =
            "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL"
            " AND CAST(? AS BIGINT) IN (0, id)";
        auto c = lease();
        if (ids.empty()) return c->run(sql, {now, user_id, 0}).changed();
        std::int64_t n = 0;
        c->run("BEGIN");
        for (auto id : ids) n += c->run(sql, {now, user_id, id}).changed();
        c->run("COMMIT");
        return n;
    }
    std::int64_t clear_notifications(std::int64_t user_id) override {
        return exec("DELETE FROM notifications WHERE user_id = ?", {user_id});
    }

    void set_notify_prefs(std::int64_t user_id, bool email,
                          const std::optional<std::string>& webhook_url) override {
        if (write("UPDATE users SET notify_email = ?, webhook_url = ? WHERE id = ?",
                  {email, webhook_url, user_id}) == 0)
            throw NotFound("no such user");
    }
    void enqueue_delivery(std::int64_t notification_id, std::int64_t user_id,
                          const std::string& channel, const std::string& target,
                          std::int64_t now) override {
        exec(
            "INSERT INTO deliveries (notification_id, user_id, channel, target, next_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            {notification_id, user_id, channel, target, now, now});
    }
    std::vector<Delivery> due_deliveries(std::int64_t now, std::int64_t limit) override {
        return all(std::string(kDeliveries) +
                       " WHERE d.status = 'pending' AND d.next_at <= ? ORDER BY d.next_at, d.id"
                       " LIMIT ?",
                   {now, limit_of(limit)}, read_delivery);
    }
    void update_delivery(std::int64_t id, const std::string& status, std::int64_t attempts,
                         std::int64_t next_at, const std::string& error,
                         std::int64_t now) override {
        exec(
            "UPDATE deliveries SET status = ?, attempts = ?, next_at = ?, last_error = ?,"
            " updated_at = ? WHERE id = ?",
            {status, attempts, next_at, or_null(error), now, id});
    }
    std::vector<Delivery> user_deliveries(std::int64_t user_id, std::int64_t limit) override {
        return all(std::string(kDeliveries) + " WHERE d.user_id = ? ORDER BY d.id DESC LIMIT ?",
                   {user_id, limit_of(limit)}, read_delivery);
    }

  private:
    struct CachedSession {
        Principal who;
        std::int64_t expires_at = 0;
        std::uint64_t generation = 0;
    };

    std::unique_ptr<db::Database> db_;
    const db::Engine engine_;
    std::atomic<std::uint64_t> generation_{0};
    std::atomic<bool> listening_;  // PostgreSQL caches nothing while nobody listens for NOTIFY
    std::shared_mutex cache_mu_;
    std::unordered_map<std::string, CachedSession> sessions_;
    std::atomic<std::shared_ptr<const SettingsCipher>> cipher_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path, bool migrate) {
    return std::make_unique<SqlStore>(db::open_sqlite(path), migrate);
}

std::unique_ptr<Store> open_postgres_store(const std::string& url, bool migrate,
                                           std::size_t pool_size) {
    return std::make_unique<SqlStore>(db::open_postgres(url, pool_size), migrate);
}

bool is_storage_full(const std::exception& e) noexcept {
    const auto* d = dynamic_cast<const db::Error*>(&e);
    return d && d->failure == db::Failure::storage_full;
}

}  // namespace essaim::store
