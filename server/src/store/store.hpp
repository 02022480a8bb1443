// The storage contract, and its one implementation (store.cpp) over either engine: SQLite, the
// embedded default, or PostgreSQL for larger installs (db.hpp). Every method is safe to call
// from any thread.
// Errors: Conflict for unique-key violations, NotFound for a missing row on update, any other
// failure as std::runtime_error (the HTTP layer turns it into a 500 and logs it).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>
#include "store/settings_cipher.hpp"

namespace essaim::store {

struct Conflict : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct NotFound : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Group {
    std::int64_t id = 0;
    std::string name;
    std::vector<std::string> permissions;
    std::string limits_json = "{}";
};

struct User {
    std::int64_t id = 0;
    std::string username, display_name;
    std::optional<std::string> email;
    std::string password_hash;
    std::string role;  // "admin" | "user"
    std::int64_t group_id = 0;
    std::string group_name;
    std::vector<std::string> permissions;  // from the group
    std::string limits_json = "{}";        // from the group
    bool notify_email = false;             // completion e-mails (opt-in)
    std::optional<std::string> webhook_url;
    bool disabled = false;
    std::int64_t token_version = 0, created_at = 0;
    std::optional<std::int64_t> last_login_at;
    // The user's own folder under the download root (one path segment, unique, chosen at account
    // creation and never changed): every torrent they add is saved in <root>/<folder>/.
    std::string folder;

    bool is_admin() const { return role == "admin"; }
};

struct NewUser {
    std::string username, display_name;
    std::optional<std::string> email;
    std::string password_hash;
    std::string role = "user";
    std::int64_t group_id = 0;
    // Chosen by auth/accounts (download/layout.hpp rules); empty: the user name in lower case,
    // as migration 0009 gave existing accounts.
    std::string folder;
};

// Fields an administrator may change; absent = unchanged. `email` holds nullopt inside to clear.
struct UserUpdate {
    std::optional<std::string> display_name;
    std::optional<std::optional<std::string>> email;
    std::optional<std::string> role;
    std::optional<std::int64_t> group_id;
    std::optional<bool> disabled;
};

struct AuditFilter {
    std::string actor;   // actor name contains (case-insensitive)
    std::string action;  // exact action, or a prefix ending with '.'
    std::optional<std::int64_t> from, to;
    std::int64_t offset = 0, limit = 50;
};

struct AuditRow {
    std::int64_t id = 0, at = 0;
    std::optional<std::int64_t> actor_id;
    std::string actor_name, action, target_type, target_id, details_json, ip;
};

struct Session {
    std::string id;
    std::int64_t user_id = 0, created_at = 0, expires_at = 0;
    std::string ip, user_agent;
    std::optional<std::int64_t> api_token_id;  // opened with an API token: ends with it
};

// A user's API token (the secret itself is never stored: its SHA-256 is).
struct ApiToken {
    std::int64_t id = 0, user_id = 0;
    std::string name;  // the user's ("Sonarr"); the journal says "via l'application …"
    bool read_only = false;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> expires_at, last_used_at;
    std::optional<std::string> last_used_ip;
    std::string username;  // the owner's, for administrators' list
};

// One of a user's own categories or tags (the qBittorrent-compatible API, qbtapi/).
struct Label {
    std::string kind;  // "category" | "tag"
    std::string name;
    std::string save_path;  // a category's folder, relative to the user's ("" = the folder)
};

// Who a request acts for: the user and, when it came with an API token (or a session opened
// with one), that token.
struct Principal {
    User user;
    std::optional<ApiToken> token;
};

struct AuditEntry {
    std::optional<std::int64_t> actor_id;
    std::string actor_name;
    std::string action;  // "user.register", "user.login", "user.password_change", …
    std::string target_type, target_id;
    std::string details_json = "{}";
    std::string ip;
};

struct TorrentRow {
    std::int64_t id = 0;
    std::string qbt_hash;
    std::string hash_v1, hash_v2;  // "" when unknown
    std::optional<std::int64_t> owner_id;
    std::string source;  // magnet | file | url | search | reconciled | assigned
    std::string name;
    std::optional<std::int64_t> size;
    std::int64_t added_at = 0;
    std::optional<std::int64_t> removed_at;
    std::string removal;  // "deleted" (through essaim) or "vanished" (gone from qBittorrent)
    std::optional<std::int64_t> completed_at;
    // "" | "queued" (waits for a download slot) | "stopped" (over a limit)
    std::string limit_state;
    std::string limit_reason;  // French, when stopped
    bool size_checked = true;  // false: a magnet whose size must be checked against limits
    bool completion_notified = false;
    std::int64_t server_id = 1;  // the qBittorrent server holding it (qbt_servers)
};

// A qBittorrent server (issue 20). Server 1's connection and download settings live in the
// settings table (its qBittorrent and downloads sections): its row carries name and state only,
// and qbt/servers fills the rest. `password` is the plain text (sealed in the database).
struct Server {
    std::int64_t id = 0;
    std::string name, url, username, password;
    std::string download_root, download_base_url;
    std::string state = "active";  // active | draining | disabled
    std::int64_t created_at = 0;
};

// An account's link to an OpenID Connect provider's subject (issue 22).
struct Identity {
    std::int64_t user_id = 0;
    std::string issuer, subject;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> last_login_at;
};

struct Notification {
    std::int64_t id = 0, user_id = 0;
    std::string kind;  // completed | limit_stopped | error | removed
    std::string torrent_hash, torrent_name, message;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> read_at;
};

struct Delivery {
    std::int64_t id = 0, notification_id = 0, user_id = 0;
    std::string channel, target, status;
    std::int64_t attempts = 0, next_at = 0, updated_at = 0;
    std::string last_error;
    Notification notification;  // filled by due_deliveries / user_deliveries
};

struct RecentSearch {
    std::int64_t id = 0;
    std::string query;
    std::string category;  // "tout", "films", …
    std::string indexer;   // "" = every indexer
    std::int64_t results = 0, searched_at = 0;
};

struct UserName {
    std::int64_t id = 0;
    std::string username, display_name, folder;
};

class Store {
  public:
    virtual ~Store() = default;

