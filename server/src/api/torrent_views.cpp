#include "api/torrent_views.hpp"

#include "util/gzip.hpp"

#include <boost/json.hpp>

namespace essaim::api {

const char* link_name(qbt::LinkState s) {
    switch (s) {
        case qbt::LinkState::ok:
            return "ok";
        case qbt::LinkState::down:
            return "down";
        default:
            return "unconfigured";
    }
}

namespace {

// The viewer-specific tail of a torrent object. Where the files are on the qBittorrent machine
// is for administrators only: `save_path` (absolute) and `placement` ("user_folder", "shared":
// still in the common folder of the versions before per-user folders, "elsewhere").
void append_tail(std::string& out, const qbt::Entry& e, const auth::Viewer& v) {
    if (v.admin) {
        out += ",\"save_path\":";
        out += boost::json::serialize(boost::json::value(e.save_path));
        out += ",\"placement\":\"";
        out += download::placement_name(e.placement);
        out += '"';
    }
    out += auth::can_act(v, e) ? ",\"can_act\":true}" : ",\"can_act\":false}";
}

}  // namespace

std::string torrent_json(const qbt::Entry& e, const auth::Viewer& v) {
    std::string out;
    out.reserve(e.json->size() + 20);
    out += *e.json;
    append_tail(out, e, v);
    return out;
}

namespace {

bool in_scope(const qbt::Entry& e, const auth::Viewer& v, Scope scope) {
    if (scope == Scope::mine) return e.owner_id && *e.owner_id == v.user_id;
    return auth::can_see(v, e);
}

void append_array(std::string& out, const qbt::Snapshot& s, const auth::Viewer& v, Scope scope) {
    out += '[';
    bool first = true;
    for (const auto& e : s.entries) {
        if (!in_scope(e, v, scope)) continue;
        if (!first) out += ',';
        first = false;
        out += *e.json;
        append_tail(out, e, v);
    }
    out += ']';
}

std::string json_or_null(const std::string& s) {
    return s.empty() ? std::string("null") : boost::json::serialize(boost::json::value(s));
}

std::string link_fields(const qbt::Snapshot& s, const auth::Viewer& v) {
    std::string out = "\"qbittorrent\":\"";
    out += link_name(s.link);
    out += "\",\"stale\":";
    out += s.stale ? "true" : "false";
    out += ",\"error\":";
    out += json_or_null(s.link_error);
    if (v.admin) {  // the exact failure (addresses, qBittorrent's text) is for administrators
        out += ",\"error_detail\":";
        out += json_or_null(s.link_detail);
    }
    return out;
}

}  // namespace

namespace {
std::string body_key(const auth::Viewer& v, Scope scope) {
    return (scope == Scope::mine ? "m" : "a") + std::to_string(v.user_id) + (v.admin ? "A" : "") +
           (v.see_all ? "S" : "") + (v.act_all ? "X" : "");
}
}  // namespace

std::shared_ptr<const std::string> list_body_gzip(const qbt::Snapshot& s, const auth::Viewer& v,
                                                  Scope scope) {
    auto key = "z" + body_key(v, scope);
    {
        std::lock_guard lock(s.bodies_mu);
        auto it = s.bodies.find(key);
        if (it != s.bodies.end()) return it->second;
    }
    auto p = std::make_shared<const std::string>(util::gzip(*list_body(s, v, scope)));
    std::lock_guard lock(s.bodies_mu);
    if (s.bodies.size() < 2000) s.bodies.emplace(key, p);
    return p;
}

std::shared_ptr<const std::string> list_body(const qbt::Snapshot& s, const auth::Viewer& v,
                                             Scope scope) {
    std::string key = body_key(v, scope);
    {
        std::lock_guard lock(s.bodies_mu);
        auto it = s.bodies.find(key);
        if (it != s.bodies.end()) return it->second;
    }
    std::string body = "{\"torrents\":";
    append_array(body, s, v, scope);
    body += ',' + link_fields(s, v) + '}';
    auto p = std::make_shared<const std::string>(std::move(body));
    std::lock_guard lock(s.bodies_mu);
    // Bounded: a snapshot lives about a second; many distinct viewers just build their own.
    if (s.bodies.size() < 2000) s.bodies.emplace(key, p);
    return p;
}

std::string full_message(const qbt::Snapshot& s, const auth::Viewer& v) {
    std::string out = "{\"type\":\"torrents\",\"full\":true,\"torrents\":";
    append_array(out, s, v, Scope::all);
    out += '}';
    return out;
}

std::string delta_message(const qbt::Change& c, const qbt::Snapshot* prev, const auth::Viewer& v) {
    std::string changed, removed;
    auto was_visible = [&](const std::string& hash) {
        if (!prev) return false;
        const auto* old = prev->find(hash);
        return old && old->hash == hash && auth::can_see(v, *old);
    };
    for (const auto& hash : c.changed) {
        const auto* e = c.snapshot->find(hash);
        if (!e) continue;
        if (auth::can_see(v, *e)) {
            if (!changed.empty()) changed += ',';
            changed += torrent_json(*e, v);
        } else if (was_visible(hash)) {  // e.g. given to another user
            if (!removed.empty()) removed += ',';
            removed += '"' + hash + '"';
        }
    }
    for (const auto& hash : c.removed) {
        if (!was_visible(hash)) continue;
        if (!removed.empty()) removed += ',';
        removed += '"' + hash + '"';
    }
    if (changed.empty() && removed.empty()) return {};
    return "{\"type\":\"torrents\",\"full\":false,\"changed\":[" + changed + "],\"removed\":[" +
           removed + "]}";
}

std::string status_message(const qbt::Snapshot& s) {
    boost::json::object o{
        {"type", "status"}, {"qbittorrent", link_name(s.link)}, {"error", nullptr}};
    if (!s.link_error.empty()) o["error"] = s.link_error;
    return boost::json::serialize(o);
}

}  // namespace essaim::api
