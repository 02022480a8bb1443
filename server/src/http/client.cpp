#include "http/client.hpp"

#include "util/strings.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

namespace essaim::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

std::string ClientResponse::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (str::iequals(k, name)) return v;
    return {};
}

std::vector<std::string> ClientResponse::header_all(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : headers)
        if (str::iequals(k, name)) out.push_back(v);
    return out;
}

asio::awaitable<ClientResponse> fetch(ClientRequest req) {
    ClientResponse out;
    auto u = boost::urls::parse_absolute_uri(req.url);
    if (!u || (u->scheme() != "http")) {
        out.error =
            "adresse invalide ou non prise en charge (seul http:// est accepté) : " + req.url;
        co_return out;
    }
    std::string host = u->host();
    std::string port = u->has_port() ? std::string(u->port()) : "80";
    std::string target = u->encoded_path().empty() ? "/" : std::string(u->encoded_path());
    if (u->has_query()) target += "?" + std::string(u->encoded_query());

    auto ex = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver(ex);
    beast::tcp_stream stream(ex);
    stream.expires_after(req.timeout);
    auto [rec, results] =
        co_await resolver.async_resolve(host, port, asio::as_tuple(asio::use_awaitable));
    if (rec) {
        out.error = "nom d'hôte introuvable : " + host;
        co_return out;
    }
    auto [cec, ep] = co_await stream.async_connect(results, asio::as_tuple(asio::use_awaitable));
    if (cec) {
        out.error = cec == beast::error::timeout
                        ? "délai dépassé pour se connecter à " + host + ":" + port
                        : "connexion refusée par " + host + ":" + port;
        co_return out;
    }
    bhttp::request<bhttp::string_body> r{bhttp::string_to_verb(req.method), target, 11};
    r.set(bhttp::field::host, u->has_port() ? host + ":" + port : host);
    r.set(bhttp::field::user_agent, "essaim/" ESSAIM_VERSION);
    for (const auto& [k, v] : req.headers) r.set(k, v);
    if (!req.body.empty() || req.method == "POST" || req.method == "PUT") {
        r.body() = std::move(req.body);
        r.prepare_payload();
    }
    auto [wec, wn] = co_await bhttp::async_write(stream, r, asio::as_tuple(asio::use_awaitable));
    (void)wn;
    if (wec) {
        out.error = "échec de l'envoi de la requête : " + wec.message();
        co_return out;
    }
    beast::flat_buffer buf;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64u << 20);
    auto [rdec, rn] =
        co_await bhttp::async_read(stream, buf, parser, asio::as_tuple(asio::use_awaitable));
    (void)rn;
    if (rdec) {
        out.error = rdec == beast::error::timeout ? "délai de réponse dépassé"
                                                  : "réponse illisible : " + rdec.message();
        co_return out;
    }
    auto res = parser.release();
    out.status = static_cast<int>(res.result_int());
    for (const auto& f : res)
        out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(res.body());
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    co_return out;
}

}  // namespace essaim::http
