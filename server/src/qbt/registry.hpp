// The registry joins qBittorrent's live state (one MainData per server, each fed by that
// server's sync loop: qbt/servers.hpp) with essaim's
// ownership rows, and publishes immutable snapshots that every read endpoint and every
// WebSocket client is served from — no request ever reaches qBittorrent on their behalf.
//
// A qBittorrent torrent matches an ownership row by any of its three ids (qBittorrent's hash,
// v1 infohash, v2 infohash). Several servers make one list: a torrent is listed once, from the
// lowest server id holding it, and carries its server; a server that does not answer marks only
// its own torrents stale. Entries are typed state; their JSON shape belongs to the API
// (api/torrent_views.cpp), which installs a renderer: each entry is rendered once per change and
// the text shared between snapshots; whole response bodies are cached per snapshot and viewer.
//
// Threads: every method is safe from any thread. Listeners (on_change) and the rows-changed
// hook run under the registry's lock and must only queue work. The database is written outside
// the lock: the in-memory state changes first, the row is written after (a failed write is
// logged; the next reload puts memory back in line with the database).
#pragma once

#include "download/layout.hpp"
#include "qbt/maindata.hpp"
#include "store/store.hpp"

#include <boost/iterator/indirect_iterator.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace essaim::qbt {

// essaim's link to qBittorrent: the one type for it (lists, WebSocket, /api/health, cluster).
// `disabled`: an administrator turned the server off; essaim does not contact it.
enum class LinkState : int { unconfigured = 0, ok = 1, down = 2, disabled = 3 };
// "unconfigured" | "ok" | "down" | "disabled", as the API says it.
const char* link_name(LinkState s);

// A text made on first use and kept with its (immutable, shared) entry: the qBittorrent-compatible
// API's JSON of the torrent, made only for the torrents of users whose tools ask (qbtapi/).
// Any thread: two first uses at once may both make it, one is kept. A copy starts empty.
class LazyText {
  public:
    LazyText() = default;
    LazyText(const LazyText&) {}
    LazyText& operator=(const LazyText&) { return *this; }
    std::shared_ptr<const std::string> get() const { return p_.load(std::memory_order_acquire); }
    void set(std::shared_ptr<const std::string> s) const {
        p_.store(std::move(s), std::memory_order_release);
    }

  private:
    mutable std::atomic<std::shared_ptr<const std::string>> p_;
};

struct Entry {
    std::string hash;         // qBittorrent's id: the key in every URL
    std::int64_t server = 1;  // the qBittorrent server holding it (its row's, when not listed)
    std::string server_name;  // its name (administrators see it)
    bool stale = false;       // its server does not answer: the values are the last known
    std::string hash_v1, hash_v2;
    std::string name;
    std::optional<std::int64_t> owner_id;
    std::string owner_username, owner_display_name;  // "" without owner (or unknown yet)
    std::int64_t row_id = 0;  // 0 = essaim has no ownership row ("sans propriétaire")
    bool removed = false;     // known to essaim, gone from qBittorrent
    bool in_qbt = false;
    std::string state;      // essaim state (short: fits the small-string buffer)
    std::string qbt_state;  // qBittorrent's own, "" when it does not list the torrent
    double progress = 0, ratio = 0;
    std::int64_t size = 0, downloaded = 0, uploaded = 0;
    std::int64_t dlspeed = 0, upspeed = 0;
    std::optional<std::int64_t> eta;  // seconds; nullopt = infinite or unknown
    std::int64_t num_seeds = 0, num_leechs = 0, num_complete = 0, num_incomplete = 0;
    std::int64_t added_on = 0, completion_on = 0;  // completion_on 0 = not completed
    std::string tracker;
    std::string limit_state;          // from the row: "", "queued" or "stopped" (auth/limits.hpp)
    std::string limit_reason;         // French, with limit_state
    bool size_checked = true;         // from the row
    bool completion_notified = true;  // from the row (no row: nobody to notify)
    // Where qBittorrent keeps the files (absolute, qBittorrent's side): never shown to users.
    std::string save_path, content_path;
    std::string owner_folder;  // the owner's folder name ("" without owner)
    // As qBittorrent has them, for the qBittorrent-compatible API (qbtapi/): the category and
    // tags (essaim's ownership tag among them), sizes and ETA in its own units, the rest.
    std::string category, tags;
    std::int64_t total_size = 0, amount_left = 0, qbt_eta = 8640000;
    TorrentExtra extra;
    // Inside the owner's folder, in the shared download root (added before per-user folders),
    // or elsewhere (download/layout.hpp).
    download::Placement placement = download::Placement::elsewhere;
    // What the renderer made of it (api/torrent_views.cpp); null without a renderer.
    std::shared_ptr<const std::string> json;
    LazyText qbt_json;        // qbtapi's object, without "hash" (qbtapi::torrent_text)
    std::uint64_t stamp = 0;  // changes whenever the entry is rebuilt
};

// Turns an entry into the text every viewer's answer is built from (installed by the API).
using Renderer = std::function<std::shared_ptr<const std::string>(const Entry&)>;

