// SQLite implementation of Store. One connection guarded by a mutex: SQLite serialises writers
// anyway, and reads by primary key take microseconds, so a pool would buy little here.
// Prepared statements are cached per SQL text to keep the per-request cost low.
#include "store/migrate.hpp"
#include "store/pg.hpp"
#include "store/store.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <ctime>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace essaim::store {
namespace {

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

constexpr const char* kUserColumns =
    "u.id, u.username, u.display_name, u.email, u.password_hash, u.role, u.group_id, g.name,"
    " g.permissions, u.disabled, u.token_version, u.created_at, u.last_login_at, g.limits,"
    " u.notify_email, u.webhook_url, u.folder";

User read_user(SQLite::Statement& q) {
    User u;
    u.id = q.getColumn(0).getInt64();
    u.username = q.getColumn(1).getString();
    u.display_name = q.getColumn(2).getString();
    if (!q.getColumn(3).isNull()) u.email = q.getColumn(3).getString();
    u.password_hash = q.getColumn(4).getString();
    u.role = q.getColumn(5).getString();
    u.group_id = q.getColumn(6).getInt64();
    u.group_name = q.getColumn(7).getString();
    u.permissions = parse_permissions(q.getColumn(8).getString());
    u.disabled = q.getColumn(9).getInt() != 0;
    u.token_version = q.getColumn(10).getInt64();
    u.created_at = q.getColumn(11).getInt64();
    if (!q.getColumn(12).isNull()) u.last_login_at = q.getColumn(12).getInt64();
    u.limits_json = q.getColumn(13).getString();
    u.notify_email = q.getColumn(14).getInt() != 0;
    if (!q.getColumn(15).isNull()) u.webhook_url = q.getColumn(15).getString();
    if (!q.getColumn(16).isNull()) u.folder = q.getColumn(16).getString();
    return u;
}

class SqliteStore final : public Store {
  public:
    SqliteStore(const std::string& path, bool run_migrations)
        : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX) {
        db_.exec("PRAGMA journal_mode = WAL");
        db_.exec("PRAGMA synchronous = NORMAL");
        db_.exec("PRAGMA foreign_keys = ON");
        db_.setBusyTimeout(5000);
        if (run_migrations) migrate(db_, builtin_migrations());
        if (path != ":memory:" && !path.empty()) wal_path_ = path + "-wal";
    }

    int schema_version() override {
        std::lock_guard lock(mu_);
        return store::schema_version(db_);
    }

    bool ping() override {
        std::lock_guard lock(mu_);
        try {
            Stmt q = stmt("SELECT 1");
            return q->executeStep();
        } catch (const std::exception&) {
            return false;
        }
    }

