#include "qbt/registry.hpp"

#include "util/clock.hpp"
#include "util/strings.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <unordered_set>

namespace essaim::qbt {

namespace {

constexpr std::int64_t kInfiniteEta = 8640000;
constexpr std::size_t npos = static_cast<std::size_t>(-1);

// qBittorrent 4.5.2 reports `content_path` relative to the save path while a torrent is in
// checkingResumeData ("Victime/secret.bin"), absolute otherwise (observed): made absolute here so
// that every comparison of paths is between absolute paths.
std::string absolute_content(const TorrentInfo& t) {
    if (t.content_path.empty() || t.content_path.front() == '/' || t.save_path.empty())
        return t.content_path;
    auto base = t.save_path;
    while (base.size() > 1 && base.back() == '/') base.pop_back();
    return base + "/" + t.content_path;
}

bool same_identity(const Entry& a, const Entry& b) {
    return a.row_id == b.row_id && a.owner_id == b.owner_id && a.removed == b.removed &&
           a.in_qbt == b.in_qbt && a.server == b.server && a.stale == b.stale;
}

bool same_names(const std::unordered_map<std::int64_t, store::UserName>& a,
                const std::vector<store::UserName>& b) {
    if (a.size() != b.size()) return false;
    for (const auto& u : b) {
        auto it = a.find(u.id);
        if (it == a.end() || it->second.username != u.username ||
            it->second.display_name != u.display_name || it->second.folder != u.folder)
            return false;
    }
    return true;
}

bool same_row(const store::TorrentRow& a, const store::TorrentRow& b) {
    return a.qbt_hash == b.qbt_hash && a.hash_v1 == b.hash_v1 && a.hash_v2 == b.hash_v2 &&
           a.owner_id == b.owner_id && a.source == b.source && a.name == b.name &&
           a.size == b.size && a.removed_at == b.removed_at && a.removal == b.removal &&
           a.completed_at == b.completed_at && a.limit_state == b.limit_state &&
           a.limit_reason == b.limit_reason && a.size_checked == b.size_checked &&
           a.completion_notified == b.completion_notified && a.server_id == b.server_id;
}

// A row write after the lock was released: logged, never thrown at the caller's caller (memory
// is already right; the next reload of the rows brings the database's view back).
template <class F>
void write_row(const char* what, F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        spdlog::error("registre : {} non enregistré dans la base : {}", what, e.what());
    }
}

}  // namespace

const char* link_name(LinkState s) {
    switch (s) {
        case LinkState::ok:
            return "ok";
        case LinkState::down:
            return "down";
        case LinkState::disabled:
            return "disabled";
        default:
            return "unconfigured";
    }
}

bool content_shared_with_others(const Snapshot& s, const Entry& e) {
    auto content = e.content_path.empty() ? e.save_path : e.content_path;
    if (content.empty()) return false;
    for (const auto& other : s.entries) {
        if (!other.in_qbt || other.hash == e.hash || other.content_path.empty()) continue;
        if (other.server != e.server) continue;  // another machine's disk
        if (other.owner_id && e.owner_id && *other.owner_id == *e.owner_id) continue;
        if (download::paths_overlap(content, other.content_path)) return true;
    }
    return false;
}

std::map<std::int64_t, std::string> hashes_by_server(const std::vector<const Entry*>& entries) {
    std::map<std::int64_t, std::string> out;
    for (const auto* e : entries) {
        if (e->removed) continue;
        auto& list = out[e->server];
        if (!list.empty()) list += '|';
        list += e->hash;
    }
    return out;
}

std::optional<std::int64_t> owner_from_tags(const std::string& tags) {
    for (auto tag : str::split(tags, ',')) {
        tag = str::trim(tag);
        if (!tag.starts_with("essaim:")) continue;
        auto digits = tag.substr(7);
        if (digits.empty() || digits.size() > 18) continue;
        std::int64_t id = 0;
        bool ok = true;
        for (char c : digits) {
            if (c < '0' || c > '9')
                ok = false;
            else
                id = id * 10 + (c - '0');
        }
        if (ok && id > 0) return id;
    }
    return std::nullopt;
}

