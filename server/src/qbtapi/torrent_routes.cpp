// /api/v2/torrents/…: the list and the reads of one torrent, adding, and every action — on the
// caller's own torrents only. A hash that is not theirs is answered as qBittorrent answers a
// hash it does not know: 404 on a read of one torrent, silently left out of an action on
// several. Adds go through the web app's one add path (qbt::AddService), pause/resume/delete
// through its actions (api/torrent_actions.hpp); the rest is forwarded to qBittorrent with the
// user's own hashes and values checked here (paths inside the user's folder, limits under the
// group's, names that cannot pass for essaim's ownership tag).
#include "api/errors.hpp"
#include "api/torrent_actions.hpp"
#include "auth/limits.hpp"
#include "auth/policy.hpp"
#include "http/message.hpp"
#include "qbt/adder.hpp"
#include "qbt/client.hpp"
#include "qbt/servers.hpp"
#include "qbt/sync_loop.hpp"
#include "qbtapi/handler.hpp"
#include "qbtapi/routes.hpp"
#include "qbtapi/torrents.hpp"
#include "util/strings.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace essaim::qbtapi {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// Sends a form to server `server`'s qBittorrent. qBittorrent's refusals of the values (400, 409)
// come back as they are; the rest is api::rethrow_qbt's (502/503, logged).
asio::awaitable<void> forward_to(Services& s, std::int64_t server, std::string path,
                                 std::string body) {
    try {
        co_await s.ctx.servers->client(server).call("POST", path, std::move(body), http::kFormType);
    } catch (const qbt::QbtError& e) {
        if (e.status == 400 || e.status == 409) throw Refusal{e.status, "Bad Request"};
        throw;
    }
    s.ctx.servers->poke(server);
}

// The user's own torrents `own` grouped by server (one call to each server holding some).
std::map<std::int64_t, std::string> by_server(const qbt::Snapshot& snap,
                                              const std::vector<std::string>& own) {
    std::vector<const qbt::Entry*> entries;
    for (const auto& h : own)
        if (const auto* e = snap.find(h)) entries.push_back(e);
    return qbt::hashes_by_server(entries);
}

// `rest` ("&name=value…", checked by the caller) with the user's own hashes, to each server.
asio::awaitable<void> forward(Services& s, const qbt::Snapshot& snap, std::string path,
                              const std::vector<std::string>& own, std::string rest) {
    for (const auto& [server, hashes] : by_server(snap, own))
        co_await forward_to(s, server, path, "hashes=" + http::form_encode(hashes) + rest);
}

// A name or path given by a tool: text without control characters.
bool plain(std::string_view v) {
    return std::none_of(v.begin(), v.end(),
                        [](char ch) { return static_cast<unsigned char>(ch) < 0x20; });
}

api::Targets targets_of(const qbt::Snapshot& snap, std::int64_t user,
                        const std::vector<std::string>& hashes) {
    api::Targets out;
    for (const auto& h : hashes)
        if (const auto* e = owned_one(snap, user, h)) out.push_back(e);
    return out;
}

// --- Reads ----------------------------------------------------------------------------------

asio::awaitable<http::Response> list(Services& s, http::Request& req, Caller& c) {
    Form f(req);
    InfoQuery q;
    q.filter = f.value_or("filter", "all");
    if (!known_filter(q.filter)) q.filter = "all";  // qBittorrent ignores an unknown filter
    q.category = f.get("category");
    q.tag = f.get("tag");
    q.sort = f.value_or("sort", "");
    q.reverse = f.flag("reverse");
    q.limit = f.integer("limit").value_or(0);
    q.offset = f.integer("offset").value_or(0);
    if (auto h = f.get("hashes")) {
        q.hashes.emplace();
        for (const auto& one : split_list(*h, '|')) q.hashes->insert(str::to_lower(one));
    }
    http::Response r = text(info(*s.ctx.registry->snapshot(), c.a.user.id, q));
    r.set_header("Content-Type", "application/json");
    co_return r;
}

// properties, files, trackers, webseeds, pieceStates, pieceHashes: qBittorrent's own answer for
// a torrent of the caller's.
asio::awaitable<http::Response> read_one(Services& s, http::Request& req, Caller& c,
                                         std::string what) {
    Form f(req);
    auto hash = required(f, "hash");
    const auto* e = owned_one(*s.ctx.registry->snapshot(), c.a.user.id, hash);
    if (!e) not_found();
    auto body = co_await s.ctx.servers->client(e->server).call(
        "GET", "/api/v2/torrents/" + what + "?hash=" + http::form_encode(e->hash));
    http::Response r = text(std::move(body));
    r.set_header("Content-Type", "application/json");
    co_return r;
}

