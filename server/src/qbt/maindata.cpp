#include "qbt/maindata.hpp"

#include <boost/json.hpp>

#include <stdexcept>
#include <unordered_map>

namespace essaim::qbt {
namespace json = boost::json;

namespace {

std::int64_t as_int(const json::value& v) {
    if (v.is_int64()) return v.as_int64();
    if (v.is_uint64()) return static_cast<std::int64_t>(v.as_uint64());
    if (v.is_double()) return static_cast<std::int64_t>(v.as_double());
    return 0;
}

double as_double(const json::value& v) {
    if (v.is_double()) return v.as_double();
    if (v.is_int64()) return static_cast<double>(v.as_int64());
    if (v.is_uint64()) return static_cast<double>(v.as_uint64());
    return 0;
}

std::string as_string(const json::value& v) {
    return v.is_string() ? std::string(v.as_string()) : std::string();
}

void merge_extra(TorrentExtra& x, std::string_view key, const json::value& v) {
    static const std::unordered_map<std::string_view, std::int64_t TorrentExtra::*> ints = {
        {"max_seeding_time", &TorrentExtra::max_seeding_time},
        {"seeding_time_limit", &TorrentExtra::seeding_time_limit},
        {"inactive_seeding_time_limit", &TorrentExtra::inactive_seeding_time_limit},
        {"max_inactive_seeding_time", &TorrentExtra::max_inactive_seeding_time},
        {"seeding_time", &TorrentExtra::seeding_time},
        {"time_active", &TorrentExtra::time_active},
        {"last_activity", &TorrentExtra::last_activity},
        {"seen_complete", &TorrentExtra::seen_complete},
        {"completed", &TorrentExtra::completed},
        {"downloaded_session", &TorrentExtra::downloaded_session},
        {"uploaded_session", &TorrentExtra::uploaded_session},
        {"dl_limit", &TorrentExtra::dl_limit},
        {"up_limit", &TorrentExtra::up_limit},
        {"priority", &TorrentExtra::priority},
        {"trackers_count", &TorrentExtra::trackers_count}};
    static const std::unordered_map<std::string_view, bool TorrentExtra::*> flags = {
        {"auto_tmm", &TorrentExtra::auto_tmm},
        {"force_start", &TorrentExtra::force_start},
        {"seq_dl", &TorrentExtra::seq_dl},
        {"f_l_piece_prio", &TorrentExtra::f_l_piece_prio},
        {"super_seeding", &TorrentExtra::super_seeding}};
    if (auto i = ints.find(key); i != ints.end())
        x.*(i->second) = as_int(v);
    else if (auto f = flags.find(key); f != flags.end())
        x.*(f->second) = v.is_bool() && v.as_bool();
    else if (key == "max_ratio")
        x.max_ratio = as_double(v);
    else if (key == "ratio_limit")
        x.ratio_limit = as_double(v);
    else if (key == "availability")
        x.availability = as_double(v);
    else if (key == "download_path")
        x.download_path = as_string(v);
}

void merge(TorrentInfo& t, const json::object& o) {
    for (const auto& [k, v] : o) {
        std::string_view key = k;
        if (key == "name")
            t.name = as_string(v);
        else if (key == "state")
            t.state = as_string(v);
        else if (key == "progress")
            t.progress = as_double(v);
        else if (key == "ratio")
            t.ratio = as_double(v);
        else if (key == "size")
            t.size = as_int(v);
        else if (key == "total_size")
            t.total_size = as_int(v);
        else if (key == "downloaded")
            t.downloaded = as_int(v);
        else if (key == "uploaded")
            t.uploaded = as_int(v);
        else if (key == "dlspeed")
            t.dlspeed = as_int(v);
        else if (key == "upspeed")
            t.upspeed = as_int(v);
        else if (key == "eta")
            t.eta = as_int(v);
        else if (key == "num_seeds")
            t.num_seeds = as_int(v);
        else if (key == "num_leechs")
            t.num_leechs = as_int(v);
        else if (key == "num_complete")
            t.num_complete = as_int(v);
        else if (key == "num_incomplete")
            t.num_incomplete = as_int(v);
        else if (key == "added_on")
            t.added_on = as_int(v);
        else if (key == "completion_on")
            t.completion_on = as_int(v);
        else if (key == "amount_left")
            t.amount_left = as_int(v);
        else if (key == "save_path")
            t.save_path = as_string(v);
        else if (key == "content_path")
            t.content_path = as_string(v);
        else if (key == "tracker")
            t.tracker = as_string(v);
        else if (key == "tags")
            t.tags = as_string(v);
        else if (key == "category")
            t.category = as_string(v);
        else if (key == "infohash_v1")
            t.infohash_v1 = as_string(v);
        else if (key == "infohash_v2")
            t.infohash_v2 = as_string(v);
        else
            merge_extra(t.extra, key, v);
    }
}

bool merge_server(ServerState& s, const json::object& o) {
    for (const auto& [k, v] : o) {
        std::string_view key = k;
        if (key == "dl_info_speed")
            s.dl_info_speed = as_int(v);
        else if (key == "up_info_speed")
            s.up_info_speed = as_int(v);
        else if (key == "dl_info_data")
            s.dl_info_data = as_int(v);
        else if (key == "up_info_data")
            s.up_info_data = as_int(v);
        else if (key == "free_space_on_disk")
            s.free_space_on_disk = as_int(v);
        else if (key == "connection_status")
            s.connection_status = as_string(v);
    }
    return !o.empty();
}

}  // namespace

void MainData::reset() {
    rid_ = 0;
    complete_ = false;
    torrents_.clear();
    server_ = {};
}

MainDataDelta MainData::apply(const json::object& md) {
    auto* rid = md.if_contains("rid");
    if (!rid || !(rid->is_int64() || rid->is_uint64()))
        throw std::runtime_error("maindata without rid");
    MainDataDelta d;
    auto* full = md.if_contains("full_update");
    d.full = full && full->is_bool() && full->as_bool();
    const json::object* torrents = nullptr;
    if (auto* t = md.if_contains("torrents")) {
        if (!t->is_object()) throw std::runtime_error("maindata torrents is not an object");
        torrents = &t->as_object();
    }
    if (d.full) {
        torrents_.clear();
        server_ = {};
        complete_ = true;
    }
    if (torrents) {
        for (const auto& [hash, fields] : *torrents) {
            if (!fields.is_object()) continue;
            auto& t = torrents_[std::string(hash)];
            t.hash = std::string(hash);
            merge(t, fields.as_object());
            d.changed.push_back(t.hash);
        }
    }
    if (auto* r = md.if_contains("torrents_removed"); r && r->is_array()) {
        for (const auto& h : r->as_array()) {
            if (!h.is_string()) continue;
            std::string hash(h.as_string());
            if (torrents_.erase(hash)) d.removed.push_back(std::move(hash));
        }
    }
    if (auto* s = md.if_contains("server_state"); s && s->is_object())
        d.server_changed = merge_server(server_, s->as_object());
    rid_ = as_int(*rid);
    return d;
}

std::string_view essaim_state(std::string_view s) {
    if (s == "metaDL" || s == "forcedMetaDL") return "metadata";
    if (s == "downloading" || s == "forcedDL") return "downloading";
    if (s == "stalledDL") return "stalled";
    if (s == "uploading" || s == "stalledUP" || s == "forcedUP") return "seeding";
    if (s == "pausedDL" || s == "stoppedDL") return "paused";
    if (s == "pausedUP" || s == "stoppedUP") return "completed";
    if (s == "queuedDL" || s == "queuedUP") return "queued";
    if (s == "checkingDL" || s == "checkingUP" || s == "checkingResumeData" || s == "allocating")
        return "checking";
    if (s == "moving") return "moving";
    return "error";  // error, missingFiles, unknown and anything new
}

bool is_complete(const TorrentInfo& t) {
    if (t.progress >= 1.0 && t.completion_on > 0) return true;
    auto s = t.state;
    return s == "uploading" || s == "stalledUP" || s == "pausedUP" || s == "stoppedUP" ||
           s == "queuedUP" || s == "checkingUP" || s == "forcedUP";
}

}  // namespace essaim::qbt