std::string owner_tag(std::int64_t user_id) {
    return "essaim:" + std::to_string(user_id);
}

const ServerLink* Snapshot::server_link(std::int64_t id) const {
    for (const auto& l : servers)
        if (l.id == id) return &l;
    return nullptr;
}

const Entry* Snapshot::find(const std::string& any_hash) const {
    auto key = str::to_lower(any_hash);
    auto it = index.find(std::string_view(key));
    return it == index.end() ? nullptr : &entries[it->second];
}

Registry::Registry(store::Store& store) : store_(store), snap_(std::make_shared<Snapshot>()) {
    sources_[1];
}

// --- Entries ---------------------------------------------------------------------------------

void Registry::place(Entry& e) const {
    if (e.owner_id)
        if (auto it = users_.find(*e.owner_id); it != users_.end()) {
            e.owner_username = it->second.username;
            e.owner_display_name = it->second.display_name;
            e.owner_folder = it->second.folder;
        }
    auto src = sources_.find(e.server);
    if (src != sources_.end()) e.server_name = src->second.name;
    e.placement = download::placement_of(src == sources_.end() ? "" : src->second.storage_root,
                                         e.owner_folder, e.save_path);
    if (renderer_) e.json = renderer_(e);
}

// What only essaim's row knows about a torrent: its owner and essaim's own state.
static void take_row(Entry& e, const store::TorrentRow& r) {
    e.owner_id = r.owner_id;
    e.row_id = r.id;
    e.limit_state = r.limit_state;
    e.limit_reason = r.limit_reason;
    e.size_checked = r.size_checked;
    e.completion_notified = r.completion_notified;
}

// A torrent qBittorrent has.
Entry Registry::live_entry(std::int64_t server, const Source& src, const TorrentInfo& t,
                           const store::TorrentRow* row) const {
    Entry e;
    e.hash = t.hash;
    e.server = server;
    e.stale = src.link != LinkState::ok;
    e.hash_v1 = !t.infohash_v1.empty() ? t.infohash_v1 : (row ? row->hash_v1 : "");
    e.hash_v2 = !t.infohash_v2.empty() ? t.infohash_v2 : (row ? row->hash_v2 : "");
    e.name = t.name.empty() && row ? row->name : t.name;
    if (row) take_row(e, *row);
    e.in_qbt = true;
    e.state = std::string(essaim_state(t.state));
    e.qbt_state = t.state;
    e.progress = t.progress;
    e.ratio = t.ratio;
    e.size = t.size;
    e.downloaded = t.downloaded;
    e.uploaded = t.uploaded;
    e.dlspeed = t.dlspeed;
    e.upspeed = t.upspeed;
    if (t.eta >= 0 && t.eta < kInfiniteEta) e.eta = t.eta;
    e.num_seeds = t.num_seeds;
    e.num_leechs = t.num_leechs;
    e.num_complete = t.num_complete;
    e.num_incomplete = t.num_incomplete;
    e.added_on = t.added_on;
    e.completion_on = t.completion_on > 0 ? t.completion_on : 0;
    e.tracker = t.tracker;
    e.save_path = t.save_path;
    e.content_path = absolute_content(t);
    e.category = t.category;
    e.tags = t.tags;
    e.total_size = t.total_size;
    e.amount_left = t.amount_left;
    e.qbt_eta = t.eta;
    e.extra = t.extra;
    place(e);
    return e;
}

// A torrent essaim knows from its row only: just added (not yet listed by qBittorrent), or
// removed from qBittorrent.
// A torrent essaim knows only from its row (not listed by its server, or not yet) is stale too
// while that server does not answer: its state is essaim's guess, not qBittorrent's word.
bool Registry::row_stale_locked(const store::TorrentRow& r) const {
    if (r.removed_at) return false;
    auto src = sources_.find(r.server_id);
    return src != sources_.end() && src->second.link != LinkState::ok &&
           src->second.link != LinkState::unconfigured;
}