    virtual int schema_version() = 0;
    virtual bool ping() = 0;

    // Users
    // Conflict when the name (or the folder) is taken.
    virtual std::int64_t create_user(const NewUser& u) = 0;
    virtual bool folder_in_use(const std::string& folder) = 0;
    virtual std::optional<User> user_by_id(std::int64_t id) = 0;
    virtual std::optional<User> user_by_username(const std::string& username) = 0;
    virtual std::int64_t count_users() = 0;
    virtual void update_profile(std::int64_t id, const std::string& display_name,
                                const std::optional<std::string>& email) = 0;
    // Replaces the hash; with bump_token_version every token issued before stops working.
    virtual void set_password(std::int64_t id, const std::string& hash,
                              bool bump_token_version) = 0;
    virtual void touch_login(std::int64_t id, std::int64_t now) = 0;

    // Administration of users. update_user throws NotFound, Conflict for an unknown group.
    virtual std::vector<User> list_users() = 0;
    virtual void update_user(std::int64_t id, const UserUpdate& u) = 0;
    virtual void delete_user(std::int64_t id) = 0;  // sessions go with it; torrents lose owner
    virtual std::int64_t count_active_admins() = 0;
    // Moves every live ownership row of `from` to `to`; returns how many.
    virtual std::int64_t reassign_torrents(std::int64_t from, std::int64_t to) = 0;

    // Groups. create/update throw Conflict when the name is taken; delete throws Conflict when
    // the group still has members.
    virtual std::optional<Group> group_by_id(std::int64_t id) = 0;
    virtual std::optional<Group> group_by_name(const std::string& name) = 0;
    virtual std::vector<Group> list_groups() = 0;
    virtual std::int64_t count_group_members(std::int64_t id) = 0;
    virtual std::int64_t create_group(const Group& g) = 0;
    virtual void update_group(const Group& g) = 0;
    virtual void delete_group(std::int64_t id) = 0;

    // Sessions
    virtual void create_session(const Session& s) = 0;
    // The user owning a live (existing, unexpired) session, or nullopt.
    virtual std::optional<Principal> user_for_session(const std::string& session_id,
                                                      std::int64_t user_id, std::int64_t now) = 0;
    virtual void delete_session(const std::string& session_id) = 0;
    virtual void delete_user_sessions(std::int64_t user_id, const std::string& except_id) = 0;
    virtual void prune_sessions(std::int64_t now) = 0;

