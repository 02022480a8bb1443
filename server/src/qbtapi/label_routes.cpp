// /api/v2/torrents categories and tags, in each user's own namespace: the names live in
// essaim's database (user_labels) and on the user's torrents in qBittorrent, where essaim sets
// them torrent by torrent — never through qBittorrent's global lists, which other users' torrents
// share (removing a category there would strip it from everyone's torrents). A category's folder
// is inside the user's. essaim's ownership tag can be neither given nor taken away.
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

// qBittorrent only sets a category it knows: created there on first use, with no folder of its
// own (essaim's torrents never follow a category's folder: automatic management is off).
asio::awaitable<void> ensure_in_qbt(Services& s, std::int64_t server, const std::string& category) {
    try {
        co_await s.ctx.servers->client(server).call(
            "POST", "/api/v2/torrents/createCategory",
            "category=" + http::form_encode(category) + "&savePath=", http::kFormType);
    } catch (const qbt::QbtError& e) {
        if (e.status != 409) throw;  // 409: it exists already
    }
}

// `rest` ("&name=value…") with the user's own hashes to each server holding some of them; a
// category is created first where it is set.
asio::awaitable<void> send(Services& s, std::string path, const std::vector<std::string>& own,
                           std::string rest, std::string category = {}) {
    auto snap = s.ctx.registry->snapshot();
    std::vector<const qbt::Entry*> entries;
    for (const auto& h : own)
        if (const auto* e = snap->find(h)) entries.push_back(e);
    for (const auto& [server, hashes] : qbt::hashes_by_server(entries)) {
        if (!category.empty()) co_await ensure_in_qbt(s, server, category);
        co_await s.ctx.servers->client(server).call("POST", "/api/v2/torrents/" + path,
                                                    "hashes=" + http::form_encode(hashes) + rest,
                                                    http::kFormType);
        s.ctx.servers->poke(server);
    }
}

// The user's torrents carrying a name (a category, or a tag), by qBittorrent's id.
std::vector<std::string> carrying(const qbt::Snapshot& snap, std::int64_t user,
                                  const std::string& name, bool category) {
    std::vector<std::string> out;
    for (const auto* e : owned(snap, user)) {
        auto tags = visible_tags(e->tags);
        if (category ? e->category == name
                     : std::find(tags.begin(), tags.end(), name) != tags.end())
            out.push_back(e->hash);
    }
    return out;
}

// --- Categories -----------------------------------------------------------------------------

asio::awaitable<http::Response> categories(Services& s, http::Request&, Caller& c) {
    auto folder = co_await folder_of(s, c.a.user);
    auto labels = labels_of(s, c.a.user.id, *s.ctx.registry->snapshot(), folder);
    json::object out;
    for (const auto& [name, path] : labels.categories)
        out[name] = json::object{{"name", name}, {"savePath", path}};
    co_return json_answer(out);
}

asio::awaitable<http::Response> put_category(Services& s, http::Request& req, Caller& c,
                                             bool edit) {
    Form f(req);
    auto name = required(f, "category");
    if (!valid_category(name)) co_return text("Invalid category name", 400);
    auto folder = co_await folder_of(s, c.a.user);
    auto rel = inside_folder(folder, str::trim(f.value_or("savePath", "")));
    if (!rel) co_return text("Invalid save path: it must be inside your folder", 400);
    // An empty savePath is the category's name, as qBittorrent makes it.
    store::Label l{"category", name, rel->empty() ? name : *rel};
    // A name the user's torrents carry (given at add) exists as well, as in qBittorrent.
    auto labels = labels_of(s, c.a.user.id, *s.ctx.registry->snapshot(), folder);
    bool exists = labels.categories.count(name) > 0;
    if (!edit && exists) co_return text("Category already exists", 409);
    if (edit && !exists) co_return text("Category does not exist", 409);
    if (!s.ctx.store.put_label(c.a.user.id, l, true)) s.ctx.store.put_label(c.a.user.id, l, false);
    co_return text("");
}

asio::awaitable<http::Response> remove_categories(Services& s, http::Request& req, Caller& c) {
    Form f(req);
    auto names = split_list(required(f, "categories"), '\n');
    s.ctx.store.delete_labels(c.a.user.id, "category", names);
    auto snap = s.ctx.registry->snapshot();
    std::vector<std::string> hashes;
    for (const auto& n : names)
        for (auto& h : carrying(*snap, c.a.user.id, n, true)) hashes.push_back(std::move(h));
    if (!hashes.empty()) co_await send(s, "setCategory", hashes, "&category=");
    co_return text("");
}