Entry Registry::row_entry(const store::TorrentRow& r) const {
    Entry e;
    e.hash = r.qbt_hash;
    e.hash_v1 = r.hash_v1;
    e.hash_v2 = r.hash_v2;
    e.name = r.name;
    take_row(e, r);
    e.server = r.server_id;
    e.removed = r.removed_at.has_value();
    e.stale = row_stale_locked(r);
    e.state = e.removed ? "removed" : (r.source == "magnet" ? "metadata" : "checking");
    e.size = r.size.value_or(0);
    e.added_on = r.added_at;
    e.completion_on = r.completed_at.value_or(0);
    place(e);
    return e;
}

// --- Rows and owners -------------------------------------------------------------------------

void Registry::set_users_locked(std::vector<store::UserName> names) {
    users_.clear();
    for (auto& u : names) users_[u.id] = std::move(u);
}

void Registry::ensure_owner_known(std::optional<std::int64_t> owner) {
    if (!owner) return;
    {
        std::lock_guard lock(mu_);
        if (users_.count(*owner)) return;
    }
    auto names = store_.user_names();  // outside the lock
    std::lock_guard lock(mu_);
    set_users_locked(std::move(names));
}

void Registry::load() {
    auto rows = store_.torrent_rows(util::unix_now() - kShowRemovedFor);
    auto names = store_.user_names();
    std::lock_guard lock(mu_);
    rows_ = std::move(rows);
    set_users_locked(std::move(names));
    reindex_rows_locked();
    rebuild_locked(nullptr, true, false);
}

void Registry::set_renderer(Renderer r) {
    std::lock_guard lock(mu_);
    renderer_ = std::move(r);
    rebuild_locked(nullptr, true, false);
}

void Registry::rows_rewritten() {
    load();
    std::lock_guard lock(mu_);
    rows_changed_locked();
}

void Registry::refresh_users() {
    auto names = store_.user_names();
    std::lock_guard lock(mu_);
    set_users_locked(std::move(names));
    rebuild_locked(nullptr, true, false);
    rows_changed_locked();  // names show in every instance's lists
}

void Registry::set_servers(const std::vector<ServerInfo>& servers) {
    std::lock_guard lock(mu_);
    bool changed = false;
    auto listed = [&](std::int64_t id) {
        return std::any_of(servers.begin(), servers.end(),
                           [&](const ServerInfo& s) { return s.id == id; });
    };
    for (auto it = sources_.begin(); it != sources_.end();)
        if (it->first != 1 && !listed(it->first)) {
            it = sources_.erase(it);
            changed = true;
        } else {
            ++it;
        }
    for (const auto& info : servers) {
        auto& src = sources_[info.id];
        if (src.name != info.name) {
            src.name = info.name;
            changed = true;
        }
        bool disabled = info.disabled;
        if (src.disabled == disabled) continue;
        src.disabled = disabled;
        if (disabled) {
            src.link = LinkState::disabled;
            src.error = "Ce serveur qBittorrent est désactivé.";
            src.detail.clear();
        } else {
            src.link = LinkState::unconfigured;
            src.error.clear();
        }
        changed = true;
    }
    if (changed) rebuild_locked(nullptr, true, true);
}

void Registry::set_storage_root(std::int64_t server, std::string root) {
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    std::lock_guard lock(mu_);
    auto& src = sources_[server];
    if (root == src.storage_root) return;
    src.storage_root = std::move(root);
    rebuild_locked(nullptr, true, false);
}

std::string Registry::storage_root(std::int64_t server) const {
    std::lock_guard lock(mu_);
    auto src = sources_.find(server);
    return src == sources_.end() ? std::string() : src->second.storage_root;
}

const TorrentInfo* Registry::listed_locked(const std::string& hash, std::int64_t* server) const {
    for (const auto& [id, src] : sources_) {
        auto it = src.md.torrents().find(hash);
        if (it == src.md.torrents().end()) continue;
        if (server) *server = id;
        return &it->second;
    }
    return nullptr;
}

