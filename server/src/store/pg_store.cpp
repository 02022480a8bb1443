// PostgreSQL implementation of Store, behaving exactly like sqlite_store.cpp (same errors, same
// transactions, same orderings). Differences are only where the engines differ:
// - Connections: a small pool (opened on demand, at most pool_size) instead of SQLite's one
//   connection behind a mutex, because PostgreSQL serves concurrent readers and writers itself;
//   a lease is held for one method call (one transaction at most), a broken connection is
//   dropped and reopened on the next call.
// - Session cache: SQLite's is invalidated by watching the WAL file, which cannot see writes by
//   another essaim instance on the same PostgreSQL. Here a trigger NOTIFYs essaim_auth on every
//   change to users, groups and sessions (migrations_pg/0008), the cluster thread LISTENs and
//   calls auth_changed_elsewhere(); until it listens (or after its connection broke) every
//   lookup asks the database.
// - Case-insensitive names: lower(x COLLATE "C"), which folds ASCII only, like COLLATE NOCASE
//   (see migrations_pg/0001_init.sql); orderings SQLite does on binary text use COLLATE "C".
#include "store/pg_store.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <atomic>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace essaim::store {
namespace {

using pg::Param;

std::int64_t now_unix() {
    return static_cast<std::int64_t>(std::time(nullptr));
}

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
    boost::json::array a;
    for (const auto& p : perms) a.emplace_back(p);
    return boost::json::serialize(a);
}

// SQLite's store binds "" as NULL for these optional text columns; reading NULL gives "".
Param text_or_null(const std::string& v) {
    if (v.empty()) return Param(std::nullopt);
    return Param(v);
}

// SQLite reads a negative LIMIT as "no limit" (and a negative OFFSET as 0) where PostgreSQL
// refuses both: LIMIT NULL is PostgreSQL's "no limit".
std::string limit_sql(int param) {
    auto p = "$" + std::to_string(param) + "::bigint";
    return "NULLIF(GREATEST(" + p + ", -1), -1)";
}

bool is(const pg::Error& e, const char* state) {
    return e.sqlstate == state;
}

constexpr const char* kUserColumns =
    "u.id, u.username, u.display_name, u.email, u.password_hash, u.role, u.group_id, g.name,"
    " g.permissions, u.disabled, u.token_version, u.created_at, u.last_login_at, g.limits,"
    " u.notify_email, u.webhook_url, u.folder";
constexpr int kUserColumnCount = 17;

User read_user(const pg::Result& r, int i) {
    User u;
    u.id = r.int64(i, 0);
    u.username = r.text(i, 1);
    u.display_name = r.text(i, 2);
    u.email = r.opt_text(i, 3);
    u.password_hash = r.text(i, 4);
    u.role = r.text(i, 5);
    u.group_id = r.int64(i, 6);
    u.group_name = r.text(i, 7);
    u.permissions = parse_permissions(r.text(i, 8));
    u.disabled = r.int64(i, 9) != 0;
    u.token_version = r.int64(i, 10);
    u.created_at = r.int64(i, 11);
    u.last_login_at = r.opt_int64(i, 12);
    u.limits_json = r.text(i, 13);
    u.notify_email = r.int64(i, 14) != 0;
    u.webhook_url = r.opt_text(i, 15);
    u.folder = r.opt_text(i, 16).value_or("");
    return u;
}

Group read_group(const pg::Result& r, int i) {
    Group g;
    g.id = r.int64(i, 0);
    g.name = r.text(i, 1);
    g.permissions = parse_permissions(r.text(i, 2));
    g.limits_json = r.text(i, 3);
    return g;
}

constexpr const char* kDeliverySelect =
    "SELECT d.id, d.notification_id, d.user_id, d.channel, d.target, d.status, d.attempts, "
    "d.next_at, d.last_error, d.updated_at, n.kind, n.torrent_hash, n.torrent_name, "
    "n.message, n.created_at FROM deliveries d JOIN notifications n ON n.id = "
    "d.notification_id";

std::vector<Delivery> read_deliveries(const pg::Result& r) {
    std::vector<Delivery> out;
    for (int i = 0; i < r.rows(); ++i) {
        Delivery d;
        d.id = r.int64(i, 0);
        d.notification_id = r.int64(i, 1);
        d.user_id = r.int64(i, 2);
        d.channel = r.text(i, 3);
        d.target = r.text(i, 4);
        d.status = r.text(i, 5);
        d.attempts = r.int64(i, 6);
        d.next_at = r.int64(i, 7);
        d.last_error = r.text(i, 8);
        d.updated_at = r.int64(i, 9);
        d.notification.id = d.notification_id;
        d.notification.user_id = d.user_id;
        d.notification.kind = r.text(i, 10);
        d.notification.torrent_hash = r.text(i, 11);
        d.notification.torrent_name = r.text(i, 12);
        d.notification.message = r.text(i, 13);
        d.notification.created_at = r.int64(i, 14);
        out.push_back(std::move(d));
    }
    return out;
}