// A snapshot's entries, read as a list of `const Entry&`. Each is shared with the snapshots
// before and after it while it does not change, so that publishing a snapshot (once a second,
// and after every add) copies pointers rather than every torrent's strings.
class Entries {
    using Items = std::vector<std::shared_ptr<const Entry>>;

  public:
    using const_iterator = boost::indirect_iterator<Items::const_iterator>;
    const_iterator begin() const { return const_iterator(items_.begin()); }
    const_iterator end() const { return const_iterator(items_.end()); }
    std::size_t size() const { return items_.size(); }
    bool empty() const { return items_.empty(); }
    const Entry& operator[](std::size_t i) const { return *items_[i]; }
    const std::shared_ptr<const Entry>& shared(std::size_t i) const { return items_[i]; }
    void reserve(std::size_t n) { items_.reserve(n); }
    void push_back(std::shared_ptr<const Entry> e) { items_.push_back(std::move(e)); }

  private:
    Items items_;
};

// One server's link and counters, as the last snapshot saw them.
struct ServerLink {
    std::int64_t id = 0;
    LinkState link = LinkState::unconfigured;
    std::string error, detail;  // as Snapshot::link_error / link_detail
    ServerState state;
    std::size_t torrents = 0;  // listed by this server
};

struct Snapshot {
    std::uint64_t version = 0;
    Entries entries;
    // qbt hash, v1, v2 → entries[i]; the keys point into `entries` (never resized once built).
    std::unordered_map<std::string_view, std::size_t> index;
    // Over every server: ok while one answers, down when none does (the first failure's
    // sentences), unconfigured when none is configured.
    LinkState link = LinkState::unconfigured;
    std::string link_error;   // French, when down: a sentence any user may read
    std::string link_detail;  // what failed exactly (addresses, qBittorrent's text): admins only
    bool stale = false;       // no server answers: every entry is the last known state
    int servers_down = 0;     // servers neither answering nor disabled (configured ones)
    ServerState server;       // summed over the servers
    std::vector<ServerLink> servers;  // by id
    const ServerLink* server_link(std::int64_t id) const;

    const Entry* find(const std::string& any_hash) const;

    // Response bodies built once per snapshot and viewer key.
    mutable std::mutex bodies_mu;
    mutable std::unordered_map<std::string, std::shared_ptr<const std::string>> bodies;
};

struct Change {
    std::shared_ptr<const Snapshot> snapshot;
    std::vector<std::string> changed;  // hashes (entries to send whole)
    std::vector<std::string> removed;  // hashes that left the list
    bool link_changed = false;
};

class Registry {
  public:
    explicit Registry(store::Store& store);

    void load();  // ownership rows and owners' names from the store
    // Installs the renderer (before load(), or every entry is rendered again).
    void set_renderer(Renderer r);
    // After rows were changed in bulk in the store (a deleted user's torrents reassigned or
    // removed): reloads them and tells the other instances to do the same.
    void rows_rewritten();
    // The servers whose state is kept (others are dropped with their torrents), their names
    // (shown to administrators) and which are disabled (listed stale, never polled).
    struct ServerInfo {
        std::int64_t id = 0;
        std::string name;
        bool disabled = false;
    };
    void set_servers(const std::vector<ServerInfo>& servers);
    // The download root under which users' folders lie on `server`
    // (download::Settings::storage_root): each torrent's placement is computed against its
    // server's. A change republishes every torrent.
    void set_storage_root(std::int64_t server, std::string root);
    void set_storage_root(std::string root) { set_storage_root(1, std::move(root)); }
    std::string storage_root(std::int64_t server) const;  // "" while unknown
    // Whether any torrent `server` holds has its files at, under or above `path` (absolute): a
    // new user's folder must not be such a path.
    bool occupies(std::int64_t server, const std::string& path) const;
    std::shared_ptr<const Snapshot> snapshot() const;
    void on_change(std::function<void(const Change&)> cb);  // before any publish

    // Sync loop side (one per server; the one-argument forms are server 1's).
    // Throws std::runtime_error on bad data.
    void apply(std::int64_t server, const boost::json::object& maindata);
    void apply(const boost::json::object& maindata) { apply(1, maindata); }
    // `error`: for every user (no address, no upstream text); `detail`: for administrators.
    void set_link(std::int64_t server, LinkState s, std::string error, std::string detail = {});
    void set_link(LinkState s, std::string error, std::string detail = {}) {
        set_link(1, s, std::move(error), std::move(detail));
    }
    bool complete(std::int64_t server = 1) const;  // a full update applied since start

    struct ReconcileReport {
        int restored = 0, removed = 0, relinked = 0;
    };
    // Restores rows of tagged torrents ("essaim:<user id>"), marks rows of vanished torrents
    // removed (after a grace period for torrents just added), relinks rows whose qBittorrent id
    // (or server) changed. Only `server`'s torrents and rows; only meaningful once a full update
    // of that server was applied.
    ReconcileReport reconcile(std::int64_t server, std::int64_t now);
    ReconcileReport reconcile(std::int64_t now) { return reconcile(1, now); }

