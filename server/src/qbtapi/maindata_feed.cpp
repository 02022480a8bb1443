#include "qbtapi/maindata_feed.hpp"

#include "qbtapi/torrents.hpp"

#include <boost/json.hpp>

namespace essaim::qbtapi {
namespace json = boost::json;

std::string MaindataFeed::answer(const std::string& key, std::int64_t rid, const qbt::Snapshot& s,
                                 std::int64_t user_id, const Labels& labels,
                                 const json::object& server_state, std::int64_t now) {
    State st;
    {
        // The session's state is taken out while it is computed: two polls of one session at
        // once are a client's mistake, and the second simply gets a full update.
        std::lock_guard lock(mu_);
        if (auto it = states_.find(key); it != states_.end()) {
            st = std::move(it->second);
            states_.erase(it);
        }
    }
    bool full = rid == 0 || rid != st.rid;
    State next;
    next.rid = st.rid + 1;
    next.used = now;
    next.labels = labels;
    next.server = json::serialize(server_state);

    json::object out;
    out["rid"] = next.rid;
    if (full) out["full_update"] = true;
    // The torrents' texts are each entry's own, made once (qbtapi::torrent_text): spliced in.
    std::string torrents;
    for (const auto* e : owned(s, user_id)) {
        next.stamps.emplace(e->hash, e->stamp);
        if (!full) {
            auto was = st.stamps.find(e->hash);
            if (was != st.stamps.end() && was->second == e->stamp) continue;
        }
        torrents += (torrents.empty() ? "" : ",") + json::serialize(json::string(e->hash)) + ":" +
                    torrent_text(*e, false);
    }
    if (!full) {
        json::array removed;
        for (const auto& [hash, stamp] : st.stamps)
            if (!next.stamps.count(hash)) removed.push_back(json::string(hash));
        if (!removed.empty()) out["torrents_removed"] = std::move(removed);
    }

    json::object categories;
    for (const auto& [name, path] : labels.categories) {
        auto was = st.labels.categories.find(name);
        if (full || was == st.labels.categories.end() || was->second != path)
            categories[name] = json::object{{"name", name}, {"savePath", path}};
    }
    if (full || !categories.empty()) out["categories"] = std::move(categories);
    json::array tags;
    for (const auto& t : labels.tags)
        if (full || !st.labels.tags.count(t)) tags.push_back(json::string(t));
    if (full || !tags.empty()) out["tags"] = std::move(tags);
    if (!full) {
        json::array gone_categories, gone_tags;
        for (const auto& [name, path] : st.labels.categories)
            if (!labels.categories.count(name)) gone_categories.push_back(json::string(name));
        for (const auto& t : st.labels.tags)
            if (!labels.tags.count(t)) gone_tags.push_back(json::string(t));
        if (!gone_categories.empty()) out["categories_removed"] = std::move(gone_categories);
        if (!gone_tags.empty()) out["tags_removed"] = std::move(gone_tags);
    }
    if (full || next.server != st.server) out["server_state"] = server_state;
    if (full) out["trackers"] = json::object();
    auto body = json::serialize(out);
    if (full || !torrents.empty()) {
        body.pop_back();  // the closing brace: "torrents" goes last
        body += ",\"torrents\":{" + torrents + "}}";
    }

    std::lock_guard lock(mu_);
    if (states_.size() >= kMaxSessions) {
        auto oldest = states_.begin();
        for (auto it = states_.begin(); it != states_.end(); ++it)
            if (it->second.used < oldest->second.used) oldest = it;
        states_.erase(oldest);
    }
    states_[key] = std::move(next);
    return body;
}

void MaindataFeed::forget(const std::string& key) {
    std::lock_guard lock(mu_);
    states_.erase(key);
}

}  // namespace essaim::qbtapi
