#include "qbtapi/torrents.hpp"

#include "download/layout.hpp"
#include "http/message.hpp"
#include "util/strings.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>

namespace essaim::qbtapi {
namespace json = boost::json;

namespace {

// Listed: qBittorrent lists it. Reachable by hash: also a torrent essaim has just added and
// qBittorrent's next update will list (a tool asks for its properties at once).
bool tool_sees(const qbt::Entry& e, std::int64_t user_id) {
    return e.in_qbt && !e.removed && e.owner_id == user_id;
}
bool tool_reaches(const qbt::Entry& e, std::int64_t user_id) {
    return !e.removed && e.owner_id == user_id;
}

bool essaim_tag(std::string_view tag) {
    return str::to_lower(tag.substr(0, 7)) == "essaim:";
}

bool one_of(std::string_view s, std::initializer_list<std::string_view> list) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

// qBittorrent's groups of states (BitTorrent::TorrentImpl::isDownloading() and friends).
bool downloading(std::string_view st) {
    return one_of(st, {"downloading", "metaDL", "forcedMetaDL", "stalledDL", "checkingDL",
                       "pausedDL", "stoppedDL", "queuedDL", "forcedDL"});
}
bool uploading(std::string_view st) {
    return one_of(st, {"uploading", "stalledUP", "checkingUP", "queuedUP", "forcedUP"});
}
bool paused(std::string_view st) {
    return one_of(st, {"pausedDL", "pausedUP", "stoppedDL", "stoppedUP"});
}
bool active(const qbt::Entry& e) {
    return e.dlspeed > 0 || e.upspeed > 0 ||
           one_of(e.qbt_state, {"downloading", "forcedDL", "metaDL", "forcedMetaDL"});
}

// torrents/info's `sort`: by the field's JSON value — numbers as numbers, text as text.
bool less(const json::value* a, const json::value* b) {
    if (!a || !b) return !a && b;
    if (a->is_string() && b->is_string()) return a->get_string() < b->get_string();
    auto num = [](const json::value& v) -> double {
        if (v.is_int64()) return static_cast<double>(v.get_int64());
        if (v.is_uint64()) return static_cast<double>(v.get_uint64());
        if (v.is_double()) return v.get_double();
        if (v.is_bool()) return v.get_bool() ? 1 : 0;
        return 0;
    };
    return num(*a) < num(*b);
}

// The torrent's magnet link, as qBittorrent writes it (its ids, name and tracker).
std::string magnet_of(const qbt::Entry& e) {
    std::string m = "magnet:?";
    if (!e.hash_v1.empty()) m += "xt=urn:btih:" + e.hash_v1;
    if (!e.hash_v2.empty())
        m += std::string(e.hash_v1.empty() ? "" : "&") + "xt=urn:btmh:1220" + e.hash_v2;
    if (e.hash_v1.empty() && e.hash_v2.empty()) m += "xt=urn:btih:" + e.hash;
    m += "&dn=" + http::form_encode(e.name);
    if (!e.tracker.empty()) m += "&tr=" + http::form_encode(e.tracker);
    return m;
}

}  // namespace

std::vector<const qbt::Entry*> owned(const qbt::Snapshot& s, std::int64_t user_id) {
    std::vector<const qbt::Entry*> out;
    for (const auto& e : s.entries)
        if (tool_sees(e, user_id)) out.push_back(&e);
    return out;
}

const qbt::Entry* owned_one(const qbt::Snapshot& s, std::int64_t user_id, std::string_view hash) {
    if (hash.empty() || hash.size() > 64) return nullptr;
    const auto* e = s.find(std::string(hash));
    return e && tool_reaches(*e, user_id) ? e : nullptr;
}

std::vector<std::string> owned_hashes(const qbt::Snapshot& s, std::int64_t user_id,
                                      std::string_view hashes) {
    std::vector<std::string> out;
    if (str::trim(hashes) == "all") {
        for (const auto* e : owned(s, user_id)) out.push_back(e->hash);
        return out;
    }
    for (auto h : split_list(hashes, '|'))
        if (const auto* e = owned_one(s, user_id, h);
            e && std::find(out.begin(), out.end(), e->hash) == out.end())
            out.push_back(e->hash);
    return out;
}

std::vector<std::string> split_list(std::string_view s, char sep) {
    std::vector<std::string> out;
    for (auto item : str::split(s, sep)) {
        item = str::trim(item);
        if (!item.empty()) out.emplace_back(item);
    }
    return out;
}

std::vector<std::string> visible_tags(std::string_view qbt_tags) {
    std::vector<std::string> out;
    for (auto& t : split_list(qbt_tags, ','))
        if (!essaim_tag(t)) out.push_back(std::move(t));
    return out;
}

bool valid_tag(std::string_view name) {
    return !name.empty() && name.size() <= 100 && name == str::trim(name) &&
           name.find(',') == std::string_view::npos && !essaim_tag(name) &&
           name.find('\n') == std::string_view::npos;
}

bool valid_category(std::string_view name) {
    return !name.empty() && name.size() <= 100 && name == str::trim(name) &&
           name.find('\\') == std::string_view::npos && name.front() != '/' && name.back() != '/' &&
           name.find("//") == std::string_view::npos && name.find('\n') == std::string_view::npos &&
           name != "." && name != ".." && name.find("/../") == std::string_view::npos &&
           !name.starts_with("../") && !name.ends_with("/..") &&
           name.find("/./") == std::string_view::npos && !name.starts_with("./") &&
           !name.ends_with("/.");
}

json::object torrent_object(const qbt::Entry& e, bool with_hash) {
    const auto& x = e.extra;
    std::string tags;
    for (const auto& t : visible_tags(e.tags)) tags += (tags.empty() ? "" : ", ") + t;
    json::object o;
    if (with_hash) o["hash"] = e.hash;
    o["name"] = e.name;
    o["infohash_v1"] = e.hash_v1;
    o["infohash_v2"] = e.hash_v2;
    o["magnet_uri"] = magnet_of(e);
    o["size"] = e.size;
    o["total_size"] = e.total_size;
    o["progress"] = e.progress;
    o["dlspeed"] = e.dlspeed;
    o["upspeed"] = e.upspeed;
    o["eta"] = e.qbt_eta;
    o["state"] = e.qbt_state;
    o["category"] = e.category;
    o["tags"] = tags;
    o["save_path"] = e.save_path;
    o["content_path"] = e.content_path;
    o["download_path"] = x.download_path;
    o["added_on"] = e.added_on;
    o["completion_on"] = e.completion_on > 0 ? e.completion_on : -1;
    o["amount_left"] = e.amount_left;
    o["completed"] = x.completed;
    o["downloaded"] = e.downloaded;
    o["uploaded"] = e.uploaded;
    o["downloaded_session"] = x.downloaded_session;
    o["uploaded_session"] = x.uploaded_session;
    o["ratio"] = e.ratio;
    o["ratio_limit"] = x.ratio_limit;
    o["max_ratio"] = x.max_ratio;
    o["seeding_time"] = x.seeding_time;
    o["seeding_time_limit"] = x.seeding_time_limit;
    o["max_seeding_time"] = x.max_seeding_time;
    o["inactive_seeding_time_limit"] = x.inactive_seeding_time_limit;
    o["max_inactive_seeding_time"] = x.max_inactive_seeding_time;
    o["time_active"] = x.time_active;
    o["last_activity"] = x.last_activity;
    o["seen_complete"] = x.seen_complete;
    o["num_seeds"] = e.num_seeds;
    o["num_leechs"] = e.num_leechs;
    o["num_complete"] = e.num_complete;
    o["num_incomplete"] = e.num_incomplete;
    o["availability"] = x.availability;
    o["dl_limit"] = x.dl_limit;
    o["up_limit"] = x.up_limit;
    o["priority"] = x.priority;
    o["auto_tmm"] = x.auto_tmm;
    o["force_start"] = x.force_start;
    o["seq_dl"] = x.seq_dl;
    o["f_l_piece_prio"] = x.f_l_piece_prio;
    o["super_seeding"] = x.super_seeding;
    o["tracker"] = e.tracker;
    o["trackers_count"] = x.trackers_count;
    return o;
}

std::optional<std::string> inside_folder(const std::string& folder, std::string_view path) {
    if (path.empty()) return std::string();
    if (path.size() > 1024 || path.find('\\') != std::string_view::npos) return std::nullopt;
    for (char ch : path)
        if (static_cast<unsigned char>(ch) < 0x20) return std::nullopt;
    std::string abs = path.front() == '/' ? std::string(path) : folder + "/" + std::string(path);
    while (abs.size() > 1 && abs.back() == '/') abs.pop_back();
    if (abs.find("//") != std::string::npos) return std::nullopt;
    return download::relative_inside(folder, abs);  // no "." or ".." segment is ever inside
}

std::string torrent_text(const qbt::Entry& e, bool with_hash) {
    auto text = e.qbt_json.get();
    if (!text) {
        text = std::make_shared<const std::string>(json::serialize(torrent_object(e, false)));
        e.qbt_json.set(text);
    }
    if (!with_hash) return *text;
    // {"hash":"…", then the rest of the object (never empty: it has every field).
    return "{\"hash\":" + json::serialize(json::string(e.hash)) + "," + text->substr(1);
}

bool known_filter(std::string_view f) {
    return one_of(f, {"all", "downloading", "seeding", "completed", "paused", "stopped", "active",
                      "inactive", "resumed", "running", "stalled", "stalled_uploading",
                      "stalled_downloading", "checking", "moving", "errored"});
}

bool in_filter(const qbt::Entry& e, std::string_view f) {
    const auto& st = e.qbt_state;
    if (f == "all") return true;
    if (f == "downloading") return downloading(st);
    if (f == "seeding") return uploading(st);
    if (f == "completed") return uploading(st) || st == "pausedUP" || st == "stoppedUP";
    if (f == "paused" || f == "stopped") return paused(st);
    if (f == "resumed" || f == "running") return !paused(st);
    if (f == "active") return active(e);
    if (f == "inactive") return !active(e);
    if (f == "stalled") return st == "stalledUP" || st == "stalledDL";
    if (f == "stalled_uploading") return st == "stalledUP";
    if (f == "stalled_downloading") return st == "stalledDL";
    if (f == "checking")
        return st == "checkingUP" || st == "checkingDL" || st == "checkingResumeData";
    if (f == "moving") return st == "moving";
    if (f == "errored") return st == "error" || st == "missingFiles";
    return false;
}

std::string info(const qbt::Snapshot& s, std::int64_t user_id, const InfoQuery& q) {
    std::vector<const qbt::Entry*> rows;
    for (const auto* e : owned(s, user_id)) {
        if (!in_filter(*e, q.filter)) continue;
        if (q.category && e->category != *q.category) continue;
        if (q.tag) {
            auto tags = visible_tags(e->tags);
            if (q.tag->empty() ? !tags.empty()
                               : std::find(tags.begin(), tags.end(), *q.tag) == tags.end())
                continue;
        }
        if (q.hashes && !q.hashes->count(e->hash) && !q.hashes->count(e->hash_v1) &&
            !q.hashes->count(e->hash_v2))
            continue;
        rows.push_back(e);
    }
    if (!q.sort.empty()) {
        // By the field's value in qBittorrent's object (made for the sort only: tools seldom sort).
        std::vector<std::pair<json::value, const qbt::Entry*>> keyed;
        keyed.reserve(rows.size());
        for (const auto* e : rows) {
            auto o = torrent_object(*e, true);
            auto* v = o.if_contains(q.sort);
            keyed.emplace_back(v ? *v : json::value(), e);
        }
        std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
            const auto* va = a.first.is_null() ? nullptr : &a.first;
            const auto* vb = b.first.is_null() ? nullptr : &b.first;
            return q.reverse ? less(vb, va) : less(va, vb);
        });
        for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = keyed[i].second;
    }
    auto n = static_cast<std::int64_t>(rows.size());
    auto from = q.offset < 0 ? std::max<std::int64_t>(0, n + q.offset) : std::min(q.offset, n);
    auto to = q.limit > 0 ? std::min(n, from + q.limit) : n;
    std::string out = "[";
    for (auto i = from; i < to; ++i) {
        if (i > from) out += ',';
        out += torrent_text(*rows[static_cast<std::size_t>(i)], true);
    }
    return out + "]";
}

}  // namespace essaim::qbtapi
