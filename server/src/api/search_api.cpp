// /api/search: Jackett search for users with the `search` permission, and adding a result.
// Results are kept server-side (last 3 searches per user, 30 minutes) behind random ids, so
// Jackett's links — which carry its API key — never reach the browser, and a result can only be
// added by the user who searched for it. Each successful search is also remembered in the
// user's recent searches (the last 20, in the database; listed, replayed and cleared by the page).
#include "api/context.hpp"
#include "api/errors.hpp"
#include "auth/policy.hpp"
#include "jackett/client.hpp"
#include "qbt/adder.hpp"
#include "qbt/registry.hpp"
#include "qbt/url_fetch.hpp"
#include "util/clock.hpp"
#include "util/crypto.hpp"
#include "util/strings.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <deque>
#include <mutex>
#include <unordered_map>

namespace essaim::api {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

struct Kept {
    std::chrono::steady_clock::time_point at;
    std::unordered_map<std::string, jackett::SearchResult> by_id;
};

class SearchService {
  public:
    explicit SearchService(const Context& ctx) : ctx_(ctx) {}

    jackett::Settings settings() const { return jackett::settings_of(ctx_.store); }

    std::vector<std::string> keep(std::int64_t user,
                                  const std::vector<jackett::SearchResult>& results) {
        std::lock_guard lock(mu_);
        auto& searches = kept_[user];
        searches.push_back({std::chrono::steady_clock::now(), {}});
        if (searches.size() > 3) searches.pop_front();
        std::vector<std::string> ids;
        ids.reserve(results.size());
        for (const auto& r : results) {
            auto id = crypto::random_token(12);
            searches.back().by_id.emplace(id, r);
            ids.push_back(std::move(id));
        }
        return ids;
    }

    std::optional<jackett::SearchResult> find(std::int64_t user, const std::string& id) {
        std::lock_guard lock(mu_);
        auto it = kept_.find(user);
        if (it == kept_.end()) return std::nullopt;
        auto now = std::chrono::steady_clock::now();
        for (const auto& s : it->second) {
            if (now - s.at > std::chrono::minutes(30)) continue;
            auto r = s.by_id.find(id);
            if (r != s.by_id.end()) return r->second;
        }
        return std::nullopt;
    }