// --- Adding ---------------------------------------------------------------------------------

// The category's folder inside the user's: its row's, else its name (as qBittorrent makes a
// folder of a category's name).
std::string category_dir(Services& s, std::int64_t user, const std::string& category) {
    for (const auto& l : s.ctx.store.labels(user))
        if (l.kind == "category" && l.name == category)
            return l.save_path.empty() ? std::string() : l.save_path;
    return category;
}

asio::awaitable<http::Response> add(Services& s, http::Request& req, Caller& c) {
    Form f(req);
    const auto& user = c.a.user;
    qbt::AddOptions opt;
    opt.via = c.a.token ? c.a.token->name : "";
    opt.category = std::string(str::trim(f.value_or("category", "")));
    if (!opt.category.empty() && !valid_category(opt.category)) co_return text("Fails.");
    for (auto& t : split_list(f.value_or("tags", ""), ',')) {
        if (!valid_tag(t)) co_return text("Fails.");
        opt.tags.push_back(std::move(t));
    }
    auto folder = co_await folder_of(s, user);
    if (auto savepath = f.get("savepath"); savepath && !str::trim(*savepath).empty()) {
        auto rel = inside_folder(folder, str::trim(*savepath));
        if (!rel) co_return text("Fails.");  // only inside the user's own folder
        opt.subdir = *rel;
    } else if (!opt.category.empty()) {
        opt.subdir = category_dir(s, user.id, opt.category);
    }
    opt.stopped = f.flag("stopped", f.flag("paused"));
    opt.ratio_limit = f.number("ratioLimit");
    opt.seeding_time_limit = f.integer("seedingTimeLimit");
    opt.sequential = f.flag("sequentialDownload");
    opt.first_last_piece = f.flag("firstLastPiecePrio");
    opt.rename = std::string(str::trim(f.value_or("rename", "")));
    if (!plain(opt.rename) || opt.rename.size() > 255) co_return text("Fails.");
    // autoTMM is ignored: essaim places every torrent in its owner's folder.

    std::vector<qbt::AddInput> inputs;
    for (const auto& url : split_list(f.value_or("urls", ""), '\n')) {
        bool magnet = str::to_lower(url).starts_with("magnet:");
        inputs.push_back(
            {magnet ? qbt::AddInput::Kind::magnet : qbt::AddInput::Kind::url, url, url, {}, opt});
    }
    // Every file part is a .torrent, whatever its field name (qBittorrent reads them all;
    // @ctrl/qbittorrent names it "file").
    for (const auto& p : f.files())
        inputs.push_back({qbt::AddInput::Kind::file,
                          p.filename.empty() ? "upload.torrent" : p.filename,
                          std::string(p.data),
                          {},
                          opt});
    if (inputs.empty() || inputs.size() > 100) co_return text("Fails.");
    if (!opt.category.empty())  // a category named at add is created, as qBittorrent does
        s.ctx.store.put_label(user.id, {"category", opt.category, opt.subdir}, false);

    bool any = false;
    for (auto& in : inputs) {
        auto label = in.label;
        bool file = in.kind == qbt::AddInput::Kind::file;
        auto r = co_await s.ctx.adder->add(user, std::move(in));
        if (r.ok) {
            any = true;
        } else if (file && (r.code == "invalid_torrent" || r.code == "not_a_torrent")) {
            co_return text("Error: '" + label + "' is not a valid torrent file.", 415);
        }
    }
    co_return text(any ? "Ok." : "Fails.");
}

// --- Actions --------------------------------------------------------------------------------

asio::awaitable<http::Response> pause_resume(Services& s, http::Request& req, Caller& c,
                                             bool pause) {
    Form f(req);
    auto snap = s.ctx.registry->snapshot();
    auto targets =
        targets_of(*snap, c.a.user.id, owned_hashes(*snap, c.a.user.id, required(f, "hashes")));
    if (!targets.empty()) co_await api::pause_torrents(s.ctx, c.a, req, targets, pause);
    co_return text("");
}

