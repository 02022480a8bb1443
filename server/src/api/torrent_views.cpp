#include "api/torrent_views.hpp"

#include "util/gzip.hpp"

#include <boost/json.hpp>

namespace essaim::api {

namespace {

boost::json::value str_or_null(const std::string& s) {
    if (s.empty()) return nullptr;
    return boost::json::value(s);
}

template <class T>
boost::json::value or_null(const std::optional<T>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

}  // namespace

std::shared_ptr<const std::string> render_entry(const qbt::Entry& e) {
    namespace json = boost::json;
    json::value owner = nullptr;
    if (e.owner_id && !e.owner_username.empty())
        owner = json::object{{"id", *e.owner_id},
                             {"username", e.owner_username},
                             {"display_name", e.owner_display_name}};
    json::value limit = nullptr;
    if (!e.limit_state.empty())
        limit = json::object{{"state", e.limit_state}, {"reason", e.limit_reason}};
    json::object o{{"hash", e.hash},
                   {"info_hash_v1", str_or_null(e.hash_v1)},
                   {"info_hash_v2", str_or_null(e.hash_v2)},
                   {"name", e.name},
                   {"owner", std::move(owner)},
                   {"state", e.state},
                   {"qbt_state", str_or_null(e.qbt_state)},
                   {"progress", e.progress},
                   {"size", e.size},
                   {"downloaded", e.downloaded},
                   {"uploaded", e.uploaded},
                   {"dlspeed", e.dlspeed},
                   {"upspeed", e.upspeed},
                   {"eta", or_null(e.eta)},
                   {"num_seeds", e.num_seeds},
                   {"num_leechs", e.num_leechs},
                   {"num_complete", e.num_complete},
                   {"num_incomplete", e.num_incomplete},
                   {"ratio", e.ratio},
                   {"added_on", e.added_on},
                   {"completion_on",
                    e.completion_on > 0 ? json::value(e.completion_on) : json::value(nullptr)},
                   {"tracker", e.tracker},
                   {"removed", e.removed},
                   {"stale", e.stale},
                   {"limit", std::move(limit)}};
    auto text = json::serialize(o);
    text.pop_back();  // drop '}' so that the viewer's fields can be appended (append_tail)
    return std::make_shared<const std::string>(std::move(text));
}

namespace {

// The viewer-specific tail of a torrent object. Where the files are on the qBittorrent machine
// is for administrators only: `save_path` (absolute) and `placement` ("user_folder", "shared":
// still in the common folder of the versions before per-user folders, "elsewhere").
void append_tail(std::string& out, const qbt::Entry& e, const auth::Viewer& v) {
    if (v.admin) {  // which server holds it, and where
        out += ",\"server\":";
        out += std::to_string(e.server);
        out += ",\"server_name\":";
        out += boost::json::serialize(boost::json::value(e.server_name));
        out += ",\"save_path\":";
        out += boost::json::serialize(boost::json::value(e.save_path));
        out += ",\"placement\":\"";
        out += download::placement_name(e.placement);
        out += '"';
    }
    out += auth::can_act(v, e.owner_id) ? ",\"can_act\":true}" : ",\"can_act\":false}";
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
    return auth::can_see(v, e.owner_id);
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
    out += qbt::link_name(s.link);
    out += "\",\"stale\":";
    out += s.stale ? "true" : "false";
    out += ",\"servers_down\":";
    out += std::to_string(s.servers_down);
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
        return old && old->hash == hash && auth::can_see(v, old->owner_id);
    };
    for (const auto& hash : c.changed) {
        const auto* e = c.snapshot->find(hash);
        if (!e) continue;
        if (auth::can_see(v, e->owner_id)) {
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
    boost::json::object o{{"type", "status"},
                          {"qbittorrent", qbt::link_name(s.link)},
                          {"error", nullptr},
                          {"servers_down", s.servers_down}};
    if (!s.link_error.empty()) o["error"] = s.link_error;
    return boost::json::serialize(o);
}

}  // namespace essaim::api