    // API tokens. create returns the id; the user and token for a token's hash, or nullopt
    // (unknown, expired); listed for one user or (nullopt) everyone, newest first; delete takes
    // the owner's id too unless an administrator revokes (nullopt), and returns whether a token
    // went — its sessions go with it; touch records the last use.
    virtual std::int64_t create_api_token(const ApiToken& t, const std::string& token_hash) = 0;
    virtual std::optional<Principal> user_for_api_token(const std::string& token_hash,
                                                        std::int64_t now) = 0;
    virtual std::vector<ApiToken> api_tokens(std::optional<std::int64_t> user_id) = 0;
    virtual bool delete_api_token(std::int64_t id, std::optional<std::int64_t> user_id) = 0;
    virtual void touch_api_token(std::int64_t id, std::int64_t at, const std::string& ip) = 0;
    // A user's categories and tags, by kind then name. put_label creates (false when the name
    // exists) or, with `replace`, changes a category's save_path (false when it does not exist);
    // delete_labels returns how many went.
    virtual std::vector<Label> labels(std::int64_t user_id) = 0;
    virtual bool put_label(std::int64_t user_id, const Label& l, bool replace) = 0;
    virtual int delete_labels(std::int64_t user_id, const std::string& kind,
                              const std::vector<std::string>& names) = 0;
    // qBittorrent servers, by id. create/update throw Conflict on a name taken (case-insensitive);
    // update/delete NotFound. A group's servers: where its members' new torrents may go (none
    // = every server); set_group_servers replaces the list (Conflict on an unknown server).
    virtual std::vector<Server> servers() = 0;
    virtual std::int64_t create_server(const Server& s) = 0;
    virtual void update_server(const Server& s) = 0;  // an empty password keeps the stored one
    virtual void delete_server(std::int64_t id) = 0;
    virtual std::int64_t count_server_torrents(std::int64_t server_id) = 0;  // live rows
    virtual std::vector<std::int64_t> group_servers(std::int64_t group_id) = 0;
    virtual std::vector<std::pair<std::int64_t, std::int64_t>> all_group_servers() = 0;
    virtual void set_group_servers(std::int64_t group_id,
                                   const std::vector<std::int64_t>& server_ids) = 0;
    // OpenID Connect links: the account a provider's subject signs in as; link_identity throws
    // Conflict when that subject is linked already or the account has an identity at that
    // provider; unlink_identity returns whether there was one.
    virtual std::optional<std::int64_t> user_for_identity(const std::string& issuer,
                                                          const std::string& subject) = 0;
    virtual void link_identity(const Identity& i) = 0;
    virtual bool unlink_identity(std::int64_t user_id, const std::string& issuer) = 0;
    virtual std::vector<Identity> identities(std::optional<std::int64_t> user_id) = 0;
    virtual void touch_identity(const std::string& issuer, const std::string& subject,
                                std::int64_t at) = 0;
    // Another process may have changed users, groups or sessions (PostgreSQL: NOTIFY
    // essaim_auth, received by app/cluster.cpp). `listening` says whether such changes are being
    // heard at all: while not, user_for_session must not answer from a cache. SQLite watches its
    // WAL file instead and ignores `listening`.
    virtual void auth_changed_elsewhere(bool listening) = 0;

    // Settings (typed in code, stored as text). With a cipher, secret settings
    // (is_secret_setting) are sealed on write and opened on read; a sealed value that does not
    // open (the secret key changed) reads as absent.
    virtual std::optional<std::string> setting(const std::string& key) = 0;
    virtual void set_setting(const std::string& key, const std::string& value) = 0;
    // Installs the cipher and seals any secret setting still stored in clear.
    virtual void set_cipher(std::shared_ptr<const SettingsCipher> cipher) = 0;

    // Audit log: append-only (nothing here edits or deletes an entry).
    virtual void audit(const AuditEntry& e) = 0;
    // Newest first; `total` = rows matching the filter.
    virtual std::vector<AuditRow> audit_entries(const AuditFilter& f, std::int64_t& total) = 0;
    virtual std::vector<std::string> audit_actions() = 0;  // distinct, sorted

    // Users, light: for showing owners' names.
    virtual std::vector<UserName> user_names() = 0;