bool Registry::occupies(std::int64_t server, const std::string& path) const {
    std::lock_guard lock(mu_);
    auto src = sources_.find(server);
    if (src == sources_.end()) return false;
    for (const auto& [hash, t] : src->second.md.torrents()) {
        auto content = absolute_content(t);
        if (!content.empty() && download::paths_overlap(content, path)) return true;
        // A torrent saved in a folder below `path` (its content path may not be known yet).
        if (!t.save_path.empty() && download::path_inside(path, t.save_path)) return true;
    }
    return false;
}

void Registry::set_limit(std::int64_t row_id, const std::string& state, const std::string& reason,
                         bool size_checked) {
    {
        std::lock_guard lock(mu_);
        auto it = std::find_if(rows_.begin(), rows_.end(),
                               [&](const store::TorrentRow& r) { return r.id == row_id; });
        if (it == rows_.end()) return;
        it->limit_state = state;
        it->limit_reason = reason;
        it->size_checked = size_checked;
        rebuild_locked(nullptr, true, false);
    }
    write_row("la limite d'un torrent",
              [&] { store_.set_torrent_limit(row_id, state, reason, size_checked); });
    announce();
}

std::shared_ptr<const Snapshot> Registry::snapshot() const {
    std::lock_guard lock(snap_mu_);
    return snap_;
}

void Registry::on_change(std::function<void(const Change&)> cb) {
    std::lock_guard lock(mu_);
    listeners_.push_back(std::move(cb));
}

bool Registry::complete(std::int64_t server) const {
    std::lock_guard lock(mu_);
    auto src = sources_.find(server);
    return src != sources_.end() && src->second.md.complete();
}

void Registry::reindex_rows_locked() {
    row_index_.clear();
    auto put = [&](const std::string& key, std::size_t i) {
        if (key.empty()) return;
        auto it = row_index_.find(key);
        // A live row always wins over a removed one; among removed rows, the newest.
        if (it == row_index_.end() || rows_[it->second].removed_at || !rows_[i].removed_at)
            row_index_[key] = i;
    };
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        put(rows_[i].qbt_hash, i);
        put(rows_[i].hash_v1, i);
        put(rows_[i].hash_v2, i);
    }
}

std::size_t Registry::row_for_locked(const TorrentInfo& t) const {
    std::size_t found = npos;
    for (const std::string* key : {&t.hash, &t.infohash_v1, &t.infohash_v2}) {
        if (key->empty()) continue;
        auto it = row_index_.find(*key);
        if (it == row_index_.end()) continue;
        if (!rows_[it->second].removed_at) return it->second;
        if (found == npos) found = it->second;
    }
    return found;
}

const store::TorrentRow* Registry::row_ptr_locked(const TorrentInfo& t) const {
    auto i = row_for_locked(t);
    return i == npos ? nullptr : &rows_[i];
}

std::optional<store::TorrentRow> Registry::relink_locked(std::int64_t server, const TorrentInfo& t,
                                                         std::size_t i) {
    auto& row = rows_[i];
    bool relink = row.qbt_hash != t.hash || (row.hash_v1.empty() && !t.infohash_v1.empty()) ||
                  (row.hash_v2.empty() && !t.infohash_v2.empty()) || row.server_id != server;
    if (!relink) return std::nullopt;
    // A magnet carrying only the v1 btih of a hybrid torrent is listed by qBittorrent under the
    // btih until its metadata arrives, then under the truncated v2 hash (observed with 4.5.2):
    // the row follows, so links and ownership survive the change of id.
    if (!t.infohash_v1.empty()) row.hash_v1 = t.infohash_v1;
    if (!t.infohash_v2.empty()) row.hash_v2 = t.infohash_v2;
    row.qbt_hash = t.hash;
    // A server's torrent found on another one (an administrator moved it by hand): the row
    // follows, so that actions go where the torrent is.
    row.server_id = server;
    if (!t.name.empty()) row.name = t.name;
    if (t.size > 0) row.size = t.size;
    return row;
}

void Registry::write_identities(const std::vector<store::TorrentRow>& rows) {
    for (const auto& r : rows)
        write_row("un identifiant de torrent", [&] { store_.update_torrent_identity(r); });
}

// --- Sync loop side --------------------------------------------------------------------------