// Connections shared by every thread. take() blocks while pool_size connections are in use.
class Pool {
  public:
    Pool(std::string url, std::size_t size) : url_(std::move(url)), size_(size ? size : 1) {
        // One connection at once, so that an unreachable server fails the start, not the
        // first request.
        idle_.push_back(std::make_unique<pg::Connection>(url_));
        open_ = 1;
    }

    class Lease {
      public:
        Lease(Pool& p, std::unique_ptr<pg::Connection> c) : p_(p), c_(std::move(c)) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        ~Lease() { p_.give_back(std::move(c_)); }
        pg::Connection* operator->() { return c_.get(); }
        pg::Connection& operator*() { return *c_; }

      private:
        Pool& p_;
        std::unique_ptr<pg::Connection> c_;
    };

    Lease take() {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
        if (!idle_.empty()) {
            auto c = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(c));
        }
        ++open_;
        lock.unlock();
        try {
            return Lease(*this, std::make_unique<pg::Connection>(url_));
        } catch (...) {
            lock.lock();
            --open_;
            cv_.notify_one();
            throw;
        }
    }

  private:
    void give_back(std::unique_ptr<pg::Connection> c) {
        std::lock_guard lock(mu_);
        // A connection lost (server restarted…) or left inside a transaction (a ROLLBACK that
        // failed) is closed: the next take() opens a fresh one.
        if (c && c->idle())
            idle_.push_back(std::move(c));
        else
            --open_;
        cv_.notify_one();
    }

    std::string url_;
    std::size_t size_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<pg::Connection>> idle_;
    std::size_t open_ = 0;
};

class PgStore final : public Store {
  public:
    PgStore(const std::string& url, bool run_migrations, std::size_t pool_size)
        : pool_(url, pool_size) {
        if (run_migrations) {
            auto c = pool_.take();
            store::migrate(*c, builtin_pg_migrations());
        }
    }

    int schema_version() override {
        auto c = pool_.take();
        return store::schema_version(*c);
    }

    bool ping() override {
        try {
            auto c = pool_.take();
            return c->exec("SELECT 1").rows() == 1;
        } catch (const std::exception&) {
            return false;
        }
    }

    std::int64_t create_user(const NewUser& u) override {
        BumpOnExit written{generation_};
        auto c = pool_.take();
        auto now = now_unix();
        try {
            return c
                ->exec(
                    "INSERT INTO users (username, display_name, email, password_hash, role, "
                    "group_id, created_at, updated_at, folder) VALUES ($1, $2, $3, $4, $5, $6, "
                    "$7, $8, COALESCE(NULLIF($9, ''), lower($1 COLLATE \"C\"))) RETURNING id",
                    {u.username, u.display_name, u.email, u.password_hash, u.role, u.group_id, now,
                     now, u.folder})
                .int64(0, 0);
        } catch (const pg::Error& e) {
            if (is(e, pg::kUniqueViolation)) throw Conflict("username taken");
            throw;
        }
    }

    std::optional<User> user_by_id(std::int64_t id) override {
        auto c = pool_.take();
        auto r = c->exec(std::string("SELECT ") + kUserColumns +
                             " FROM users u JOIN groups g ON g.id = u.group_id WHERE u.id = $1",
                         {id});
        if (r.rows() == 0) return std::nullopt;
        return read_user(r, 0);
    }

    std::optional<User> user_by_username(const std::string& username) override {
        auto c = pool_.take();
        auto r = c->exec(std::string("SELECT ") + kUserColumns +
                             " FROM users u JOIN groups g ON g.id = u.group_id"
                             " WHERE lower(u.username COLLATE \"C\") = lower($1::text COLLATE "
                             "\"C\")",
                         {username});
        if (r.rows() == 0) return std::nullopt;
        return read_user(r, 0);
    }

    std::int64_t count_users() override {
        auto c = pool_.take();
        return c->exec("SELECT COUNT(*) FROM users").int64(0, 0);
    }

