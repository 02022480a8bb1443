#include "qbt/webapi.hpp"

#include <boost/json.hpp>

#include <cstdio>

namespace essaim::qbt {

ApiVersion parse_api_version(const std::string& s) {
    ApiVersion v;
    std::sscanf(s.c_str(), "%d.%d.%d", &v.major, &v.minor, &v.patch);
    return v;
}

namespace {
std::int64_t int_of(const boost::json::object& o, const char* k) {
    auto* v = o.if_contains(k);
    if (!v) return 0;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
    if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
    return 0;
}
}  // namespace

TorrentProperties parse_properties(const boost::json::value& v) {
    TorrentProperties p;
    if (!v.is_object()) return p;
    const auto& o = v.as_object();
    if (auto* ps = o.if_contains("piece_size"); ps && ps->is_number())
        p.piece_size = int_of(o, "piece_size");
    if (auto* c = o.if_contains("comment"); c && c->is_string()) p.comment = c->as_string();
    return p;
}

std::vector<Tracker> parse_trackers(const boost::json::value& v) {
    std::vector<Tracker> out;
    if (!v.is_array()) return out;
    for (const auto& t : v.as_array()) {
        if (!t.is_object()) continue;
        const auto& o = t.as_object();
        auto* url = o.if_contains("url");
        if (!url || !url->is_string() || url->as_string().starts_with("** [")) continue;
        Tracker tr;
        tr.url = url->as_string();
        auto* st = o.if_contains("status");
        switch (st && st->is_int64() ? st->as_int64() : 4) {
            case 0:
                tr.status = Tracker::Status::disabled;
                break;
            case 1:
                tr.status = Tracker::Status::not_contacted;
                break;
            case 2:
                tr.status = Tracker::Status::working;
                break;
            case 3:
                tr.status = Tracker::Status::updating;
                break;
            default:
                tr.status = Tracker::Status::not_working;
        }
        if (auto* m = o.if_contains("msg"); m && m->is_string()) tr.message = m->as_string();
        out.push_back(std::move(tr));
    }
    return out;
}

const char* status_name(Tracker::Status s) {
    switch (s) {
        case Tracker::Status::disabled:
            return "disabled";
        case Tracker::Status::not_contacted:
            return "not_contacted";
        case Tracker::Status::working:
            return "working";
        case Tracker::Status::updating:
            return "updating";
        default:
            return "not_working";
    }
}

std::vector<TorrentFile> parse_torrent_files(const boost::json::value& v) {
    std::vector<TorrentFile> out;
    if (!v.is_array()) return out;
    for (const auto& f : v.as_array()) {
        if (!f.is_object()) continue;
        const auto& o = f.as_object();
        auto* name = o.if_contains("name");
        if (!name || !name->is_string()) continue;
        TorrentFile tf;
        tf.path = std::string(name->as_string());
        tf.size = int_of(o, "size");
        if (auto* p = o.if_contains("progress"); p && p->is_number())
            tf.progress = p->to_number<double>();
        tf.priority = int_of(o, "priority");
        tf.index =
            o.if_contains("index") ? int_of(o, "index") : static_cast<std::int64_t>(out.size());
        out.push_back(std::move(tf));
    }
    return out;
}

}  // namespace essaim::qbt