void Registry::apply(std::int64_t server, const boost::json::object& maindata) {
    std::vector<store::TorrentRow> relinked;
    {
        std::lock_guard lock(mu_);
        auto& src = sources_[server];
        auto delta = src.md.apply(maindata);
        for (const auto& hash : delta.changed) {
            const auto& t = src.md.torrents().at(hash);
            auto i = row_for_locked(t);
            if (i == npos || rows_[i].removed_at) continue;
            if (auto r = relink_locked(server, t, i)) relinked.push_back(std::move(*r));
        }
        if (!relinked.empty()) reindex_rows_locked();
        bool link_changed = src.link != LinkState::ok;
        src.link = LinkState::ok;
        src.error.clear();
        src.detail.clear();
        // A link that comes back changes every one of this server's entries (stale → live).
        if (!delta.empty() || link_changed)
            rebuild_locked(&delta, false, link_changed, delta.full || link_changed ? server : 0);
    }
    if (relinked.empty()) return;
    write_identities(relinked);
    announce();
}

void Registry::set_link(std::int64_t server, LinkState s, std::string error, std::string detail) {
    std::lock_guard lock(mu_);
    auto& src = sources_[server];
    if (src.disabled) return;  // its loop is stopping; set_servers said so
    if (s == src.link && error == src.error && detail == src.detail) return;
    bool stale_changed = (s == LinkState::ok) != (src.link == LinkState::ok);
    src.link = s;
    src.error = std::move(error);
    src.detail = std::move(detail);
    rebuild_locked(nullptr, false, true, stale_changed ? server : 0);
}