    void update_profile(std::int64_t id, const std::string& display_name,
                        const std::optional<std::string>& email) override {
        BumpOnExit written{generation_};
        auto c = pool_.take();
        auto r =
            c->exec("UPDATE users SET display_name = $1, email = $2, updated_at = $3 WHERE id = $4",
                    {display_name, email, now_unix(), id});
        if (r.affected() == 0) throw NotFound("user");
    }

    void set_password(std::int64_t id, const std::string& hash, bool bump) override {
        BumpOnExit written{generation_};
        auto c = pool_.take();
        auto r = c->exec(
            "UPDATE users SET password_hash = $1, token_version = token_version + $2::bigint,"
            " updated_at = $3 WHERE id = $4",
            {hash, bump ? 1 : 0, now_unix(), id});
        if (r.affected() == 0) throw NotFound("user");
    }

    void touch_login(std::int64_t id, std::int64_t now) override {
        BumpOnExit written{generation_};
        auto c = pool_.take();
        c->exec("UPDATE users SET last_login_at = $1 WHERE id = $2", {now, id});
    }

    std::vector<User> list_users() override {
        auto c = pool_.take();
        auto r = c->exec(std::string("SELECT ") + kUserColumns +
                         " FROM users u JOIN groups g ON g.id = u.group_id"
                         " ORDER BY lower(u.username COLLATE \"C\")");
        std::vector<User> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(read_user(r, i));
        return out;
    }

    void update_user(std::int64_t id, const UserUpdate& u) override {
        BumpOnExit written{generation_};
        // One UPDATE carrying every changed field: as atomic as SQLite's per-field updates in
        // one transaction, and NotFound when the row does not exist.
        std::string sql = "UPDATE users SET updated_at = $1";
        std::vector<Param> params{now_unix()};
        auto set = [&](const char* column, Param p) {
            params.push_back(std::move(p));
            sql += std::string(", ") + column + " = $" + std::to_string(params.size());
        };
        if (u.display_name) set("display_name", *u.display_name);
        if (u.email) set("email", *u.email);
        if (u.role) set("role", *u.role);
        if (u.group_id) set("group_id", *u.group_id);
        if (u.disabled) set("disabled", *u.disabled);
        params.push_back(id);
        sql += " WHERE id = $" + std::to_string(params.size());
        auto c = pool_.take();
        try {
            if (c->exec(sql, params).affected() == 0) throw NotFound("no such user");
        } catch (const pg::Error& e) {
            if (is(e, pg::kForeignKeyViolation)) throw Conflict("no such group");
            throw;
        }
    }

    void delete_user(std::int64_t id) override {
        BumpOnExit written{generation_};
        auto c = pool_.take();
        if (c->exec("DELETE FROM users WHERE id = $1", {id}).affected() == 0)
            throw NotFound("no such user");
    }

    std::int64_t count_active_admins() override {
        auto c = pool_.take();
        return c->exec("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0")
            .int64(0, 0);
    }

    std::int64_t reassign_torrents(std::int64_t from, std::int64_t to) override {
        auto c = pool_.take();
        return c
            ->exec(
                "UPDATE torrents SET owner_id = $1, source = 'assigned' WHERE owner_id = $2 AND "
                "removed_at IS NULL",
                {to, from})
            .affected();
    }

    std::vector<Group> list_groups() override {
        auto c = pool_.take();
        auto r = c->exec("SELECT id, name, permissions, limits FROM groups ORDER BY id");
        std::vector<Group> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(read_group(r, i));
        return out;
    }

    std::int64_t count_group_members(std::int64_t id) override {
        auto c = pool_.take();
        return c->exec("SELECT COUNT(*) FROM users WHERE group_id = $1", {id}).int64(0, 0);
    }

    std::int64_t create_group(const Group& g) override {
        BumpOnExit written{generation_};
        auto c = pool_.take();
        try {
            return c
                ->exec(
                    "INSERT INTO groups (name, permissions, limits, created_at) VALUES ($1, $2, "
                    "$3, $4) RETURNING id",
                    {g.name, permissions_json(g.permissions), g.limits_json, now_unix()})
                .int64(0, 0);
        } catch (const pg::Error& e) {
            if (is(e, pg::kUniqueViolation)) throw Conflict("group name taken");
            throw;
        }
    }

    void update_group(const Group& g) override {
        BumpOnExit written{generation_};
        auto c = pool_.take();
        std::int64_t n = 0;
        try {
            n = c->exec("UPDATE groups SET name = $1, permissions = $2, limits = $3 WHERE id = $4",
                        {g.name, permissions_json(g.permissions), g.limits_json, g.id})
                    .affected();
        } catch (const pg::Error& e) {
            if (is(e, pg::kUniqueViolation)) throw Conflict("group name taken");
            throw;
        }
        if (n == 0) throw NotFound("no such group");
    }