asio::awaitable<http::Response> remove(Services& s, http::Request& req, Caller& c) {
    Form f(req);
    auto hashes = required(f, "hashes");
    auto files = required(f, "deleteFiles");
    auto snap = s.ctx.registry->snapshot();
    auto targets = targets_of(*snap, c.a.user.id, owned_hashes(*snap, c.a.user.id, hashes));
    if (!targets.empty())
        co_await api::delete_torrents(s.ctx, c.a, req, *snap, targets,
                                      str::to_lower(files) == "true", false);
    co_return text("");
}

// An action on several torrents forwarded as it is, with the user's own hashes and the given
// parameters (already checked by the caller).
asio::awaitable<http::Response> simple(Services& s, http::Request& req, Caller& c, std::string path,
                                       std::vector<std::string> params) {
    Form f(req);
    auto snap = s.ctx.registry->snapshot();
    auto own = owned_hashes(*snap, c.a.user.id, required(f, "hashes"));
    if (own.empty()) co_return text("");
    std::string rest;
    for (const auto& p : params) rest += "&" + p + "=" + http::form_encode(required(f, p));
    co_await forward(s, *snap, "/api/v2/torrents/" + path, own, std::move(rest));
    co_return text("");
}

// Queue positions: 409 without qBittorrent's queueing, as qBittorrent answers.
asio::awaitable<http::Response> priority(Services& s, http::Request& req, Caller& c,
                                         std::string path) {
    auto prefs = co_await qbt_preferences(s);
    auto* q = prefs.if_contains("queueing_enabled");
    if (!q || !q->is_bool() || !q->as_bool())
        co_return text("Torrent queueing must be enabled", 409);
    co_return co_await simple(s, req, c, std::move(path), {});
}

asio::awaitable<http::Response> share_limits(Services& s, http::Request& req, Caller& c) {
    Form f(req);
    auto limits = auth::parse_limits(c.a.user.limits_json);
    auto ratio =
        auth::cap_limit(std::optional(f.number("ratioLimit").value_or(-2)), limits.ratio_limit);
    auto seeding = auth::cap_limit(std::optional(f.integer("seedingTimeLimit").value_or(-2)),
                                   limits.seeding_time_limit);
    auto inactive = f.integer("inactiveSeedingTimeLimit").value_or(-2);
    auto snap = s.ctx.registry->snapshot();
    auto own = owned_hashes(*snap, c.a.user.id, required(f, "hashes"));
    if (own.empty()) co_return text("");
    // -2: qBittorrent's global setting, what the tool gets back when it asked for no limit
    // and the group sets none.
    std::string rest = "&ratioLimit=" + std::to_string(ratio.value_or(-2)) +
                       "&seedingTimeLimit=" + std::to_string(seeding.value_or(-2)) +
                       "&inactiveSeedingTimeLimit=" + std::to_string(inactive);
    co_await forward(s, *snap, "/api/v2/torrents/setShareLimits", own, std::move(rest));
    co_return text("");
}

asio::awaitable<http::Response> speed_limit(Services& s, http::Request& req, Caller& c,
                                            bool download) {
    Form f(req);
    auto limits = auth::parse_limits(c.a.user.limits_json);
    auto asked = f.integer("limit");
    if (!asked) throw Refusal{400, "Missing parameter: limit"};
    // 0 (or less) is "no limit" in qBittorrent: the group's when it has one.
    auto group = download ? limits.download_limit : limits.upload_limit;
    auto limit = auth::cap_limit(std::optional(*asked <= 0 ? std::int64_t{-1} : *asked), group);
    auto snap = s.ctx.registry->snapshot();
    auto own = owned_hashes(*snap, c.a.user.id, required(f, "hashes"));
    if (own.empty()) co_return text("");
    // Arguments built before the co_await: GCC destroys a conditional expression's temporary
    // twice when it sits in a co_await's arguments (a double free seen on setLocation).
    std::string path =
        download ? "/api/v2/torrents/setDownloadLimit" : "/api/v2/torrents/setUploadLimit";
    std::string rest = "&limit=" + std::to_string(limit.value_or(0));
    co_await forward(s, *snap, path, own, std::move(rest));
    co_return text("");
}