void Registry::rebuild_locked(const MainDataDelta* delta, bool all_dirty, bool link_changed,
                              std::int64_t dirty_server) {
    std::shared_ptr<const Snapshot> prev;
    {
        std::lock_guard lock(snap_mu_);
        prev = snap_;
    }
    auto now = util::unix_now();
    auto s = std::make_shared<Snapshot>();
    s->version = ++version_;
    // The servers' links, and the list's: ok while one answers.
    bool any_ok = false, any_down = false, any_listed = false;
    s->server.free_space_on_disk = -1;
    for (const auto& [id, src] : sources_) {
        ServerLink l{id,         src.link,        src.error,
                     src.detail, src.md.server(), src.md.torrents().size()};
        if (src.link == LinkState::ok) {
            any_ok = true;
            const auto& st = src.md.server();
            s->server.dl_info_speed += st.dl_info_speed;
            s->server.up_info_speed += st.up_info_speed;
            s->server.dl_info_data += st.dl_info_data;
            s->server.up_info_data += st.up_info_data;
            if (st.free_space_on_disk >= 0)
                s->server.free_space_on_disk =
                    std::max<std::int64_t>(s->server.free_space_on_disk, 0) + st.free_space_on_disk;
            if (s->server.connection_status.empty())
                s->server.connection_status = st.connection_status;
        } else if (src.link == LinkState::down) {
            ++s->servers_down;
            if (!any_down) {
                s->link_error = src.error;
                s->link_detail = src.detail;
            }
            any_down = true;
        }
        if (src.link != LinkState::ok && !src.md.torrents().empty()) any_listed = true;
        s->servers.push_back(std::move(l));
    }
    s->link = any_ok ? LinkState::ok : any_down ? LinkState::down : LinkState::unconfigured;
    if (any_ok) {
        s->link_error.clear();
        s->link_detail.clear();
    }
    s->stale = !any_ok && any_listed;
    std::unordered_set<std::string> dirty;
    if (delta)
        for (const auto& h : delta->changed) dirty.insert(h);

    auto reuse = [&](const Entry& fresh_identity) -> std::shared_ptr<const Entry> {
        if (all_dirty || !prev) return nullptr;
        if (dirty_server && fresh_identity.server == dirty_server) return nullptr;
        auto it = prev->index.find(std::string_view(fresh_identity.hash));
        if (it == prev->index.end()) return nullptr;
        const Entry& old = prev->entries[it->second];
        if (old.hash != fresh_identity.hash || !same_identity(old, fresh_identity)) return nullptr;
        return prev->entries.shared(it->second);
    };
    auto fresh = [&](Entry e) {
        e.stamp = ++stamp_;
        s->entries.push_back(std::make_shared<const Entry>(std::move(e)));
    };

    std::unordered_set<std::int64_t> used_rows;
    std::unordered_set<std::string_view> seen;  // a torrent two servers hold is listed once
    std::size_t total = 0;
    for (const auto& [id, src] : sources_) total += src.md.torrents().size();
    s->entries.reserve(total + rows_.size());
    for (const auto& [server, src] : sources_)
        for (const auto& [hash, t] : src.md.torrents()) {
            if (sources_.size() > 1 && !seen.insert(std::string_view(hash)).second) continue;
            const auto* row = row_ptr_locked(t);
            if (row) used_rows.insert(row->id);
            // Deleted through essaim a moment ago; qBittorrent's next update will drop it.
            if (row && row->removal == "deleted" && row->removed_at &&
                now - *row->removed_at < kPendingGrace)
                continue;
            Entry id;
            id.hash = hash;
            id.in_qbt = true;
            id.server = server;
            id.stale = src.link != LinkState::ok;
            if (row) {
                id.row_id = row->id;
                id.owner_id = row->owner_id;
            }
            if (auto old = dirty.count(hash) ? nullptr : reuse(id))
                s->entries.push_back(std::move(old));
            else
                fresh(live_entry(server, src, t, row));
        }
    std::unordered_set<std::string> listed;
    for (const auto& e : s->entries) listed.insert(e.hash);
    for (auto it = rows_.rbegin(); it != rows_.rend(); ++it) {
        const auto& r = *it;
        if (used_rows.count(r.id) || listed.count(r.qbt_hash)) continue;
        if (r.removed_at && (r.removal == "deleted" || now - *r.removed_at > kShowRemovedFor))
            continue;
        Entry id;
        id.hash = r.qbt_hash;
        id.server = r.server_id;
        id.row_id = r.id;
        id.owner_id = r.owner_id;
        id.removed = r.removed_at.has_value();
        id.stale = row_stale_locked(r);
        if (auto old = dirty.count(r.qbt_hash) ? nullptr : reuse(id))
            s->entries.push_back(std::move(old));
        else
            fresh(row_entry(r));
        listed.insert(r.qbt_hash);
    }
    for (std::size_t i = 0; i < s->entries.size(); ++i) {
        const auto& e = s->entries[i];
        s->index.emplace(std::string_view(e.hash), i);
        if (!e.hash_v1.empty()) s->index.emplace(std::string_view(e.hash_v1), i);
        if (!e.hash_v2.empty()) s->index.emplace(std::string_view(e.hash_v2), i);
    }

    Change c;
    c.link_changed = link_changed;
    for (const auto& e : s->entries) {
        const Entry* old = nullptr;
        if (prev) {
            auto it = prev->index.find(std::string_view(e.hash));
            if (it != prev->index.end() && prev->entries[it->second].hash == e.hash)
                old = &prev->entries[it->second];
        }
        if (!old || old->stamp != e.stamp) c.changed.push_back(e.hash);
    }
    if (prev)
        for (const auto& e : prev->entries)
            if (!listed.count(e.hash)) c.removed.push_back(e.hash);
    {
        std::lock_guard lock(snap_mu_);
        snap_ = s;
    }
    if (c.changed.empty() && c.removed.empty() && !c.link_changed) return;
    c.snapshot = s;
    for (const auto& l : listeners_) l(c);
}