    std::int64_t create_user(const NewUser& u) override {
        std::lock_guard lock(mu_);
        generation_.fetch_add(1);
        Stmt q = stmt(
            "INSERT INTO users (username, display_name, email, password_hash, role, group_id,"
            " created_at, updated_at, folder) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
            " COALESCE(NULLIF(?, ''), lower(?)))");
        auto now = now_unix();
        q->bind(1, u.username);
        q->bind(2, u.display_name);
        if (u.email)
            q->bind(3, *u.email);
        else
            q->bind(3);
        q->bind(4, u.password_hash);
        q->bind(5, u.role);
        q->bind(6, u.group_id);
        q->bind(7, now);
        q->bind(8, now);
        q->bind(9, u.folder);
        q->bind(10, u.username);
        try {
            q->exec();
        } catch (const SQLite::Exception& e) {
            if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE)
                throw Conflict("username taken");
            throw;
        }
        return db_.getLastInsertRowid();
    }

    std::optional<User> user_by_id(std::int64_t id) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt(std::string("SELECT ") + kUserColumns +
                      " FROM users u JOIN groups g ON g.id = u.group_id WHERE u.id = ?");
        q->bind(1, id);
        if (!q->executeStep()) return std::nullopt;
        return read_user(*q);
    }

    std::optional<User> user_by_username(const std::string& username) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt(std::string("SELECT ") + kUserColumns +
                      " FROM users u JOIN groups g ON g.id = u.group_id WHERE u.username = ?");
        q->bind(1, username);
        if (!q->executeStep()) return std::nullopt;
        return read_user(*q);
    }

    std::int64_t count_users() override {
        std::lock_guard lock(mu_);
        Stmt q = stmt("SELECT COUNT(*) FROM users");
        q->executeStep();
        return q->getColumn(0).getInt64();
    }

    void update_profile(std::int64_t id, const std::string& display_name,
                        const std::optional<std::string>& email) override {
        std::lock_guard lock(mu_);
        generation_.fetch_add(1);
        Stmt q = stmt("UPDATE users SET display_name = ?, email = ?, updated_at = ? WHERE id = ?");
        q->bind(1, display_name);
        if (email)
            q->bind(2, *email);
        else
            q->bind(2);
        q->bind(3, now_unix());
        q->bind(4, id);
        if (q->exec() == 0) throw NotFound("user");
    }

    void set_password(std::int64_t id, const std::string& hash, bool bump) override {
        std::lock_guard lock(mu_);
        generation_.fetch_add(1);
        Stmt q = stmt(
            "UPDATE users SET password_hash = ?, token_version = token_version + ?, updated_at = ?"
            " WHERE id = ?");
        q->bind(1, hash);
        q->bind(2, bump ? 1 : 0);
        q->bind(3, now_unix());
        q->bind(4, id);
        if (q->exec() == 0) throw NotFound("user");
    }

    void touch_login(std::int64_t id, std::int64_t now) override {
        std::lock_guard lock(mu_);
        generation_.fetch_add(1);
        Stmt q = stmt("UPDATE users SET last_login_at = ? WHERE id = ?");
        q->bind(1, now);
        q->bind(2, id);
        q->exec();
    }

    std::vector<User> list_users() override {
        std::lock_guard lock(mu_);
        Stmt q = stmt(std::string("SELECT ") + kUserColumns +
                      " FROM users u JOIN groups g ON g.id = u.group_id ORDER BY u.username");
        std::vector<User> out;
        while (q->executeStep()) out.push_back(read_user(*q));
        return out;
    }

    void update_user(std::int64_t id, const UserUpdate& u) override {
        std::lock_guard lock(mu_);
        generation_.fetch_add(1);
        SQLite::Transaction tx(db_);
        auto exec = [&](const char* sql, auto&& bind) {
            Stmt q = stmt(sql);
            bind(*q);
            q->bind(q->getBindParameterCount(), id);
            if (q->exec() == 0) throw NotFound("no such user");
        };
        try {
            if (u.display_name)
                exec("UPDATE users SET display_name = ? WHERE id = ?",
                     [&](SQLite::Statement& q) { q.bind(1, *u.display_name); });
            if (u.email)
                exec("UPDATE users SET email = ? WHERE id = ?", [&](SQLite::Statement& q) {
                    if (*u.email)
                        q.bind(1, **u.email);
                    else
                        q.bind(1);
                });
            if (u.role)
                exec("UPDATE users SET role = ? WHERE id = ?",
                     [&](SQLite::Statement& q) { q.bind(1, *u.role); });
            if (u.group_id)
                exec("UPDATE users SET group_id = ? WHERE id = ?",
                     [&](SQLite::Statement& q) { q.bind(1, *u.group_id); });
            if (u.disabled)
                exec("UPDATE users SET disabled = ? WHERE id = ?",
                     [&](SQLite::Statement& q) { q.bind(1, *u.disabled ? 1 : 0); });
            exec("UPDATE users SET updated_at = ? WHERE id = ?",
                 [&](SQLite::Statement& q) { q.bind(1, now_unix()); });
        } catch (const SQLite::Exception& e) {
            if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_FOREIGNKEY)
                throw Conflict("no such group");
            throw;
        }
        tx.commit();
    }

    void delete_user(std::int64_t id) override {
        std::lock_guard lock(mu_);
        generation_.fetch_add(1);
        Stmt q = stmt("DELETE FROM users WHERE id = ?");
        q->bind(1, id);
        if (q->exec() == 0) throw NotFound("no such user");
    }

    std::int64_t count_active_admins() override {
        std::lock_guard lock(mu_);
        Stmt q = stmt("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0");
        q->executeStep();
        return q->getColumn(0).getInt64();
    }

    std::int64_t reassign_torrents(std::int64_t from, std::int64_t to) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt(
            "UPDATE torrents SET owner_id = ?, source = 'assigned' WHERE owner_id = ? AND "
            "removed_at IS NULL");
        q->bind(1, to);
        q->bind(2, from);
        return q->exec();
    }

    std::vector<Group> list_groups() override {
        std::lock_guard lock(mu_);
        Stmt q = stmt("SELECT id, name, permissions, limits FROM groups ORDER BY id");
        std::vector<Group> out;
        while (auto g = read_group(*q)) out.push_back(std::move(*g));
        return out;
    }

    std::int64_t count_group_members(std::int64_t id) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt("SELECT COUNT(*) FROM users WHERE group_id = ?");
        q->bind(1, id);
        q->executeStep();
        return q->getColumn(0).getInt64();
    }

    std::int64_t create_group(const Group& g) override {
        std::lock_guard lock(mu_);
        Stmt q =
            stmt("INSERT INTO groups (name, permissions, limits, created_at) VALUES (?, ?, ?, ?)");
        q->bind(1, g.name);
        q->bind(2, permissions_json(g.permissions));
        q->bind(3, g.limits_json);
        q->bind(4, now_unix());
        try {
            q->exec();
        } catch (const SQLite::Exception& e) {
            if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE)
                throw Conflict("group name taken");
            throw;
        }
        return db_.getLastInsertRowid();
    }

    void update_group(const Group& g) override {
        std::lock_guard lock(mu_);
        generation_.fetch_add(1);
        Stmt q = stmt("UPDATE groups SET name = ?, permissions = ?, limits = ? WHERE id = ?");
        q->bind(1, g.name);
        q->bind(2, permissions_json(g.permissions));
        q->bind(3, g.limits_json);
        q->bind(4, g.id);
        try {
            if (q->exec() == 0) throw NotFound("no such group");
        } catch (const SQLite::Exception& e) {
            if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE)
                throw Conflict("group name taken");
            throw;
        }
    }

    void delete_group(std::int64_t id) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt("DELETE FROM groups WHERE id = ?");
        q->bind(1, id);
        try {
            if (q->exec() == 0) throw NotFound("no such group");
        } catch (const SQLite::Exception& e) {
            if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_FOREIGNKEY)
                throw Conflict("group has members");
            throw;
        }
    }

    std::vector<AuditRow> audit_entries(const AuditFilter& f, std::int64_t& total) override {
        std::lock_guard lock(mu_);
        std::string where =
            " WHERE (?1 = '' OR actor_name LIKE '%' || ?1 || '%')"
            " AND (?2 = '' OR action = ?2 OR (substr(?2, -1) = '.' AND action LIKE ?2 || '%'))"
            " AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at <= ?4)";
        auto bind = [&](SQLite::Statement& q) {
            q.bind(1, f.actor);
            q.bind(2, f.action);
            if (f.from)
                q.bind(3, *f.from);
            else
                q.bind(3);
            if (f.to)
                q.bind(4, *f.to);
            else
                q.bind(4);
        };
        {
            Stmt c = stmt("SELECT COUNT(*) FROM audit_log" + where);
            bind(*c);
            c->executeStep();
            total = c->getColumn(0).getInt64();
        }
        Stmt q = stmt(
            "SELECT id, at, actor_id, actor_name, action, target_type, target_id, details, ip "
            "FROM audit_log" +
            where + " ORDER BY id DESC LIMIT ?5 OFFSET ?6");
        bind(*q);
        q->bind(5, f.limit);
        q->bind(6, f.offset);
        std::vector<AuditRow> out;
        auto text = [&](int i) {
            return q->getColumn(i).isNull() ? std::string() : q->getColumn(i).getString();
        };
        while (q->executeStep()) {
            AuditRow r;
            r.id = q->getColumn(0).getInt64();
            r.at = q->getColumn(1).getInt64();
            if (!q->getColumn(2).isNull()) r.actor_id = q->getColumn(2).getInt64();
            r.actor_name = text(3);
            r.action = text(4);
            r.target_type = text(5);
            r.target_id = text(6);
            r.details_json = text(7);
            r.ip = text(8);
            out.push_back(std::move(r));
        }
        return out;
    }

    std::vector<std::string> audit_actions() override {
        std::lock_guard lock(mu_);
        Stmt q = stmt("SELECT DISTINCT action FROM audit_log ORDER BY action");
        std::vector<std::string> out;
        while (q->executeStep()) out.push_back(q->getColumn(0).getString());
        return out;
    }

    std::optional<Group> group_by_id(std::int64_t id) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt("SELECT id, name, permissions, limits FROM groups WHERE id = ?");
        q->bind(1, id);
        return read_group(*q);
    }

    std::optional<Group> group_by_name(const std::string& name) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt("SELECT id, name, permissions, limits FROM groups WHERE name = ?");
        q->bind(1, name);
        return read_group(*q);
    }

    void create_session(const Session& s) override {
        std::lock_guard lock(mu_);
        generation_.fetch_add(1);
        Stmt q = stmt(
            "INSERT INTO sessions (id, user_id, created_at, expires_at, ip, user_agent)"
            " VALUES (?, ?, ?, ?, ?, ?)");
        q->bind(1, s.id);
        q->bind(2, s.user_id);
        q->bind(3, s.created_at);
        q->bind(4, s.expires_at);
        q->bind(5, s.ip);
        q->bind(6, s.user_agent.substr(0, 256));
        q->exec();
    }

    std::optional<User> user_for_session(const std::string& session_id, std::int64_t user_id,
                                         std::int64_t now) override {
        // Hot path (every authenticated request): answered from a cache that any write to the
        // database invalidates (write generation), so it can never serve a revoked session.
        // Another process (the CLI: reset-password, disabling a user by hand…) may have
        // written to the database. Every commit appends to the WAL file, so a change of its
        // size or modification time (one stat(), no lock) drops the cache.
        if (!wal_path_.empty()) {
            struct stat st {};
            std::int64_t sig = 0;
            if (::stat(wal_path_.c_str(), &st) == 0)
                sig = (static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 +
                       st.st_mtim.tv_nsec) ^
                      (static_cast<std::int64_t>(st.st_size) << 1);
            if (wal_sig_.exchange(sig) != sig) generation_.fetch_add(1);
        }
        {
            std::shared_lock rl(cache_mu_);
            auto it = session_cache_.find(session_id);
            if (it != session_cache_.end() && it->second.generation == generation_.load() &&
                it->second.user.id == user_id && it->second.expires_at > now)
                return it->second.user;
        }
        std::lock_guard lock(mu_);
        auto gen = generation_.load();
        Stmt q = stmt(std::string("SELECT ") + kUserColumns +
                      ", s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id"
                      " JOIN groups g ON g.id = u.group_id"
                      " WHERE s.id = ? AND s.user_id = ? AND s.expires_at > ?");
        q->bind(1, session_id);
        q->bind(2, user_id);
        q->bind(3, now);
        if (!q->executeStep()) return std::nullopt;
        auto user = read_user(*q);
        // The last column, after kUserColumns (a fixed index went stale when columns were added).
        auto expires_at = q->getColumn(q->getColumnCount() - 1).getInt64();
        std::unique_lock wl(cache_mu_);
        if (session_cache_.size() > 10000) session_cache_.clear();
        session_cache_[session_id] = {user, expires_at, gen};
        return user;
    }

    void delete_session(const std::string& session_id) override {
        std::lock_guard lock(mu_);
        generation_.fetch_add(1);
        Stmt q = stmt("DELETE FROM sessions WHERE id = ?");
        q->bind(1, session_id);
        q->exec();
    }

    void delete_user_sessions(std::int64_t user_id, const std::string& except_id) override {
        std::lock_guard lock(mu_);
        generation_.fetch_add(1);
        Stmt q = stmt("DELETE FROM sessions WHERE user_id = ? AND id <> ?");
        q->bind(1, user_id);
        q->bind(2, except_id);
        q->exec();
    }

    void prune_sessions(std::int64_t now) override {
        std::lock_guard lock(mu_);
        generation_.fetch_add(1);
        Stmt q = stmt("DELETE FROM sessions WHERE expires_at <= ?");
        q->bind(1, now);
        q->exec();
    }

    std::optional<std::string> setting(const std::string& key) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt("SELECT value FROM settings WHERE key = ?");
        q->bind(1, key);
        if (!q->executeStep()) return std::nullopt;
        auto v = q->getColumn(0).getString();
        if (SettingsCipher::is_sealed(v)) {
            if (!cipher_) return std::nullopt;
            auto plain = cipher_->open(v);
            if (!plain)
                spdlog::warn("réglage secret {} illisible (clé secrète changée ?) : ignoré", key);
            return plain;
        }
        return v;
    }

    void set_cipher(std::shared_ptr<const SettingsCipher> cipher) override {
        std::vector<std::pair<std::string, std::string>> clear;
        {
            std::lock_guard lock(mu_);
            cipher_ = std::move(cipher);
            Stmt q = stmt("SELECT key, value FROM settings");
            while (q->executeStep()) {
                auto k = q->getColumn(0).getString();
                auto v = q->getColumn(1).getString();
                if (is_secret_setting(k) && !v.empty() && !SettingsCipher::is_sealed(v))
                    clear.emplace_back(k, v);
            }
        }
        for (auto& [k, v] : clear) set_setting(k, v);
    }

    void set_setting(const std::string& key, const std::string& plain) override {
        std::lock_guard lock(mu_);
        generation_.fetch_add(1);
        std::string value =
            cipher_ && is_secret_setting(key) && !plain.empty() ? cipher_->seal(plain) : plain;
        Stmt q = stmt(
            "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = "
            "excluded.updated_at");
        q->bind(1, key);
        q->bind(2, value);
        q->bind(3, now_unix());
        q->exec();
    }

    void audit(const AuditEntry& e) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt(
            "INSERT INTO audit_log (at, actor_id, actor_name, action, target_type, target_id,"
            " details, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        q->bind(1, now_unix());
        if (e.actor_id)
            q->bind(2, *e.actor_id);
        else
            q->bind(2);
        q->bind(3, e.actor_name);
        q->bind(4, e.action);
        q->bind(5, e.target_type);
        q->bind(6, e.target_id);
        q->bind(7, e.details_json);
        q->bind(8, e.ip);
        q->exec();
    }

    std::vector<UserName> user_names() override {
        std::lock_guard lock(mu_);
        Stmt q = stmt("SELECT id, username, display_name, folder FROM users");
        std::vector<UserName> out;
        while (q->executeStep())
            out.push_back({q->getColumn(0).getInt64(), q->getColumn(1).getString(),
                           q->getColumn(2).getString(),
                           q->getColumn(3).isNull() ? "" : q->getColumn(3).getString()});
        return out;
    }

    bool folder_in_use(const std::string& folder) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt("SELECT 1 FROM users WHERE folder = ?");
        q->bind(1, folder);
        return q->executeStep();
    }

    void record_search(std::int64_t user_id, const RecentSearch& r, std::size_t keep) override {
        std::lock_guard lock(mu_);
        SQLite::Transaction tx(db_);
        {
            Stmt q = stmt(
                "INSERT INTO recent_searches (user_id, query, category, indexer, results, "
                "searched_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, query, category, "
                "indexer) DO UPDATE SET results = excluded.results, searched_at = "
                "excluded.searched_at");
            q->bind(1, user_id);
            q->bind(2, r.query);
            q->bind(3, r.category);
            q->bind(4, r.indexer);
            q->bind(5, r.results);
            q->bind(6, r.searched_at);
            q->exec();
        }
        {
            // Ties on the second are broken by id so the newest insert always survives.
            Stmt q = stmt(
                "DELETE FROM recent_searches WHERE user_id = ? AND id NOT IN (SELECT id FROM "
                "recent_searches WHERE user_id = ? ORDER BY searched_at DESC, id DESC LIMIT ?)");
            q->bind(1, user_id);
            q->bind(2, user_id);
            q->bind(3, static_cast<std::int64_t>(keep));
            q->exec();
        }
        tx.commit();
    }

    std::vector<RecentSearch> recent_searches(std::int64_t user_id) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt(
            "SELECT id, query, category, indexer, results, searched_at FROM recent_searches"
            " WHERE user_id = ? ORDER BY searched_at DESC, id DESC");
        q->bind(1, user_id);
        std::vector<RecentSearch> out;
        while (q->executeStep())
            out.push_back({q->getColumn(0).getInt64(), q->getColumn(1).getString(),
                           q->getColumn(2).getString(), q->getColumn(3).getString(),
                           q->getColumn(4).getInt64(), q->getColumn(5).getInt64()});
        return out;
    }

    std::int64_t delete_recent_searches(std::int64_t user_id, std::int64_t id) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt("DELETE FROM recent_searches WHERE user_id = ? AND (? = 0 OR id = ?)");
        q->bind(1, user_id);
        q->bind(2, id);
        q->bind(3, id);
        return q->exec();
    }

    std::int64_t insert_torrent(const TorrentRow& r) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt(
            "INSERT INTO torrents (qbt_hash, hash_v1, hash_v2, owner_id, source, name, size, "
            "added_at, limit_state, limit_reason, size_checked)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        q->bind(1, r.qbt_hash);
        bind_text_or_null(*q, 2, r.hash_v1);
        bind_text_or_null(*q, 3, r.hash_v2);
        if (r.owner_id)
            q->bind(4, *r.owner_id);
        else
            q->bind(4);
        q->bind(5, r.source);
        q->bind(6, r.name);
        if (r.size)
            q->bind(7, *r.size);
        else
            q->bind(7);
        q->bind(8, r.added_at);
        bind_text_or_null(*q, 9, r.limit_state);
        bind_text_or_null(*q, 10, r.limit_reason);
        q->bind(11, r.size_checked ? 1 : 0);
        try {
            q->exec();
        } catch (const SQLite::Exception& e) {
            if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE)
                throw Conflict("torrent already present");
            throw;
        }
        return db_.getLastInsertRowid();
    }

    void delete_torrent_row(std::int64_t id) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt("DELETE FROM torrents WHERE id = ?");
        q->bind(1, id);
        q->exec();
    }

    std::vector<TorrentRow> torrent_rows(std::int64_t removed_since) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt(
            "SELECT id, qbt_hash, hash_v1, hash_v2, owner_id, source, name, size, added_at, "
            "removed_at,"
            " completed_at, removal, limit_state, limit_reason, size_checked, completion_notified"
            " FROM torrents"
            " WHERE removed_at IS NULL OR removed_at >= ? ORDER BY id");
        q->bind(1, removed_since);
        std::vector<TorrentRow> out;
        auto opt = [&](int i) -> std::optional<std::int64_t> {
            if (q->getColumn(i).isNull()) return std::nullopt;
            return q->getColumn(i).getInt64();
        };
        while (q->executeStep()) {
            TorrentRow r;
            r.id = q->getColumn(0).getInt64();
            r.qbt_hash = q->getColumn(1).getString();
            r.hash_v1 = q->getColumn(2).getString();
            r.hash_v2 = q->getColumn(3).getString();
            r.owner_id = opt(4);
            r.source = q->getColumn(5).getString();
            r.name = q->getColumn(6).getString();
            r.size = opt(7);
            r.added_at = q->getColumn(8).getInt64();
            r.removed_at = opt(9);
            r.completed_at = opt(10);
            r.removal = q->getColumn(11).getString();
            r.limit_state = q->getColumn(12).getString();
            r.limit_reason = q->getColumn(13).getString();
            r.size_checked = q->getColumn(14).getInt() != 0;
            r.completion_notified = q->getColumn(15).getInt() != 0;
            out.push_back(std::move(r));
        }
        return out;
    }

    void mark_torrent_removed(std::int64_t id, std::int64_t at,
                              const std::string& removal) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt(
            "UPDATE torrents SET removed_at = ?, removal = ? WHERE id = ? AND removed_at IS NULL");
        q->bind(1, at);
        q->bind(2, removal);
        q->bind(3, id);
        q->exec();
    }

    void update_torrent_identity(std::int64_t id, const std::string& qbt_hash,
                                 const std::string& hash_v1, const std::string& hash_v2,
                                 const std::string& name,
                                 std::optional<std::int64_t> size) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt(
            "UPDATE torrents SET qbt_hash = ?, hash_v1 = ?, hash_v2 = ?, name = ?, size = ? WHERE "
            "id = ?");
        q->bind(1, qbt_hash);
        bind_text_or_null(*q, 2, hash_v1);
        bind_text_or_null(*q, 3, hash_v2);
        q->bind(4, name);
        if (size)
            q->bind(5, *size);
        else
            q->bind(5);
        q->bind(6, id);
        q->exec();
    }

    std::optional<Notification> record_completion(std::int64_t row_id, std::int64_t completed_at,
                                                  const std::string& hash, const std::string& name,
                                                  const std::string& message) override {
        std::lock_guard lock(mu_);
        SQLite::Transaction tx(db_);
        std::optional<std::int64_t> owner;
        {
            Stmt q = stmt(
                "UPDATE torrents SET completion_notified = 1, completed_at = ? WHERE id = ? AND "
                "completion_notified = 0 RETURNING owner_id");
            q->bind(1, completed_at);
            q->bind(2, row_id);
            if (!q->executeStep()) return std::nullopt;  // already notified
            if (!q->getColumn(0).isNull()) owner = q->getColumn(0).getInt64();
        }
        if (!owner) {
            tx.commit();
            return std::nullopt;
        }
        Notification n{0, *owner, "completed", hash, name, message, now_unix(), std::nullopt};
        n.id = insert_notification_locked(n);
        tx.commit();
        return n;
    }

    Notification add_notification(const Notification& in) override {
        std::lock_guard lock(mu_);
        Notification n = in;
        if (!n.created_at) n.created_at = now_unix();
        n.id = insert_notification_locked(n);
        return n;
    }

    std::vector<Notification> notifications(std::int64_t user_id, std::int64_t limit,
                                            std::int64_t& unread) override {
        std::lock_guard lock(mu_);
        {
            Stmt c =
                stmt("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL");
            c->bind(1, user_id);
            c->executeStep();
            unread = c->getColumn(0).getInt64();
        }
        Stmt q = stmt(
            "SELECT id, user_id, kind, torrent_hash, torrent_name, message, created_at, read_at "
            "FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT ?");
        q->bind(1, user_id);
        q->bind(2, limit);
        std::vector<Notification> out;
        while (q->executeStep()) {
            Notification n;
            n.id = q->getColumn(0).getInt64();
            n.user_id = q->getColumn(1).getInt64();
            n.kind = q->getColumn(2).getString();
            n.torrent_hash = q->getColumn(3).getString();
            n.torrent_name = q->getColumn(4).getString();
            n.message = q->getColumn(5).getString();
            n.created_at = q->getColumn(6).getInt64();
            if (!q->getColumn(7).isNull()) n.read_at = q->getColumn(7).getInt64();
            out.push_back(std::move(n));
        }
        return out;
    }

    std::int64_t mark_notifications_read(std::int64_t user_id, const std::vector<std::int64_t>& ids,
                                         std::int64_t now) override {
        std::lock_guard lock(mu_);
        if (ids.empty()) {
            Stmt q =
                stmt("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL");
            q->bind(1, now);
            q->bind(2, user_id);
            return q->exec();
        }
        std::int64_t n = 0;
        SQLite::Transaction tx(db_);
        for (auto id : ids) {
            Stmt q = stmt(
                "UPDATE notifications SET read_at = ? WHERE user_id = ? AND id = ? AND read_at "
                "IS NULL");
            q->bind(1, now);
            q->bind(2, user_id);
            q->bind(3, id);
            n += q->exec();
        }
        tx.commit();
        return n;
    }

    std::int64_t clear_notifications(std::int64_t user_id) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt("DELETE FROM notifications WHERE user_id = ?");
        q->bind(1, user_id);
        return q->exec();
    }

    void set_notify_prefs(std::int64_t user_id, bool email,
                          const std::optional<std::string>& webhook_url) override {
        std::lock_guard lock(mu_);
        generation_.fetch_add(1);
        Stmt q = stmt("UPDATE users SET notify_email = ?, webhook_url = ? WHERE id = ?");
        q->bind(1, email ? 1 : 0);
        if (webhook_url)
            q->bind(2, *webhook_url);
        else
            q->bind(2);
        q->bind(3, user_id);
        if (q->exec() == 0) throw NotFound("no such user");
    }

    void enqueue_delivery(std::int64_t notification_id, std::int64_t user_id,
                          const std::string& channel, const std::string& target,
                          std::int64_t now) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt(
            "INSERT INTO deliveries (notification_id, user_id, channel, target, next_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?)");
        q->bind(1, notification_id);
        q->bind(2, user_id);
        q->bind(3, channel);
        q->bind(4, target);
        q->bind(5, now);
        q->bind(6, now);
        q->exec();
    }

    std::vector<Delivery> due_deliveries(std::int64_t now, std::int64_t limit) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt(std::string(kDeliverySelect) +
                      " WHERE d.status = 'pending' AND d.next_at <= ? ORDER BY d.next_at LIMIT ?");
        q->bind(1, now);
        q->bind(2, limit);
        return read_deliveries(*q);
    }

    void update_delivery(std::int64_t id, const std::string& status, std::int64_t attempts,
                         std::int64_t next_at, const std::string& error,
                         std::int64_t now) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt(
            "UPDATE deliveries SET status = ?, attempts = ?, next_at = ?, last_error = ?, "
            "updated_at = ? WHERE id = ?");
        q->bind(1, status);
        q->bind(2, attempts);
        q->bind(3, next_at);
        bind_text_or_null(*q, 4, error);
        q->bind(5, now);
        q->bind(6, id);
        q->exec();
    }

    std::vector<Delivery> user_deliveries(std::int64_t user_id, std::int64_t limit) override {
        std::lock_guard lock(mu_);
        Stmt q =
            stmt(std::string(kDeliverySelect) + " WHERE d.user_id = ? ORDER BY d.id DESC LIMIT ?");
        q->bind(1, user_id);
        q->bind(2, limit);
        return read_deliveries(*q);
    }

    void set_torrent_limit(std::int64_t id, const std::string& state, const std::string& reason,
                           bool size_checked) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt(
            "UPDATE torrents SET limit_state = ?, limit_reason = ?, size_checked = ? WHERE id = ?");
        bind_text_or_null(*q, 1, state);
        bind_text_or_null(*q, 2, reason);
        q->bind(3, size_checked ? 1 : 0);
        q->bind(4, id);
        q->exec();
    }

    void set_torrent_owner(std::int64_t id, std::optional<std::int64_t> owner_id) override {
        std::lock_guard lock(mu_);
        Stmt q = stmt("UPDATE torrents SET owner_id = ?, source = 'assigned' WHERE id = ?");
        if (owner_id)
            q->bind(1, *owner_id);
        else
            q->bind(1);
        q->bind(2, id);
        if (q->exec() == 0) throw NotFound("torrent");
    }

  private:
    static constexpr const char* kDeliverySelect =
        "SELECT d.id, d.notification_id, d.user_id, d.channel, d.target, d.status, d.attempts, "
        "d.next_at, d.last_error, d.updated_at, n.kind, n.torrent_hash, n.torrent_name, "
        "n.message, n.created_at FROM deliveries d JOIN notifications n ON n.id = "
        "d.notification_id";

    static std::vector<Delivery> read_deliveries(SQLite::Statement& q) {
        std::vector<Delivery> out;
        while (q.executeStep()) {
            Delivery d;
            d.id = q.getColumn(0).getInt64();
            d.notification_id = q.getColumn(1).getInt64();
            d.user_id = q.getColumn(2).getInt64();
            d.channel = q.getColumn(3).getString();
            d.target = q.getColumn(4).getString();
            d.status = q.getColumn(5).getString();
            d.attempts = q.getColumn(6).getInt64();
            d.next_at = q.getColumn(7).getInt64();
            if (!q.getColumn(8).isNull()) d.last_error = q.getColumn(8).getString();
            d.updated_at = q.getColumn(9).getInt64();
            d.notification.id = d.notification_id;
            d.notification.user_id = d.user_id;
            d.notification.kind = q.getColumn(10).getString();
            d.notification.torrent_hash = q.getColumn(11).getString();
            d.notification.torrent_name = q.getColumn(12).getString();
            d.notification.message = q.getColumn(13).getString();
            d.notification.created_at = q.getColumn(14).getInt64();
            out.push_back(std::move(d));
        }
        return out;
    }

    std::int64_t insert_notification_locked(const Notification& n) {
        Stmt q = stmt(
            "INSERT INTO notifications (user_id, kind, torrent_hash, torrent_name, message, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)");
        q->bind(1, n.user_id);
        q->bind(2, n.kind);
        q->bind(3, n.torrent_hash);
        q->bind(4, n.torrent_name);
        q->bind(5, n.message);
        q->bind(6, n.created_at);
        q->exec();
        return db_.getLastInsertRowid();
    }

    static void bind_text_or_null(SQLite::Statement& q, int i, const std::string& v) {
        if (v.empty())
            q.bind(i);
        else
            q.bind(i, v);
    }

    // Resets the statement when it goes out of scope, so no cached SELECT keeps a read
    // snapshot open between requests (that would stall WAL checkpoints).
    class Stmt {
      public:
        explicit Stmt(SQLite::Statement& s) : s_(&s) {}
        Stmt(const Stmt&) = delete;
        Stmt& operator=(const Stmt&) = delete;
        ~Stmt() {
            try {
                s_->reset();
            } catch (...) {
            }
        }
        SQLite::Statement* operator->() { return s_; }
        SQLite::Statement& operator*() { return *s_; }

      private:
        SQLite::Statement* s_;
    };

    // A cleared, cached statement. Caller holds mu_.
    Stmt stmt(const std::string& sql) {
        auto it = cache_.find(sql);
        if (it == cache_.end())
            it = cache_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
        it->second->reset();
        it->second->clearBindings();
        return Stmt(*it->second);
    }

    static std::optional<Group> read_group(SQLite::Statement& q) {
        if (!q.executeStep()) return std::nullopt;
        Group g;
        g.id = q.getColumn(0).getInt64();
        g.name = q.getColumn(1).getString();
        g.permissions = parse_permissions(q.getColumn(2).getString());
        g.limits_json = q.getColumn(3).getString();
        return g;
    }

    struct CachedSession {
        User user;
        std::int64_t expires_at = 0;
        std::uint64_t generation = 0;
    };

    std::mutex mu_;
    SQLite::Database db_;
    std::atomic<std::uint64_t> generation_{0};  // bumped by every write
    std::string wal_path_;                      // "<db>-wal", empty for in-memory databases
    std::atomic<std::int64_t> wal_sig_{0};      // mtime/size of the WAL when last looked at
    std::shared_mutex cache_mu_;
    std::unordered_map<std::string, CachedSession> session_cache_;
    std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> cache_;
    std::shared_ptr<const SettingsCipher> cipher_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path, bool run_migrations) {
    return std::make_unique<SqliteStore>(path, run_migrations);
}

bool is_storage_full(const std::exception& e) noexcept {
    if (const auto* p = dynamic_cast<const pg::Error*>(&e)) return p->sqlstate == pg::kDiskFull;
    const auto* s = dynamic_cast<const SQLite::Exception*>(&e);
    return s && (s->getErrorCode() & 0xff) == SQLITE_FULL;
}

}  // namespace essaim::store