    // Recent searches: the same (query, category, indexer) is one row whose date moves; only the
    // `keep` most recent rows of the user survive a record.
    virtual void record_search(std::int64_t user_id, const RecentSearch& s, std::size_t keep) = 0;
    virtual std::vector<RecentSearch> recent_searches(std::int64_t user_id) = 0;  // newest first
    // Deletes one (id > 0) or all (id == 0) of the user's recent searches; returns how many.
    virtual std::int64_t delete_recent_searches(std::int64_t user_id, std::int64_t id) = 0;

    // Torrent ownership
    // Conflict when a live row already has this qbt_hash.
    virtual std::int64_t insert_torrent(const TorrentRow& r) = 0;
    virtual void delete_torrent_row(std::int64_t id) = 0;  // undo of a failed add
    // Live rows, plus rows removed at or after `removed_since`.
    virtual std::vector<TorrentRow> torrent_rows(std::int64_t removed_since) = 0;
    virtual void mark_torrent_removed(std::int64_t id, std::int64_t at,
                                      const std::string& removal) = 0;
    // Writes the row's ids, name, size and server (a torrent qBittorrent now lists otherwise).
    virtual void update_torrent_identity(const TorrentRow& r) = 0;
    virtual void set_torrent_owner(std::int64_t id, std::optional<std::int64_t> owner_id) = 0;
    // Exactly-once completion: flips the row's completion_notified and inserts the notification
    // in one transaction; nullopt when it was already notified (or the row has no owner).
    virtual std::optional<Notification> record_completion(std::int64_t row_id,
                                                          std::int64_t completed_at,
                                                          const std::string& hash,
                                                          const std::string& name,
                                                          const std::string& message) = 0;
    virtual Notification add_notification(const Notification& n) = 0;
    // Newest first, at most `limit`; `unread` = the user's unread count.
    virtual std::vector<Notification> notifications(std::int64_t user_id, std::int64_t limit,
                                                    std::int64_t& unread) = 0;
    // Marks read (ids empty = all); returns how many changed.
    virtual std::int64_t mark_notifications_read(std::int64_t user_id,
                                                 const std::vector<std::int64_t>& ids,
                                                 std::int64_t now) = 0;
    virtual std::int64_t clear_notifications(std::int64_t user_id) = 0;

    // Notification preferences and deliveries (e-mail, webhook).
    virtual void set_notify_prefs(std::int64_t user_id, bool email,
                                  const std::optional<std::string>& webhook_url) = 0;
    virtual void enqueue_delivery(std::int64_t notification_id, std::int64_t user_id,
                                  const std::string& channel, const std::string& target,
                                  std::int64_t now) = 0;
    virtual std::vector<Delivery> due_deliveries(std::int64_t now, std::int64_t limit) = 0;
    virtual void update_delivery(std::int64_t id, const std::string& status, std::int64_t attempts,
                                 std::int64_t next_at, const std::string& error,
                                 std::int64_t now) = 0;
    virtual std::vector<Delivery> user_deliveries(std::int64_t user_id, std::int64_t limit) = 0;

    virtual void set_torrent_limit(std::int64_t id, const std::string& state,
                                   const std::string& reason, bool size_checked) = 0;
};

// Opens (creating if needed) the SQLite database at `path`, WAL mode, foreign keys on, and
// applies the pending migrations when `migrate` is true.
std::unique_ptr<Store> open_sqlite_store(const std::string& path, bool migrate = true);
// Connects (failing at once, with a French message without the password, when PostgreSQL is
// unreachable) and applies the pending migrations when `migrate` is true. Up to `pool_size`
// connections are opened on demand and shared by every thread.
std::unique_ptr<Store> open_postgres_store(const std::string& url, bool migrate = true,
                                           std::size_t pool_size = 4);

// True when `e` is the store failing because the disk (or the database's size limit) is full
// (SQLite's SQLITE_FULL, PostgreSQL's SQLSTATE 53100): the API answers 507 `storage_full`
// instead of a generic 500.
bool is_storage_full(const std::exception& e) noexcept;
inline constexpr const char* kStorageFullMessage =
    "Le disque du serveur essaim est plein : la modification n'a pas été enregistrée. "
    "Prévenez l'administrateur pour qu'il libère de la place, puis réessayez.";

}  // namespace essaim::store