Registry::ReconcileReport Registry::reconcile(std::int64_t server, std::int64_t now) {
    ReconcileReport rep;
    std::vector<store::TorrentRow> relinked, restore;
    std::vector<std::int64_t> vanished;
    {
        std::lock_guard lock(mu_);
        auto src = sources_.find(server);
        if (src == sources_.end() || !src->second.md.complete() ||
            src->second.link != LinkState::ok)
            return rep;
        std::unordered_set<std::int64_t> matched;
        for (const auto& [hash, t] : src->second.md.torrents()) {
            auto i = row_for_locked(t);
            if (i != npos && !rows_[i].removed_at) {
                matched.insert(rows_[i].id);
                if (auto r = relink_locked(server, t, i)) relinked.push_back(std::move(*r));
                continue;
            }
            auto owner = owner_from_tags(t.tags);
            if (!owner || !users_.count(*owner)) continue;
            store::TorrentRow r;
            r.qbt_hash = t.hash;
            r.hash_v1 = t.infohash_v1;
            r.hash_v2 = t.infohash_v2;
            r.owner_id = owner;
            r.source = "reconciled";
            r.name = t.name;
            if (t.size > 0) r.size = t.size;
            r.added_at = t.added_on > 0 ? t.added_on : now;
            r.server_id = server;
            restore.push_back(std::move(r));
        }
        // A row whose torrent another server lists is that server's (its pass relinks it).
        for (auto& r : rows_)
            if (!r.removed_at && r.server_id == server && !matched.count(r.id) &&
                now - r.added_at > kPendingGrace && !listed_locked(r.qbt_hash, nullptr)) {
                vanished.push_back(r.id);
                r.removed_at = now;
                r.removal = "vanished";
            }
        rep.relinked = static_cast<int>(relinked.size());
        rep.removed = static_cast<int>(vanished.size());
    }
    // The database, outside the lock; restored rows join the registry with their new ids.
    write_identities(relinked);
    for (auto id : vanished)
        write_row("un torrent disparu", [&] { store_.mark_torrent_removed(id, now, "vanished"); });
    std::vector<store::TorrentRow> restored;
    for (auto& r : restore) {
        try {
            r.id = store_.insert_torrent(r);
            restored.push_back(std::move(r));
        } catch (const store::Conflict&) {
            // Another instance (or an add racing this pass) recorded it first.
        } catch (const std::exception& e) {
            spdlog::error("registre : propriétaire de {} non restauré : {}", r.qbt_hash, e.what());
        }
    }
    rep.restored = static_cast<int>(restored.size());
    if (rep.restored || rep.removed || rep.relinked) {
        std::lock_guard lock(mu_);
        for (auto& r : restored) rows_.push_back(std::move(r));
        reindex_rows_locked();
        rebuild_locked(nullptr, true, false);
        rows_changed_locked();
        spdlog::info(
            "réconciliation : {} propriétaire(s) retrouvé(s) par étiquette, {} torrent(s) "
            "disparu(s), {} identifiant(s) mis à jour",
            rep.restored, rep.removed, rep.relinked);
    }
    return rep;
}

// --- Handler side ----------------------------------------------------------------------------

std::optional<Registry::Existing> Registry::find_existing(const std::string& v1,
                                                          const std::string& v2,
                                                          const std::string& qbt_id) const {
    std::lock_guard lock(mu_);
    for (const std::string* key : {&qbt_id, &v1, &v2}) {
        if (key->empty()) continue;
        auto it = row_index_.find(*key);
        if (it != row_index_.end() && !rows_[it->second].removed_at)
            return Existing{rows_[it->second], true, rows_[it->second].server_id};
    }
    for (const auto& [server, src] : sources_)
        for (const auto& [hash, t] : src.md.torrents()) {
            if ((!qbt_id.empty() && hash == qbt_id) || (!v1.empty() && t.infohash_v1 == v1) ||
                (!v2.empty() && t.infohash_v2 == v2)) {
                store::TorrentRow none;
                none.server_id = server;
                return Existing{none, true, server};
            }
        }
    return std::nullopt;
}

std::int64_t Registry::add_row(store::TorrentRow row) {
    ensure_owner_known(row.owner_id);
    // Written first: the id is the database's, and a Conflict must stop the add.
    row.id = store_.insert_torrent(row);
    std::lock_guard lock(mu_);
    rows_.push_back(row);
    reindex_rows_locked();
    rebuild_locked(nullptr, false, false);
    rows_changed_locked();
    return row.id;
}

void Registry::drop_row(std::int64_t row_id) {
    {
        std::lock_guard lock(mu_);
        std::erase_if(rows_, [&](const store::TorrentRow& r) { return r.id == row_id; });
        reindex_rows_locked();
        rebuild_locked(nullptr, false, false);
    }
    write_row("l'annulation d'un ajout", [&] { store_.delete_torrent_row(row_id); });
    announce();
}