asio::awaitable<http::Response> set_location(Services& s, http::Request& req, Caller& c) {
    Form f(req);
    auto location = required(f, "location");
    auto snap = s.ctx.registry->snapshot();
    auto own = owned_hashes(*snap, c.a.user.id, required(f, "hashes"));
    auto groups = by_server(*snap, own);
    // The place inside the user's folder, as the tool sees it (server 1's, or the one of a
    // server holding their torrents); the same place in their folder on each server.
    std::optional<std::string> rel;
    std::vector<std::int64_t> folders{1};
    for (const auto& g : groups) folders.push_back(g.first);
    for (auto server : folders) {
        if (rel) break;
        auto folder = co_await folder_of(s, c.a.user, server);
        rel = inside_folder(folder, str::trim(location));
    }
    if (!rel || str::trim(location).empty()) co_return text("Bad Request", 400);
    if (own.empty()) co_return text("");
    for (const auto& [server, hashes] : groups) {
        std::string target = co_await folder_of(s, c.a.user, server);
        if (!rel->empty()) target += "/" + *rel;
        std::string body =
            "hashes=" + http::form_encode(hashes) + "&location=" + http::form_encode(target);
        co_await forward_to(s, server, "/api/v2/torrents/setLocation", std::move(body));
    }
    for (const auto& h : own)
        api::audit(s.ctx, c.a, req, "torrent.relocate", "torrent", h, {{"location", *rel}});
    co_return text("");
}

asio::awaitable<http::Response> rename(Services& s, http::Request& req, Caller& c) {
    Form f(req);
    auto name = std::string(str::trim(required(f, "name")));
    if (name.empty() || name.size() > 255 || !plain(name)) co_return text("Bad Request", 400);
    const auto* e = owned_one(*s.ctx.registry->snapshot(), c.a.user.id, required(f, "hash"));
    if (!e) not_found();
    auto hash = e->hash;
    auto server = e->server;
    co_await forward_to(s, server, "/api/v2/torrents/rename",
                        "hash=" + http::form_encode(hash) + "&name=" + http::form_encode(name));
    api::audit(s.ctx, c.a, req, "torrent.rename", "torrent", hash, {{"name", name}});
    co_return text("");
}

// A path inside the torrent: relative, no "." or ".." segment, no backslash.
bool torrent_path(std::string_view p) {
    if (p.empty() || p.size() > 1024 || p.front() == '/' || !plain(p) ||
        p.find('\\') != std::string_view::npos)
        return false;
    for (auto seg : str::split(p, '/'))
        if (seg == "." || seg == "..") return false;
    return true;
}

asio::awaitable<http::Response> rename_path(Services& s, http::Request& req, Caller& c,
                                            std::string path) {
    Form f(req);
    auto from = required(f, "oldPath"), to = required(f, "newPath");
    if (!torrent_path(from) || !torrent_path(to)) co_return text("Bad Request", 400);
    const auto* e = owned_one(*s.ctx.registry->snapshot(), c.a.user.id, required(f, "hash"));
    if (!e) not_found();
    co_await forward_to(s, e->server, "/api/v2/torrents/" + path,
                        "hash=" + http::form_encode(e->hash) + "&oldPath=" +
                            http::form_encode(from) + "&newPath=" + http::form_encode(to));
    co_return text("");
}

asio::awaitable<http::Response> file_priority(Services& s, http::Request& req, Caller& c) {
    Form f(req);
    auto id = required(f, "id");
    auto prio = f.integer("priority");
    if (!prio || (*prio != 0 && *prio != 1 && *prio != 6 && *prio != 7) || !plain(id))
        co_return text("Bad Request", 400);
    const auto* e = owned_one(*s.ctx.registry->snapshot(), c.a.user.id, required(f, "hash"));
    if (!e) not_found();
    co_await forward_to(s, e->server, "/api/v2/torrents/filePrio",
                        "hash=" + http::form_encode(e->hash) + "&id=" + http::form_encode(id) +
                            "&priority=" + std::to_string(*prio));
    co_return text("");
}

}  // namespace