    void delete_group(std::int64_t id) override {
        BumpOnExit written{generation_};
        auto c = pool_.take();
        std::int64_t n = 0;
        try {
            n = c->exec("DELETE FROM groups WHERE id = $1", {id}).affected();
        } catch (const pg::Error& e) {
            if (is(e, pg::kForeignKeyViolation)) throw Conflict("group has members");
            throw;
        }
        if (n == 0) throw NotFound("no such group");
    }

    std::vector<AuditRow> audit_entries(const AuditFilter& f, std::int64_t& total) override {
        // SQLite's LIKE folds ASCII case and has no escape character: lower(… COLLATE "C")
        // with ESCAPE '' behaves the same.
        const std::string where =
            " WHERE ($1::text = '' OR lower(actor_name COLLATE \"C\") LIKE '%' || lower($1::text "
            "COLLATE \"C\") || '%' ESCAPE '')"
            " AND ($2::text = '' OR action = $2::text OR (right($2::text, 1) = '.' AND "
            "lower(action COLLATE \"C\") LIKE lower($2::text COLLATE \"C\") || '%' ESCAPE ''))"
            " AND ($3::bigint IS NULL OR at >= $3::bigint)"
            " AND ($4::bigint IS NULL OR at <= $4::bigint)";
        std::vector<Param> params{f.actor, f.action, f.from, f.to};
        auto c = pool_.take();
        total = c->exec("SELECT COUNT(*) FROM audit_log" + where, params).int64(0, 0);
        params.emplace_back(f.limit);
        params.emplace_back(f.offset);
        auto r = c->exec(
            "SELECT id, at, actor_id, actor_name, action, target_type, target_id, details, ip "
            "FROM audit_log" +
                where + " ORDER BY id DESC LIMIT " + limit_sql(5) +
                " OFFSET GREATEST($6::bigint, 0)",
            params);
        std::vector<AuditRow> out;
        for (int i = 0; i < r.rows(); ++i) {
            AuditRow a;
            a.id = r.int64(i, 0);
            a.at = r.int64(i, 1);
            a.actor_id = r.opt_int64(i, 2);
            a.actor_name = r.text(i, 3);
            a.action = r.text(i, 4);
            a.target_type = r.text(i, 5);
            a.target_id = r.text(i, 6);
            a.details_json = r.text(i, 7);
            a.ip = r.text(i, 8);
            out.push_back(std::move(a));
        }
        return out;
    }

    std::vector<std::string> audit_actions() override {
        auto c = pool_.take();
        auto r =
            c->exec("SELECT DISTINCT action COLLATE \"C\" AS action FROM audit_log ORDER BY 1");
        std::vector<std::string> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
        return out;
    }

    std::optional<Group> group_by_id(std::int64_t id) override {
        auto c = pool_.take();
        auto r = c->exec("SELECT id, name, permissions, limits FROM groups WHERE id = $1", {id});
        if (r.rows() == 0) return std::nullopt;
        return read_group(r, 0);
    }

    std::optional<Group> group_by_name(const std::string& name) override {
        auto c = pool_.take();
        auto r = c->exec(
            "SELECT id, name, permissions, limits FROM groups"
            " WHERE lower(name COLLATE \"C\") = lower($1::text COLLATE \"C\")",
            {name});
        if (r.rows() == 0) return std::nullopt;
        return read_group(r, 0);
    }

