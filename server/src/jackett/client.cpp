#include "jackett/client.hpp"

#include "http/message.hpp"
#include "store/settings_view.hpp"

#include <boost/asio.hpp>

namespace essaim::jackett {
namespace asio = boost::asio;

namespace {

void check_configured(const Settings& s) {
    if (s.url.empty() || s.api_key.empty())
        throw JackettError(
            "jackett_not_configured", 503,
            "La recherche n'est pas disponible : aucun serveur Jackett n'est configuré.");
}

void check_response(const http::ClientResponse& r, const Settings& s) {
    if (r.status == 0) {
        if (r.timed_out)
            throw JackettError("jackett_timeout", 504,
                               "Jackett n'a pas répondu à temps (" +
                                   std::to_string(s.timeout.count()) +
                                   " s). Réessayez, ou limitez la recherche à un indexeur.");
        throw JackettError("jackett_unreachable", 502,
                           "Jackett est injoignable : " + r.error + ".");
    }
    if (r.status == 401 || r.status == 403)
        throw JackettError("jackett_auth_failed", 502, "Jackett refuse la clé d'API configurée.");
    if (r.status != 200)
        throw JackettError(
            "jackett_unreachable", 502,
            "Jackett a répondu par une erreur (HTTP " + std::to_string(r.status) + ").");
}

std::string xml_unescape(std::string s) {
    static const std::pair<const char*, const char*> ents[] = {
        {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
    for (auto [from, to] : ents) {
        std::size_t pos = 0;
        std::string f(from);
        while ((pos = s.find(f, pos)) != std::string::npos) {
            s.replace(pos, f.size(), to);
            pos += std::string_view(to).size();
        }
    }
    return s;
}

}  // namespace

Settings settings_of(store::Store& st) {
    Settings s;
    s.url = store::text(st, settings::jackett_url);
    while (!s.url.empty() && s.url.back() == '/') s.url.pop_back();
    s.api_key = store::text(st, settings::jackett_api_key);
    s.timeout = std::chrono::seconds(store::number(st, settings::jackett_timeout));
    return s;
}

std::string user_message(const std::string& code) {
    if (code == "jackett_not_configured")
        return "La recherche n'est pas disponible : aucun serveur Jackett n'est configuré.";
    if (code == "jackett_timeout")
        return "Jackett n'a pas répondu à temps. Réessayez, ou limitez la recherche à un indexeur.";
    if (code == "jackett_auth_failed")
        return "La recherche est indisponible : Jackett refuse la connexion d'essaim. Prévenez "
               "l'administrateur.";
    return "La recherche est indisponible pour le moment : Jackett ne répond pas.";
}

std::vector<std::pair<std::string, std::string>> parse_torznab_indexers(std::string_view xml) {
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t pos = 0;
    while ((pos = xml.find("<indexer ", pos)) != std::string_view::npos) {
        auto end = xml.find("</indexer>", pos);
        if (end == std::string_view::npos) break;
        auto block = xml.substr(pos, end - pos);
        pos = end;
        auto id_at = block.find("id=\"");
        if (id_at == std::string_view::npos) continue;
        auto id_end = block.find('"', id_at + 4);
        auto t0 = block.find("<title>"), t1 = block.find("</title>");
        std::string id(block.substr(id_at + 4, id_end - id_at - 4));
        std::string title = t0 != std::string_view::npos && t1 > t0
                                ? std::string(block.substr(t0 + 7, t1 - t0 - 7))
                                : id;
        out.emplace_back(xml_unescape(id), xml_unescape(title));
    }
    return out;
}

asio::awaitable<SearchResponse> search(Settings s, std::string query, std::vector<int> categories,
                                       std::string indexer) {
    check_configured(s);
    std::string url = s.url +
                      "/api/v2.0/indexers/all/results?apikey=" + http::form_encode(s.api_key) +
                      "&Query=" + http::form_encode(query);
    for (int c : categories) url += "&Category%5B%5D=" + std::to_string(c);
    if (!indexer.empty()) url += "&Tracker%5B%5D=" + http::form_encode(indexer);
    http::ClientRequest req{"GET", url, {{"Accept", "application/json"}}, {}, s.timeout, 32u << 20};
    auto res = co_await http::fetch(std::move(req));
    check_response(res, s);
    try {
        co_return parse_results(res.body);
    } catch (const std::invalid_argument& e) {
        throw JackettError("jackett_unreachable", 502, e.what());
    }
}

asio::awaitable<std::vector<std::pair<std::string, std::string>>> indexers(Settings s) {
    check_configured(s);
    std::string url = s.url + "/api/v2.0/indexers/all/results/torznab/api?apikey=" +
                      http::form_encode(s.api_key) + "&t=indexers&configured=true";
    // A named request: g++ 12 mishandles braced temporaries inside co_await (double free).
    http::ClientRequest req{"GET", url, {}, {}, std::chrono::seconds(10), 4u << 20};
    auto res = co_await http::fetch(std::move(req));
    check_response(res, s);
    if (res.body.find("<error") != std::string::npos)
        throw JackettError("jackett_auth_failed", 502, "Jackett refuse la clé d'API configurée.");
    co_return parse_torznab_indexers(res.body);
}

}  // namespace essaim::jackett