void register_torrent_routes(http::Router& r, Services& s) {
    auto read = [&s](std::string what) {
        return tool_route(s, false, [what](Services& sv, http::Request& q, Caller& c) {
            return read_one(sv, q, c, what);
        });
    };
    auto act = [&s](std::string path, std::vector<std::string> params) {
        return tool_route(s, true, [path, params](Services& sv, http::Request& q, Caller& c) {
            return simple(sv, q, c, path, params);
        });
    };
    auto prio = [&s](std::string path) {
        return tool_route(s, true, [path](Services& sv, http::Request& q, Caller& c) {
            return priority(sv, q, c, path);
        });
    };
    auto pause = [&s](bool p) {
        return tool_route(s, true, [p](Services& sv, http::Request& q, Caller& c) {
            return pause_resume(sv, q, c, p);
        });
    };
    auto limit = [&s](bool download) {
        return tool_route(s, true, [download](Services& sv, http::Request& q, Caller& c) {
            return speed_limit(sv, q, c, download);
        });
    };
    auto rename_in = [&s](std::string path) {
        return tool_route(s, true, [path](Services& sv, http::Request& q, Caller& c) {
            return rename_path(sv, q, c, path);
        });
    };
    // Each path written out: the route reviews (test_route_security, test_security_review) read
    // the table from these literals.
    r.add_async("GET", "/api/v2/torrents/info", tool_route(s, false, list));
    r.add_async("POST", "/api/v2/torrents/info", tool_route(s, false, list));
    r.add_async("GET", "/api/v2/torrents/properties", read("properties"));
    r.add_async("POST", "/api/v2/torrents/properties", read("properties"));
    r.add_async("GET", "/api/v2/torrents/files", read("files"));
    r.add_async("POST", "/api/v2/torrents/files", read("files"));
    r.add_async("GET", "/api/v2/torrents/trackers", read("trackers"));
    r.add_async("POST", "/api/v2/torrents/trackers", read("trackers"));
    r.add_async("GET", "/api/v2/torrents/webseeds", read("webseeds"));
    r.add_async("POST", "/api/v2/torrents/webseeds", read("webseeds"));
    r.add_async("GET", "/api/v2/torrents/pieceStates", read("pieceStates"));
    r.add_async("POST", "/api/v2/torrents/pieceStates", read("pieceStates"));
    r.add_async("GET", "/api/v2/torrents/pieceHashes", read("pieceHashes"));
    r.add_async("POST", "/api/v2/torrents/pieceHashes", read("pieceHashes"));
    r.add_async("POST", "/api/v2/torrents/add", tool_route(s, true, add));
    r.add_async("POST", "/api/v2/torrents/delete", tool_route(s, true, remove));
    r.add_async("POST", "/api/v2/torrents/pause", pause(true));
    r.add_async("POST", "/api/v2/torrents/stop", pause(true));
    r.add_async("POST", "/api/v2/torrents/resume", pause(false));
    r.add_async("POST", "/api/v2/torrents/start", pause(false));
    r.add_async("POST", "/api/v2/torrents/recheck", act("recheck", {}));
    r.add_async("POST", "/api/v2/torrents/reannounce", act("reannounce", {}));
    r.add_async("POST", "/api/v2/torrents/setForceStart", act("setForceStart", {"value"}));
    r.add_async("POST", "/api/v2/torrents/toggleSequentialDownload",
                act("toggleSequentialDownload", {}));
    r.add_async("POST", "/api/v2/torrents/toggleFirstLastPiecePrio",
                act("toggleFirstLastPiecePrio", {}));
    r.add_async("POST", "/api/v2/torrents/topPrio", prio("topPrio"));
    r.add_async("POST", "/api/v2/torrents/bottomPrio", prio("bottomPrio"));
    r.add_async("POST", "/api/v2/torrents/increasePrio", prio("increasePrio"));
    r.add_async("POST", "/api/v2/torrents/decreasePrio", prio("decreasePrio"));
    r.add_async("POST", "/api/v2/torrents/setShareLimits", tool_route(s, true, share_limits));
    r.add_async("POST", "/api/v2/torrents/setDownloadLimit", limit(true));
    r.add_async("POST", "/api/v2/torrents/setUploadLimit", limit(false));
    r.add_async("POST", "/api/v2/torrents/setLocation", tool_route(s, true, set_location));
    r.add_async("POST", "/api/v2/torrents/rename", tool_route(s, true, rename));
    r.add_async("POST", "/api/v2/torrents/renameFile", rename_in("renameFile"));
    r.add_async("POST", "/api/v2/torrents/renameFolder", rename_in("renameFolder"));
    r.add_async("POST", "/api/v2/torrents/filePrio", tool_route(s, true, file_priority));
}

}  // namespace essaim::qbtapi