    void create_session(const Session& s) override {
        BumpOnExit written{generation_};
        auto c = pool_.take();
        c->exec(
            "INSERT INTO sessions (id, user_id, created_at, expires_at, ip, user_agent)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            {s.id, s.user_id, s.created_at, s.expires_at, s.ip, s.user_agent.substr(0, 256)});
    }

    std::optional<User> user_for_session(const std::string& session_id, std::int64_t user_id,
                                         std::int64_t now) override {
        // Hot path (every authenticated request). Cached only while the cluster listens for
        // NOTIFY essaim_auth, which a trigger sends on any change to users, groups or sessions
        // by any process (migrations_pg/0008); this process's own writes bump the generation
        // when they end (BumpOnExit), so a reader that raced a write never caches stale rows.
        bool cache = listening_.load();
        auto gen = generation_.load();
        if (cache) {
            std::shared_lock rl(cache_mu_);
            auto it = session_cache_.find(session_id);
            if (it != session_cache_.end() && it->second.generation == gen &&
                it->second.user.id == user_id && it->second.expires_at > now)
                return it->second.user;
        }
        auto c = pool_.take();
        auto r = c->exec(std::string("SELECT ") + kUserColumns +
                             ", s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id"
                             " JOIN groups g ON g.id = u.group_id"
                             " WHERE s.id = $1 AND s.user_id = $2 AND s.expires_at > $3",
                         {session_id, user_id, now});
        static_assert(kUserColumnCount == 17);
        if (r.rows() == 0) return std::nullopt;
        auto user = read_user(r, 0);
        if (cache) {
            std::unique_lock wl(cache_mu_);
            if (session_cache_.size() > 10000) session_cache_.clear();
            session_cache_[session_id] = {user, r.int64(0, kUserColumnCount), gen};
        }
        return user;
    }

    void auth_changed_elsewhere(bool listening) override {
        generation_.fetch_add(1);
        listening_.store(listening);
    }

    void delete_session(const std::string& session_id) override {
        BumpOnExit written{generation_};
        auto c = pool_.take();
        c->exec("DELETE FROM sessions WHERE id = $1", {session_id});
    }

    void delete_user_sessions(std::int64_t user_id, const std::string& except_id) override {
        BumpOnExit written{generation_};
        auto c = pool_.take();
        c->exec("DELETE FROM sessions WHERE user_id = $1 AND id <> $2", {user_id, except_id});
    }

    void prune_sessions(std::int64_t now) override {
        BumpOnExit written{generation_};
        auto c = pool_.take();
        c->exec("DELETE FROM sessions WHERE expires_at <= $1", {now});
    }

    std::optional<std::string> setting(const std::string& key) override {
        std::string v;
        {
            auto c = pool_.take();
            auto r = c->exec("SELECT value FROM settings WHERE key = $1", {key});
            if (r.rows() == 0) return std::nullopt;
            v = r.text(0, 0);
        }
        if (SettingsCipher::is_sealed(v)) {
            auto cipher = current_cipher();
            if (!cipher) return std::nullopt;
            auto plain = cipher->open(v);
            if (!plain)
                spdlog::warn("réglage secret {} illisible (clé secrète changée ?) : ignoré", key);
            return plain;
        }
        return v;
    }

    void set_cipher(std::shared_ptr<const SettingsCipher> cipher) override {
        {
            std::lock_guard lock(cipher_mu_);
            cipher_ = std::move(cipher);
        }
        std::vector<std::pair<std::string, std::string>> clear;
        {
            auto c = pool_.take();
            auto r = c->exec("SELECT key, value FROM settings");
            for (int i = 0; i < r.rows(); ++i) {
                auto k = r.text(i, 0);
                auto v = r.text(i, 1);
                if (is_secret_setting(k) && !v.empty() && !SettingsCipher::is_sealed(v))
                    clear.emplace_back(k, v);
            }
        }
        for (auto& [k, v] : clear) set_setting(k, v);
    }

    void set_setting(const std::string& key, const std::string& plain) override {
        auto cipher = current_cipher();
        std::string value =
            cipher && is_secret_setting(key) && !plain.empty() ? cipher->seal(plain) : plain;
        auto c = pool_.take();
        c->exec(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)"
            " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = "
            "EXCLUDED.updated_at",
            {key, value, now_unix()});
    }