    // Handler side.
    struct Existing {
        store::TorrentRow row;  // row.id == 0 when qBittorrent has it without a row
        bool in_qbt = false;
        std::int64_t server = 1;
    };
    // On any server.
    std::optional<Existing> find_existing(const std::string& v1, const std::string& v2,
                                          const std::string& qbt_id) const;
    // Records ownership before the torrent is sent to qBittorrent. Throws store::Conflict.
    std::int64_t add_row(store::TorrentRow row);
    void drop_row(std::int64_t row_id);                              // qBittorrent refused: undo
    void mark_removed(const std::string& hash, std::int64_t now);    // deleted through essaim
    void set_owner(const std::string& hash, std::int64_t owner_id);  // creates a row if needed
    void refresh_users();  // owner names changed (announced to other instances)
    // Records a limit decision on the row (database and memory) and republishes the torrent.
    void set_limit(std::int64_t row_id, const std::string& state, const std::string& reason,
                   bool size_checked);

    // Several instances on one database (app/cluster.hpp): `f` is told (under the registry's
    // lock: it must only queue) after this instance changed ownership rows and wrote them, so
    // that the others reload theirs with reload_rows(). Rows written by another instance are
    // otherwise unknown here until a restart.
    void set_on_rows_changed(std::function<void()> f);
    // Re-reads the ownership rows from the store and republishes the torrents whose row changed.
    void reload_rows();

    static constexpr std::int64_t kPendingGrace = 90;  // s before a row not seen is removed
    static constexpr std::int64_t kShowRemovedFor = 7 * 86400;  // removed rows stay listed

  private:
    // `dirty_server` (0: none): every entry of that server is made again (its full update, its
    // link going or coming back), the others' kept when unchanged.
    void rebuild_locked(const MainDataDelta* delta, bool all_dirty, bool link_changed,
                        std::int64_t dirty_server = 0);
    struct Source {
        MainData md;
        LinkState link = LinkState::unconfigured;
        std::string error, detail;
        std::string storage_root;
        std::string name;
        bool disabled = false;
    };
    Entry live_entry(std::int64_t server, const Source& src, const TorrentInfo& t,
                     const store::TorrentRow* row) const;
    Entry row_entry(const store::TorrentRow& r) const;
    bool row_stale_locked(const store::TorrentRow& r) const;
    void place(Entry& e) const;
    // The row of a torrent qBittorrent lists (a live one first), or nullptr / npos.
    std::size_t row_for_locked(const TorrentInfo& t) const;
    const store::TorrentRow* row_ptr_locked(const TorrentInfo& t) const;
    // The one relink path: when qBittorrent's ids of a torrent changed (a hybrid's magnet gets
    // its v2 id once its metadata is known), the row follows in memory; returns the row to write.
    std::optional<store::TorrentRow> relink_locked(std::int64_t server, const TorrentInfo& t,
                                                   std::size_t row);
    void write_identities(const std::vector<store::TorrentRow>& rows);
    // Reads the owners' names when `owner` is not known yet (outside the lock).
    void ensure_owner_known(std::optional<std::int64_t> owner);
    void set_users_locked(std::vector<store::UserName> names);
    // Tells the other instances (after the database was written: they read it on hearing).
    void announce();

    store::Store& store_;
    mutable std::mutex mu_;
    std::map<std::int64_t, Source> sources_;  // by server id; 1 always present
    // The torrent `hash` as a server lists it (the lowest id first), or nullptr.
    const TorrentInfo* listed_locked(const std::string& hash, std::int64_t* server) const;
    std::vector<store::TorrentRow> rows_;
    std::unordered_map<std::string, std::size_t>
        row_index_;  // qbt_hash/v1/v2 → rows_[i] (live rows win)
    std::unordered_map<std::int64_t, store::UserName> users_;
    std::uint64_t version_ = 0, stamp_ = 0;
    std::vector<std::function<void(const Change&)>> listeners_;
    Renderer renderer_;
    std::function<void()> on_rows_changed_;
    void rows_changed_locked() {
        if (on_rows_changed_) on_rows_changed_();
    }
    mutable std::mutex snap_mu_;
    std::shared_ptr<const Snapshot> snap_;
    void reindex_rows_locked();
};

// True when a torrent of someone else (or of nobody) has files at, under or above `e`'s content
// path: deleting `e` with its data would delete them (a look-alike torrent named like another
// one's folder). Torrents of the same owner do not count: they are that user's own files.
bool content_shared_with_others(const Snapshot& s, const Entry& e);

// The hashes of the entries still present, per server, each list joined with '|' (the form of
// qBittorrent's bulk calls): one call per server, whatever the number of torrents.
std::map<std::int64_t, std::string> hashes_by_server(const std::vector<const Entry*>& entries);

// The owner id carried by a qBittorrent tag list ("a, essaim:3, b" → 3).
std::optional<std::int64_t> owner_from_tags(const std::string& tags);
std::string owner_tag(std::int64_t user_id);

}  // namespace essaim::qbt