  private:
    const Context& ctx_;
    std::mutex mu_;
    std::unordered_map<std::int64_t, std::deque<Kept>> kept_;
};

constexpr std::size_t kRecentSearches = 20;

std::vector<int> categories_for(const std::string& c) {
    if (c.empty() || c == "tout") return {};
    if (c == "films") return {2000};
    if (c == "series") return {5000};
    if (c == "musique") return {3000};
    if (c == "livres") return {7000};
    if (c == "logiciels") return {4000};
    if (c == "jeux") return {1000, 4050};
    throw ApiError(422, "invalid_category",
                   "Catégorie inconnue (tout, films, series, musique, livres, logiciels, jeux).",
                   "category");
}

// Jackett's own text (an indexer's error can quote the API key) and address stay in the log.
[[noreturn]] void rethrow(const jackett::JackettError& e) {
    spdlog::warn("Jackett : {} ({})", e.what(), e.code);
    throw ApiError(e.status, e.code, jackett::user_message(e.code));
}

json::value opt(const std::optional<std::int64_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

asio::awaitable<http::Response> do_search(const Context& ctx, SearchService& svc,
                                          http::Request& req) {
    auto a = require_user(ctx, req);
    auth::require_permission(a.user, "search");
    auto q = std::string(str::trim(req.query_param("q").value_or("")));
    if (q.empty()) throw ApiError(422, "missing_query", "Saisissez ce que vous cherchez.", "q");
    if (q.size() > 200)
        throw ApiError(422, "invalid_query",
                       "La recherche est trop longue (200 caractères au plus).", "q");
    auto category = req.query_param("category").value_or("tout");
    if (category.empty()) category = "tout";
    auto cats = categories_for(category);
    auto indexer = req.query_param("indexer").value_or("");
    auto started = std::chrono::steady_clock::now();
    jackett::SearchResponse resp;
    try {
        resp = co_await jackett::search(svc.settings(), q, cats, indexer);
    } catch (const jackett::JackettError& e) {
        rethrow(e);
    }
    jackett::sort_by_seeders(resp.results);
    ctx.store.record_search(
        a.user.id,
        {0, q, category, indexer, static_cast<std::int64_t>(resp.results.size()), util::unix_now()},
        kRecentSearches);
    auto ids = svc.keep(a.user.id, resp.results);
    auto snap = ctx.registry->snapshot();
    json::array results;
    for (std::size_t i = 0; i < resp.results.size(); ++i) {
        const auto& r = resp.results[i];
        // Already yours ("added", with its hash to open it), or on the server for someone else
        // ("on_server": an add would be refused as a duplicate, which says as much).
        json::value added = nullptr;
        bool on_server = false;
        if (!r.info_hash.empty())
            if (const auto* e = snap->find(r.info_hash); e && !e->removed) {
                on_server = true;
                if (e->owner_id == a.user.id) added = json::object{{"hash", e->hash}};
            }
        results.push_back(json::object{
            {"id", ids[i]},
            {"title", r.title},
            {"tracker", r.tracker},
            {"tracker_id", r.tracker_id},
            {"category", r.category_desc},
            {"size", opt(r.size)},
            {"seeders", opt(r.seeders)},
            {"leechers", opt(r.leechers)},
            {"grabs", opt(r.grabs)},
            {"published", opt(r.published)},
            {"details_url",
             r.details_url.empty() ? json::value(nullptr) : json::value(r.details_url)},
            {"freeleech", r.download_factor && *r.download_factor == 0.0},
            {"info_hash", r.info_hash.empty() ? json::value(nullptr) : json::value(r.info_hash)},
            {"added", added},
            {"on_server", on_server}});
    }
    json::array indexers, failed;
    for (const auto& i : resp.indexers) {
        indexers.push_back(
            json::object{{"id", i.id},
                         {"name", i.name},
                         {"ok", i.ok},
                         {"results", i.results},
                         {"elapsed_ms", i.elapsed_ms},
                         // Never the indexer's own text: it can carry Jackett's API key.
                         {"error", i.error.empty() ? json::value(nullptr)
                                                   : json::value("Cet indexeur n'a pas répondu "
                                                                 "correctement.")}});
        if (!i.ok) failed.push_back(json::value(i.name));
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    co_return http::Response::json(200, json::object{{"results", std::move(results)},
                                                     {"indexers", std::move(indexers)},
                                                     {"failed", std::move(failed)},
                                                     {"elapsed_ms", ms.count()}});
}

asio::awaitable<http::Response> list_indexers(const Context& ctx, SearchService& svc,
                                              http::Request& req) {
    auto a = require_user(ctx, req);
    auth::require_permission(a.user, "search");
    std::vector<std::pair<std::string, std::string>> list;
    try {
        list = co_await jackett::indexers(svc.settings());
    } catch (const jackett::JackettError& e) {
        rethrow(e);
    }
    json::array out;
    for (auto& [id, name] : list) out.push_back(json::object{{"id", id}, {"name", name}});
    co_return http::Response::json(200, json::object{{"indexers", std::move(out)}});
}

http::Response list_recent(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    auth::require_permission(a.user, "search");
    json::array out;
    for (const auto& s : ctx.store.recent_searches(a.user.id))
        out.push_back(json::object{{"id", s.id},
                                   {"q", s.query},
                                   {"category", s.category},
                                   {"indexer", s.indexer},
                                   {"results", s.results},
                                   {"searched_at", s.searched_at}});
    return http::Response::json(200, json::object{{"searches", std::move(out)}});
}

// DELETE /api/search/recent clears the list; /api/search/recent/{id} forgets one search.
http::Response forget_recent(const Context& ctx, http::Request& req) {
    auto a = require_user(ctx, req);
    auth::require_permission(a.user, "search");
    std::int64_t id = 0;
    if (auto it = req.params.find("id"); it != req.params.end()) {
        auto parsed = str::parse_uint(it->second);
        if (!parsed || *parsed <= 0)
            throw ApiError(404, "not_found", "Cette recherche récente n'existe pas.");
        id = *parsed;
        if (ctx.store.delete_recent_searches(a.user.id, id) == 0)
            throw ApiError(404, "not_found", "Cette recherche récente n'existe pas.");
    } else {
        ctx.store.delete_recent_searches(a.user.id, 0);
    }
    return http::Response::no_content();
}

asio::awaitable<http::Response> add_result(const Context& ctx, SearchService& svc,
                                           http::Request& req) {
    auto a = require_user(ctx, req);
    auth::require_permission(a.user, "search");
    auto body = parse_json_object(req);
    auto id = req_string(body, "id");
    auto r = svc.find(a.user.id, id);
    if (!r)
        throw ApiError(404, "search_result_expired",
                       "Ce résultat n'est plus disponible : relancez la recherche.");
    qbt::AddInput in;
    in.kind = qbt::AddInput::Kind::search;
    in.label = r->title;
    in.data = !r->magnet.empty() ? r->magnet : r->link;
    in.allowed_origin = qbt::url_origin(svc.settings().url);
    auto res = co_await ctx.adder->add(a.user, std::move(in));
    json::object o{{"ok", res.ok}};
    if (res.ok) {
        o["hash"] = res.hash;
        o["name"] = res.name;
    } else {
        o["error"] = json::object{{"code", res.code}, {"message", res.message}};
    }
    co_return http::Response::json(200, o);
}

}  // namespace

void register_search_routes(http::Router& r, const Context& ctx) {
    using http::Exec;
    auto svc = std::make_shared<SearchService>(ctx);
    r.add_async("GET", "/api/search",
                [&ctx, svc](http::Request& q) { return do_search(ctx, *svc, q); });
    r.add_async("GET", "/api/search/indexers",
                [&ctx, svc](http::Request& q) { return list_indexers(ctx, *svc, q); });
    r.add(
        "GET", "/api/search/recent", [&ctx](http::Request& q) { return list_recent(ctx, q); },
        Exec::worker);
    r.add(
        "DELETE", "/api/search/recent", [&ctx](http::Request& q) { return forget_recent(ctx, q); },
        Exec::worker);
    r.add(
        "DELETE", "/api/search/recent/{id}",
        [&ctx](http::Request& q) { return forget_recent(ctx, q); }, Exec::worker);
    r.add_async("POST", "/api/search/add",
                [&ctx, svc](http::Request& q) { return add_result(ctx, *svc, q); });
}

}  // namespace essaim::api