    void audit(const AuditEntry& e) override {
        auto c = pool_.take();
        c->exec(
            "INSERT INTO audit_log (at, actor_id, actor_name, action, target_type, target_id,"
            " details, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            {now_unix(), e.actor_id, e.actor_name, e.action, e.target_type, e.target_id,
             e.details_json, e.ip});
    }

    std::vector<UserName> user_names() override {
        auto c = pool_.take();
        auto r = c->exec("SELECT id, username, display_name, folder FROM users");
        std::vector<UserName> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back(
                {r.int64(i, 0), r.text(i, 1), r.text(i, 2), r.opt_text(i, 3).value_or("")});
        return out;
    }

    bool folder_in_use(const std::string& folder) override {
        auto c = pool_.take();
        return c->exec("SELECT 1 FROM users WHERE folder = $1", {folder}).rows() > 0;
    }

    void record_search(std::int64_t user_id, const RecentSearch& s, std::size_t keep) override {
        auto c = pool_.take();
        pg::Transaction tx(*c);
        c->exec(
            "INSERT INTO recent_searches (user_id, query, category, indexer, results, "
            "searched_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, query, category, "
            "indexer) DO UPDATE SET results = EXCLUDED.results, searched_at = "
            "EXCLUDED.searched_at",
            {user_id, s.query, s.category, s.indexer, s.results, s.searched_at});
        // Ties on the second are broken by id so the newest insert always survives.
        c->exec(
            "DELETE FROM recent_searches WHERE user_id = $1 AND id NOT IN (SELECT id FROM "
            "recent_searches WHERE user_id = $1 ORDER BY searched_at DESC, id DESC LIMIT "
            "$2::bigint)",
            {user_id, static_cast<std::int64_t>(keep)});
        tx.commit();
    }

    std::vector<RecentSearch> recent_searches(std::int64_t user_id) override {
        auto c = pool_.take();
        auto r = c->exec(
            "SELECT id, query, category, indexer, results, searched_at FROM recent_searches"
            " WHERE user_id = $1 ORDER BY searched_at DESC, id DESC",
            {user_id});
        std::vector<RecentSearch> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.int64(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.int64(i, 4),
                           r.int64(i, 5)});
        return out;
    }

    std::int64_t delete_recent_searches(std::int64_t user_id, std::int64_t id) override {
        auto c = pool_.take();
        return c
            ->exec(
                "DELETE FROM recent_searches WHERE user_id = $1 AND ($2::bigint = 0 OR id = "
                "$2::bigint)",
                {user_id, id})
            .affected();
    }

    std::int64_t insert_torrent(const TorrentRow& t) override {
        auto c = pool_.take();
        try {
            return c
                ->exec(
                    "INSERT INTO torrents (qbt_hash, hash_v1, hash_v2, owner_id, source, name, "
                    "size, added_at, limit_state, limit_reason, size_checked)"
                    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                    {t.qbt_hash, text_or_null(t.hash_v1), text_or_null(t.hash_v2), t.owner_id,
                     t.source, t.name, t.size, t.added_at, text_or_null(t.limit_state),
                     text_or_null(t.limit_reason), t.size_checked})
                .int64(0, 0);
        } catch (const pg::Error& e) {
            if (is(e, pg::kUniqueViolation)) throw Conflict("torrent already present");
            throw;
        }
    }

    void delete_torrent_row(std::int64_t id) override {
        auto c = pool_.take();
        c->exec("DELETE FROM torrents WHERE id = $1", {id});
    }

    std::vector<TorrentRow> torrent_rows(std::int64_t removed_since) override {
        auto c = pool_.take();
        auto r = c->exec(
            "SELECT id, qbt_hash, hash_v1, hash_v2, owner_id, source, name, size, added_at, "
            "removed_at, completed_at, removal, limit_state, limit_reason, size_checked, "
            "completion_notified FROM torrents"
            " WHERE removed_at IS NULL OR removed_at >= $1 ORDER BY id",
            {removed_since});
        std::vector<TorrentRow> out;
        for (int i = 0; i < r.rows(); ++i) {
            TorrentRow t;
            t.id = r.int64(i, 0);
            t.qbt_hash = r.text(i, 1);
            t.hash_v1 = r.text(i, 2);
            t.hash_v2 = r.text(i, 3);
            t.owner_id = r.opt_int64(i, 4);
            t.source = r.text(i, 5);
            t.name = r.text(i, 6);
            t.size = r.opt_int64(i, 7);
            t.added_at = r.int64(i, 8);
            t.removed_at = r.opt_int64(i, 9);
            t.completed_at = r.opt_int64(i, 10);
            t.removal = r.text(i, 11);
            t.limit_state = r.text(i, 12);
            t.limit_reason = r.text(i, 13);
            t.size_checked = r.int64(i, 14) != 0;
            t.completion_notified = r.int64(i, 15) != 0;
            out.push_back(std::move(t));
        }
        return out;
    }

    void mark_torrent_removed(std::int64_t id, std::int64_t at,
                              const std::string& removal) override {
        auto c = pool_.take();
        c->exec(
            "UPDATE torrents SET removed_at = $1, removal = $2 WHERE id = $3 AND removed_at IS "
            "NULL",
            {at, removal, id});
    }

    void update_torrent_identity(std::int64_t id, const std::string& qbt_hash,
                                 const std::string& hash_v1, const std::string& hash_v2,
                                 const std::string& name,
                                 std::optional<std::int64_t> size) override {
        auto c = pool_.take();
        c->exec(
            "UPDATE torrents SET qbt_hash = $1, hash_v1 = $2, hash_v2 = $3, name = $4, size = $5"
            " WHERE id = $6",
            {qbt_hash, text_or_null(hash_v1), text_or_null(hash_v2), name, size, id});
    }

    std::optional<Notification> record_completion(std::int64_t row_id, std::int64_t completed_at,
                                                  const std::string& hash, const std::string& name,
                                                  const std::string& message) override {
        // Under READ COMMITTED a concurrent UPDATE of the same row (another instance) waits for
        // this transaction, then re-checks completion_notified = 0 and matches nothing: the
        // flip and the notification happen exactly once.
        auto c = pool_.take();
        pg::Transaction tx(*c);
        auto r = c->exec(
            "UPDATE torrents SET completion_notified = 1, completed_at = $1 WHERE id = $2 AND "
            "completion_notified = 0 RETURNING owner_id",
            {completed_at, row_id});
        if (r.rows() == 0) return std::nullopt;  // already notified
        auto owner = r.opt_int64(0, 0);
        if (!owner) {
            tx.commit();
            return std::nullopt;
        }
        Notification n{0, *owner, "completed", hash, name, message, now_unix(), std::nullopt};
        n.id = insert_notification(*c, n);
        tx.commit();
        return n;
    }

    Notification add_notification(const Notification& in) override {
        Notification n = in;
        if (!n.created_at) n.created_at = now_unix();
        auto c = pool_.take();
        n.id = insert_notification(*c, n);
        return n;
    }

    std::vector<Notification> notifications(std::int64_t user_id, std::int64_t limit,
                                            std::int64_t& unread) override {
        auto c = pool_.take();
        // One snapshot for the count and the list, as SQLite's single connection gives.
        pg::Transaction tx(*c);
        c->exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        unread =
            c->exec("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
                    {user_id})
                .int64(0, 0);
        auto r = c->exec(
            "SELECT id, user_id, kind, torrent_hash, torrent_name, message, created_at, read_at "
            "FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT " +
                limit_sql(2),
            {user_id, limit});
        tx.commit();
        std::vector<Notification> out;
        for (int i = 0; i < r.rows(); ++i) {
            Notification n;
            n.id = r.int64(i, 0);
            n.user_id = r.int64(i, 1);
            n.kind = r.text(i, 2);
            n.torrent_hash = r.text(i, 3);
            n.torrent_name = r.text(i, 4);
            n.message = r.text(i, 5);
            n.created_at = r.int64(i, 6);
            n.read_at = r.opt_int64(i, 7);
            out.push_back(std::move(n));
        }
        return out;
    }

    std::int64_t mark_notifications_read(std::int64_t user_id, const std::vector<std::int64_t>& ids,
                                         std::int64_t now) override {
        auto c = pool_.take();
        if (ids.empty())
            return c
                ->exec(
                    "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
                    {now, user_id})
                .affected();
        std::string array = "{";
        for (std::size_t i = 0; i < ids.size(); ++i)
            array += (i ? "," : "") + std::to_string(ids[i]);
        array += "}";
        return c
            ->exec(
                "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND id = "
                "ANY($3::bigint[])"
                " AND read_at IS NULL",
                {now, user_id, array})
            .affected();
    }

    std::int64_t clear_notifications(std::int64_t user_id) override {
        auto c = pool_.take();
        return c->exec("DELETE FROM notifications WHERE user_id = $1", {user_id}).affected();
    }

    void set_notify_prefs(std::int64_t user_id, bool email,
                          const std::optional<std::string>& webhook_url) override {
        BumpOnExit written{generation_};
        auto c = pool_.take();
        if (c->exec("UPDATE users SET notify_email = $1, webhook_url = $2 WHERE id = $3",
                    {email, webhook_url, user_id})
                .affected() == 0)
            throw NotFound("no such user");
    }

    void enqueue_delivery(std::int64_t notification_id, std::int64_t user_id,
                          const std::string& channel, const std::string& target,
                          std::int64_t now) override {
        auto c = pool_.take();
        c->exec(
            "INSERT INTO deliveries (notification_id, user_id, channel, target, next_at, "
            "updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
            {notification_id, user_id, channel, target, now, now});
    }

    std::vector<Delivery> due_deliveries(std::int64_t now, std::int64_t limit) override {
        auto c = pool_.take();
        return read_deliveries(
            c->exec(std::string(kDeliverySelect) +
                        " WHERE d.status = 'pending' AND d.next_at <= $1 ORDER BY d.next_at, d.id"
                        " LIMIT " +
                        limit_sql(2),
                    {now, limit}));
    }

    void update_delivery(std::int64_t id, const std::string& status, std::int64_t attempts,
                         std::int64_t next_at, const std::string& error,
                         std::int64_t now) override {
        auto c = pool_.take();
        c->exec(
            "UPDATE deliveries SET status = $1, attempts = $2, next_at = $3, last_error = $4, "
            "updated_at = $5 WHERE id = $6",
            {status, attempts, next_at, text_or_null(error), now, id});
    }

    std::vector<Delivery> user_deliveries(std::int64_t user_id, std::int64_t limit) override {
        auto c = pool_.take();
        return read_deliveries(c->exec(std::string(kDeliverySelect) +
                                           " WHERE d.user_id = $1 ORDER BY d.id DESC LIMIT " +
                                           limit_sql(2),
                                       {user_id, limit}));
    }

    void set_torrent_limit(std::int64_t id, const std::string& state, const std::string& reason,
                           bool size_checked) override {
        auto c = pool_.take();
        c->exec(
            "UPDATE torrents SET limit_state = $1, limit_reason = $2, size_checked = $3 WHERE id "
            "= $4",
            {text_or_null(state), text_or_null(reason), size_checked, id});
    }

    void set_torrent_owner(std::int64_t id, std::optional<std::int64_t> owner_id) override {
        auto c = pool_.take();
        if (c->exec("UPDATE torrents SET owner_id = $1, source = 'assigned' WHERE id = $2",
                    {owner_id, id})
                .affected() == 0)
            throw NotFound("torrent");
    }

  private:
    static std::int64_t insert_notification(pg::Connection& c, const Notification& n) {
        return c
            .exec(
                "INSERT INTO notifications (user_id, kind, torrent_hash, torrent_name, message, "
                "created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                {n.user_id, n.kind, n.torrent_hash, n.torrent_name, n.message, n.created_at})
            .int64(0, 0);
    }

    std::shared_ptr<const SettingsCipher> current_cipher() {
        std::lock_guard lock(cipher_mu_);
        return cipher_;
    }

    Pool pool_;

    // Session cache (user_for_session).
    struct CachedSession {
        User user;
        std::int64_t expires_at;
        std::uint64_t generation;
    };
    // Bumps the generation when a writing method returns (or throws): after its commit.
    struct BumpOnExit {
        std::atomic<std::uint64_t>& g;
        ~BumpOnExit() { g.fetch_add(1); }
    };
    std::atomic<std::uint64_t> generation_{0};
    std::atomic<bool> listening_{false};
    std::shared_mutex cache_mu_;
    std::unordered_map<std::string, CachedSession> session_cache_;
    std::mutex cipher_mu_;
    std::shared_ptr<const SettingsCipher> cipher_;
};

