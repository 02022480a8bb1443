#include "auth/oidc_client.hpp"

#include "http/client.hpp"
#include "http/message.hpp"
#include "util/crypto.hpp"

#include <boost/json.hpp>

namespace essaim::auth {
namespace json = boost::json;

namespace {

constexpr std::int64_t kDiscoveryTtl = 3600;
constexpr std::int64_t kKeysRefetchGap = 10;

boost::asio::awaitable<std::string> get(const Provider& p, const std::string& url, const char* what,
                                        const std::string& bearer = "") {
    http::ClientRequest req;
    req.url = url;
    req.timeout = std::chrono::seconds(10);
    req.max_response_bytes = 1 << 20;
    req.allow_private = p.allow_private;
    req.headers = {{"Accept", "application/json"}};
    if (!bearer.empty()) req.headers.emplace_back("Authorization", "Bearer " + bearer);
    auto res = co_await http::fetch(req);
    if (res.status == 0)
        throw OidcError("provider_unreachable",
                        "impossible de lire " + std::string(what) + " : " + res.error);
    if (res.status != 200)
        throw OidcError("provider_error", "impossible de lire " + std::string(what) +
                                              " : le fournisseur répond " +
                                              std::to_string(res.status));
    co_return res.body;
}

std::string issuer_of(const Provider& p) {
    std::string i = p.issuer;
    while (!i.empty() && i.back() == '/') i.pop_back();
    return i;
}

}  // namespace

void OidcClient::forget() {
    std::lock_guard lock(mu_);
    cache_.clear();
}

boost::asio::awaitable<Discovery> OidcClient::discovery(const Provider& p, std::int64_t now) {
    {
        std::lock_guard lock(mu_);
        auto it = cache_.find(p.issuer);
        if (it != cache_.end() && now - it->second.doc_at < kDiscoveryTtl) co_return it->second.doc;
    }
    auto body = co_await get(p, issuer_of(p) + "/.well-known/openid-configuration",
                             "le document de découverte");
    auto doc = parse_discovery(body, p.issuer, p.allow_private);
    std::lock_guard lock(mu_);
    auto& c = cache_[p.issuer];
    c.doc = doc;
    c.doc_at = now;
    co_return doc;
}

boost::asio::awaitable<std::shared_ptr<const Jwks>> OidcClient::keys(const Provider& p,
                                                                     const Discovery& d,
                                                                     bool refresh,
                                                                     std::int64_t now) {
    {
        std::lock_guard lock(mu_);
        auto& c = cache_[p.issuer];
        if (c.keys && !refresh) co_return c.keys;
        if (c.keys && now - c.refreshed_at < kKeysRefetchGap) co_return c.keys;
    }
    auto body = co_await get(p, d.jwks_uri, "les clés du fournisseur (JWKS)");
    auto parsed = std::make_shared<const Jwks>(Jwks::parse(body));
    std::lock_guard lock(mu_);
    auto& c = cache_[p.issuer];
    c.keys = parsed;
    if (refresh) c.refreshed_at = now;
    co_return parsed;
}

boost::asio::awaitable<SignedIn> OidcClient::exchange(const Provider& p, const std::string& code,
                                                      const std::string& redirect_uri,
                                                      const LoginState& login, std::int64_t now) {
    auto d = co_await discovery(p, now);
    http::ClientRequest req;
    req.method = "POST";
    req.url = d.token_endpoint;
    req.timeout = std::chrono::seconds(10);
    req.max_response_bytes = 1 << 20;
    req.allow_private = p.allow_private;
    // client_secret_basic: RFC 6749 §2.3.1 form-encodes id and secret before base64.
    req.headers = {
        {"Content-Type", http::kFormType},
        {"Accept", "application/json"},
        {"Authorization", "Basic " + crypto::base64_encode(http::form_encode(p.client_id) + ":" +
                                                           http::form_encode(p.client_secret))}};
    req.body = "grant_type=authorization_code&code=" + http::form_encode(code) +
               "&redirect_uri=" + http::form_encode(redirect_uri) +
               "&code_verifier=" + http::form_encode(login.verifier);
    auto res = co_await http::fetch(req);
    if (res.status == 0)
        throw OidcError("provider_unreachable", "fournisseur injoignable : " + res.error);
    boost::system::error_code ec;
    auto v = json::parse(res.body, ec);
    const json::object* o = !ec && v.is_object() ? &v.as_object() : nullptr;
    if (res.status != 200 || !o) {
        std::string why = o && o->if_contains("error") && o->at("error").is_string()
                              ? std::string(o->at("error").as_string())
                              : "réponse " + std::to_string(res.status);
        throw OidcError("token_refused", "le fournisseur refuse le code (" + why + ")");
    }
    const auto* idt = o->if_contains("id_token");
    if (!idt || !idt->is_string())
        throw OidcError("token_refused", "le fournisseur n'a pas renvoyé de jeton d'identité");
    std::string raw(idt->as_string());
    Expected e{p.issuer, p.client_id, login.nonce, now, 60};
    auto header = peek_header(raw);
    auto k = co_await keys(p, d, false, now);
    if (!header.kid.empty() && !k->has(header.kid)) k = co_await keys(p, d, true, now);
    auto token = verify_id_token(raw, *k, e);
    // The claims the ID token leaves to userinfo (groups, e-mail, names at some providers).
    const auto* access = o->if_contains("access_token");
    if (!d.userinfo_endpoint.empty() && access && access->is_string()) {
        auto body = co_await get(p, d.userinfo_endpoint, "les informations de l'utilisateur",
                                 std::string(access->as_string()));
        merge_userinfo(token, body);
    }
    co_return SignedIn{std::move(token), raw};
}

boost::asio::awaitable<OidcClient::Tested> OidcClient::test(const Provider& p, std::int64_t now) {
    forget();
    auto d = co_await discovery(p, now);
    auto k = co_await keys(p, d, true, now);
    co_return Tested{std::move(d), k->size()};
}

}  // namespace essaim::auth