void Registry::mark_removed(const std::string& hash, std::int64_t now) {
    std::int64_t id = 0;
    {
        std::lock_guard lock(mu_);
        auto it = row_index_.find(hash);
        if (it == row_index_.end() || rows_[it->second].removed_at) return;
        auto& row = rows_[it->second];
        id = row.id;
        row.removed_at = now;
        row.removal = "deleted";
        reindex_rows_locked();
        rebuild_locked(nullptr, false, false);
    }
    write_row("la suppression d'un torrent",
              [&] { store_.mark_torrent_removed(id, now, "deleted"); });
    announce();
}

void Registry::set_owner(const std::string& hash, std::int64_t owner_id) {
    ensure_owner_known(owner_id);
    std::int64_t existing = 0;
    store::TorrentRow fresh;
    {
        std::lock_guard lock(mu_);
        auto it = row_index_.find(hash);
        if (it != row_index_.end() && !rows_[it->second].removed_at) {
            auto& row = rows_[it->second];
            existing = row.id;
            row.owner_id = owner_id;
            row.source = "assigned";
            rebuild_locked(nullptr, false, false);
        } else {
            std::int64_t server = 1;
            const auto* t = listed_locked(hash, &server);
            if (!t) throw store::NotFound("torrent");
            fresh.qbt_hash = hash;
            fresh.hash_v1 = t->infohash_v1;
            fresh.hash_v2 = t->infohash_v2;
            fresh.owner_id = owner_id;
            fresh.source = "assigned";
            fresh.name = t->name;
            if (t->size > 0) fresh.size = t->size;
            fresh.added_at = t->added_on > 0 ? t->added_on : util::unix_now();
            fresh.server_id = server;
        }
    }
    if (existing) {
        write_row("le propriétaire d'un torrent",
                  [&] { store_.set_torrent_owner(existing, owner_id); });
        announce();
        return;
    }
    fresh.id = store_.insert_torrent(fresh);  // a Conflict must reach the caller
    std::lock_guard lock(mu_);
    rows_.push_back(std::move(fresh));
    reindex_rows_locked();
    rebuild_locked(nullptr, false, false);
    rows_changed_locked();
}

void Registry::announce() {
    std::lock_guard lock(mu_);
    rows_changed_locked();
}

void Registry::set_on_rows_changed(std::function<void()> f) {
    std::lock_guard lock(mu_);
    on_rows_changed_ = std::move(f);
}

void Registry::reload_rows() {
    auto fresh = store_.torrent_rows(util::unix_now() - kShowRemovedFor);
    auto names = store_.user_names();
    std::lock_guard lock(mu_);
    // Another instance renamed, created or deleted a user: every list shows owners' names.
    if (!same_names(users_, names)) {
        set_users_locked(std::move(names));
        rows_ = std::move(fresh);
        reindex_rows_locked();
        rebuild_locked(nullptr, true, false);
        return;
    }
    std::unordered_map<std::int64_t, const store::TorrentRow*> old;
    for (const auto& r : rows_) old[r.id] = &r;
    // Every id a changed row is known by, old and new: the entries to rebuild.
    MainDataDelta d;
    auto touch = [&](const store::TorrentRow& r) {
        for (const auto* h : {&r.qbt_hash, &r.hash_v1, &r.hash_v2})
            if (!h->empty()) d.changed.push_back(*h);
    };
    std::unordered_set<std::int64_t> seen;
    for (const auto& r : fresh) {
        seen.insert(r.id);
        auto it = old.find(r.id);
        if (it != old.end() && same_row(*it->second, r)) continue;
        touch(r);
        if (it != old.end()) touch(*it->second);
    }
    for (const auto& r : rows_)
        if (!seen.count(r.id)) touch(r);
    if (d.changed.empty()) return;
    rows_ = std::move(fresh);
    reindex_rows_locked();
    rebuild_locked(&d, false, false);
}

}  // namespace essaim::qbt