// Any fixed number: the key of the advisory lock that serialises migrations across instances.
constexpr std::int64_t kMigrationLock = 0x65737361696d;  // "essaim"

}  // namespace

int schema_version(pg::Connection& c) {
    c.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    return static_cast<int>(
        c.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").int64(0, 0));
}

MigrateResult migrate(pg::Connection& c, const std::vector<Migration>& migrations) {
    // Session-level lock: a second instance starting at the same moment waits here, then finds
    // the schema up to date.
    c.exec("SELECT pg_advisory_lock($1::bigint)", {kMigrationLock});
    struct Unlock {
        pg::Connection& c;
        ~Unlock() {
            try {
                if (c.ok()) c.exec("SELECT pg_advisory_unlock($1::bigint)", {kMigrationLock});
            } catch (...) {
                // The lock dies with the connection anyway.
            }
        }
    } unlock{c};

    MigrateResult r;
    r.from_version = r.to_version = schema_version(c);
    int newest = 0;
    for (const auto& m : migrations) newest = std::max(newest, migration_version(m));
    if (r.from_version > newest)
        throw std::runtime_error("la base de données (version " + std::to_string(r.from_version) +
                                 ") est plus récente que ce binaire (version " +
                                 std::to_string(newest) + ")");
    int previous = 0;
    for (const auto& m : migrations) {
        int v = migration_version(m);
        if (v <= previous) throw std::invalid_argument("migrations out of order at " + m.name);
        previous = v;
        if (v <= r.from_version) continue;
        pg::Transaction tx(c);
        c.exec_script(m.sql);
        c.exec(
            "INSERT INTO schema_migrations (version, name, applied_at)"
            " VALUES ($1, $2, extract(epoch FROM now())::bigint)",
            {v, m.name});
        tx.commit();
        r.applied.push_back(m.name);
        r.to_version = v;
    }
    return r;
}

std::unique_ptr<Store> open_postgres_store(const std::string& url, bool run_migrations,
                                           std::size_t pool_size) {
    return std::make_unique<PgStore>(url, run_migrations, pool_size);
}

}  // namespace essaim::store