asio::awaitable<http::Response> set_category(Services& s, http::Request& req, Caller& c) {
    Form f(req);
    auto hashes = required(f, "hashes");
    auto name = std::string(str::trim(required(f, "category")));
    if (!name.empty()) {
        auto folder = co_await folder_of(s, c.a.user);
        auto labels = labels_of(s, c.a.user.id, *s.ctx.registry->snapshot(), folder);
        if (!labels.categories.count(name)) co_return text("Incorrect category name", 409);
    }
    auto own = owned_hashes(*s.ctx.registry->snapshot(), c.a.user.id, hashes);
    if (own.empty()) co_return text("");
    co_await send(s, "setCategory", own, "&category=" + http::form_encode(name), name);
    co_return text("");
}

// --- Tags -----------------------------------------------------------------------------------

asio::awaitable<http::Response> tags(Services& s, http::Request&, Caller& c) {
    auto folder = co_await folder_of(s, c.a.user);
    auto labels = labels_of(s, c.a.user.id, *s.ctx.registry->snapshot(), folder);
    json::array out;
    for (const auto& t : labels.tags) out.push_back(json::string(t));
    co_return json_answer(out);
}

// The tags a request names, each one a tag a user may give; 400 otherwise.
std::vector<std::string> tag_list(const Form& f) {
    auto list = split_list(required(f, "tags"), ',');
    for (const auto& t : list)
        if (!valid_tag(t)) throw Refusal{400, "Invalid tag name"};
    return list;
}

asio::awaitable<http::Response> create_tags(Services& s, http::Request& req, Caller& c) {
    for (const auto& t : tag_list(Form(req)))
        s.ctx.store.put_label(c.a.user.id, {"tag", t, ""}, false);
    co_return text("");
}

asio::awaitable<http::Response> delete_tags(Services& s, http::Request& req, Caller& c) {
    auto list = tag_list(Form(req));
    s.ctx.store.delete_labels(c.a.user.id, "tag", list);
    auto snap = s.ctx.registry->snapshot();
    for (const auto& t : list)
        if (auto hashes = carrying(*snap, c.a.user.id, t, false); !hashes.empty())
            co_await send(s, "removeTags", hashes, "&tags=" + http::form_encode(t));
    co_return text("");
}

asio::awaitable<http::Response> tag_torrents(Services& s, http::Request& req, Caller& c, bool add) {
    Form f(req);
    auto list = tag_list(f);
    auto own = owned_hashes(*s.ctx.registry->snapshot(), c.a.user.id, required(f, "hashes"));
    // Never an empty list: qBittorrent's removeTags without tags removes every tag, essaim's
    // ownership tag among them.
    if (own.empty() || list.empty()) co_return text("");
    if (add)
        for (const auto& t : list) s.ctx.store.put_label(c.a.user.id, {"tag", t, ""}, false);
    // Arguments built before the co_await (GCC and conditional temporaries: torrent_routes.cpp).
    std::string path = add ? "addTags" : "removeTags";
    std::string rest = "&tags=" + http::form_encode(str::join(list, ","));
    co_await send(s, path, own, rest);
    co_return text("");
}

}  // namespace

void register_label_routes(http::Router& r, Services& s) {
    auto put = [&s](bool edit) {
        return tool_route(s, true, [edit](Services& sv, http::Request& q, Caller& c) {
            return put_category(sv, q, c, edit);
        });
    };
    auto tag = [&s](bool add) {
        return tool_route(s, true, [add](Services& sv, http::Request& q, Caller& c) {
            return tag_torrents(sv, q, c, add);
        });
    };
    r.add_async("GET", "/api/v2/torrents/categories", tool_route(s, false, categories));
    r.add_async("POST", "/api/v2/torrents/categories", tool_route(s, false, categories));
    r.add_async("POST", "/api/v2/torrents/createCategory", put(false));
    r.add_async("POST", "/api/v2/torrents/editCategory", put(true));
    r.add_async("POST", "/api/v2/torrents/removeCategories",
                tool_route(s, true, remove_categories));
    r.add_async("POST", "/api/v2/torrents/setCategory", tool_route(s, true, set_category));
    r.add_async("GET", "/api/v2/torrents/tags", tool_route(s, false, tags));
    r.add_async("POST", "/api/v2/torrents/tags", tool_route(s, false, tags));
    r.add_async("POST", "/api/v2/torrents/createTags", tool_route(s, true, create_tags));
    r.add_async("POST", "/api/v2/torrents/deleteTags", tool_route(s, true, delete_tags));
    r.add_async("POST", "/api/v2/torrents/addTags", tag(true));
    r.add_async("POST", "/api/v2/torrents/removeTags", tag(false));
}

void register_routes(http::Router& r, Services& s) {
    register_app_routes(r, s);
    register_torrent_routes(r, s);
    register_label_routes(r, s);
}

}  // namespace essaim::qbtapi
