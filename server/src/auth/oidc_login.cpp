#include "auth/oidc_login.hpp"

#include "http/message.hpp"
#include "util/crypto.hpp"
#include "util/strings.hpp"

#include <boost/json.hpp>

namespace essaim::auth {
namespace json = boost::json;

namespace {

std::string text_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool lists(const json::object& o, std::string_view key, std::string_view value) {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_array()) return true;  // not said: assumed (the code flow is mandatory)
    for (const auto& x : v->as_array())
        if (x.is_string() && x.as_string() == value) return true;
    return false;
}

std::string hmac_key(std::string_view key) {
    return crypto::hmac_sha256(key, "essaim oidc login");
}

}  // namespace

Discovery parse_discovery(std::string_view text, std::string_view issuer, bool allow_http) {
    auto bad = [](const std::string& why) {
        return OidcError("discovery_invalid",
                         "document de découverte du fournisseur refusé : " + why);
    };
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) throw bad("ce n'est pas un document JSON");
    const auto& o = v.as_object();
    Discovery d{text_of(o, "issuer"),
                text_of(o, "authorization_endpoint"),
                text_of(o, "token_endpoint"),
                text_of(o, "jwks_uri"),
                text_of(o, "end_session_endpoint"),
                text_of(o, "userinfo_endpoint")};
    if (d.issuer != issuer)
        throw bad("il annonce l'émetteur « " + d.issuer + " » au lieu de « " + std::string(issuer) +
                  " »");
    auto url_ok = [&](const std::string& u) {
        return str::starts_with(u, "https://") || (allow_http && str::starts_with(u, "http://"));
    };
    for (const auto* u : {&d.issuer, &d.authorization_endpoint, &d.token_endpoint, &d.jwks_uri})
        if (!url_ok(*u))
            throw bad(u->empty() ? "une adresse manque (authorization_endpoint, token_endpoint, "
                                   "jwks_uri)"
                                 : "« " + *u + " » n'est pas une adresse https://");
    if (!d.end_session_endpoint.empty() && !url_ok(d.end_session_endpoint))
        d.end_session_endpoint.clear();
    if (!d.userinfo_endpoint.empty() && !url_ok(d.userinfo_endpoint)) d.userinfo_endpoint.clear();
    if (!lists(o, "response_types_supported", "code"))
        throw bad("il ne propose pas le flux « code »");
    if (!lists(o, "code_challenge_methods_supported", "S256"))
        throw bad("il ne propose pas PKCE S256");
    return d;
}

void merge_userinfo(IdToken& token, std::string_view body) {
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if (ec || !v.is_object())
        throw OidcError("userinfo_invalid",
                        "la réponse userinfo du fournisseur n'est pas un objet JSON");
    const auto& o = v.as_object();
    if (text_of(o, "sub") != token.sub)
        throw OidcError("userinfo_invalid",
                        "la réponse userinfo du fournisseur concerne un autre utilisateur que le "
                        "jeton d'identité");
    for (const auto& [k, val] : o)
        if (!token.claims.contains(k)) token.claims[k] = val;
}

std::string local_path(std::string_view wanted) {
    // "//host" and "/\\host" are other sites to a browser.
    if (str::starts_with(wanted, "/") && !str::starts_with(wanted, "//") &&
        wanted.find('\\') == std::string_view::npos && wanted.size() < 512)
        return std::string(wanted);
    return "/";
}

LoginState new_login(std::int64_t now, std::string_view return_to) {
    return {crypto::random_token(32), crypto::random_token(32), crypto::random_token(32),
            local_path(return_to), now + kLoginTtl};
}

namespace {

// base64url(JSON) "." base64url(HMAC-SHA256(key, that)); "e" is the expiry (unix seconds).
std::string seal(const json::object& o, std::string_view key) {
    auto body = crypto::base64url_encode(json::serialize(o));
    return body + "." + crypto::base64url_encode(crypto::hmac_sha256(hmac_key(key), body));
}

// The object sealed in `cookie` when the seal is ours and "e" has not passed, else nullopt.
std::optional<json::object> open_sealed(std::string_view cookie, std::string_view key,
                                        std::int64_t now) {
    auto dot = cookie.find('.');
    if (dot == std::string_view::npos || cookie.size() > 4096) return std::nullopt;
    auto body = cookie.substr(0, dot);
    auto mac = crypto::base64url_decode(cookie.substr(dot + 1));
    if (!mac || !crypto::constant_time_equal(*mac, crypto::hmac_sha256(hmac_key(key), body)))
        return std::nullopt;
    auto bytes = crypto::base64url_decode(body);
    if (!bytes) return std::nullopt;
    boost::system::error_code ec;
    auto v = json::parse(*bytes, ec);
    if (ec || !v.is_object()) return std::nullopt;
    const auto* e = v.as_object().if_contains("e");
    if (!e || !e->is_int64() || now > e->as_int64()) return std::nullopt;
    return std::move(v.as_object());
}

}  // namespace

std::string seal_login(const LoginState& s, std::string_view key) {
    return seal({{"s", s.state},
                 {"n", s.nonce},
                 {"v", s.verifier},
                 {"r", s.return_to},
                 {"e", s.expires_at}},
                key);
}

std::optional<LoginState> open_login(std::string_view cookie, std::string_view key,
                                     std::int64_t now) {
    auto o = open_sealed(cookie, key, now);
    if (!o || o->contains("k")) return std::nullopt;  // "k": a logout hint, not a login
    LoginState s{text_of(*o, "s"), text_of(*o, "n"), text_of(*o, "v"), text_of(*o, "r"),
                 o->at("e").as_int64()};
    if (s.state.empty() || s.nonce.empty() || s.verifier.empty()) return std::nullopt;
    return s;
}

std::string seal_logout(const LogoutHint& h, std::string_view key) {
    // An ID token that would not fit in a cookie is left out: the provider then asks which
    // session to end (client_id alone identifies essaim).
    auto hint = h.id_token.size() <= kMaxIdTokenHint ? h.id_token : std::string();
    return seal({{"k", "logout"}, {"i", h.session_id}, {"t", hint}, {"e", h.expires_at}}, key);
}

std::optional<LogoutHint> open_logout(std::string_view cookie, std::string_view key,
                                      std::int64_t now) {
    auto o = open_sealed(cookie, key, now);
    if (!o || text_of(*o, "k") != "logout") return std::nullopt;
    LogoutHint h{text_of(*o, "i"), text_of(*o, "t"), o->at("e").as_int64()};
    if (h.session_id.empty()) return std::nullopt;
    return h;
}

std::string pkce_challenge(std::string_view verifier) {
    return crypto::base64url_encode(crypto::sha256(verifier));
}

std::string authorization_url(const Discovery& d, const Client& c, const LoginState& s) {
    std::string scopes = c.scopes;
    bool has_openid = false;
    for (auto part : str::split(scopes, ' '))
        if (part == "openid") has_openid = true;
    if (!has_openid) scopes = "openid" + (scopes.empty() ? "" : " " + scopes);
    std::string url = d.authorization_endpoint;
    url += d.authorization_endpoint.find('?') == std::string::npos ? '?' : '&';
    url += "response_type=code&client_id=" + http::form_encode(c.client_id) +
           "&redirect_uri=" + http::form_encode(c.redirect_uri) +
           "&scope=" + http::form_encode(scopes) + "&state=" + http::form_encode(s.state) +
           "&nonce=" + http::form_encode(s.nonce) +
           "&code_challenge=" + http::form_encode(pkce_challenge(s.verifier)) +
           "&code_challenge_method=S256";
    return url;
}

std::string end_session_url(const Discovery& d, const std::string& client_id,
                            const std::string& id_token_hint,
                            const std::string& post_logout_redirect_uri) {
    if (d.end_session_endpoint.empty()) return "";
    std::string url = d.end_session_endpoint;
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += "client_id=" + http::form_encode(client_id);
    if (!id_token_hint.empty()) url += "&id_token_hint=" + http::form_encode(id_token_hint);
    if (!post_logout_redirect_uri.empty())
        url += "&post_logout_redirect_uri=" + http::form_encode(post_logout_redirect_uri) +
               "&state=" + kLogoutState;
    return url;
}

std::vector<std::pair<std::string, std::string>> parse_group_map(std::string_view text) {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto line : str::split(text, '\n')) {
        auto t = str::trim(line);
        if (t.empty() || t.front() == '#') continue;
        auto eq = t.find('=');
        auto left = eq == std::string_view::npos ? "" : str::trim(t.substr(0, eq));
        auto right = eq == std::string_view::npos ? "" : str::trim(t.substr(eq + 1));
        if (left.empty() || right.empty())
            throw OidcError("group_map_invalid",
                            "ligne « " + std::string(t) +
                                " » : écrivez « groupe-du-fournisseur = Groupe essaim »");
        out.emplace_back(std::string(left), std::string(right));
    }
    return out;
}

std::optional<std::string> map_group(const json::object& claims, std::string_view group_claim,
                                     std::string_view group_map) {
    if (group_claim.empty()) return std::nullopt;
    std::vector<std::string> theirs;
    if (const auto* v = claims.if_contains(group_claim)) {
        if (v->is_string()) theirs.emplace_back(v->as_string());
        if (v->is_array())
            for (const auto& g : v->as_array())
                if (g.is_string()) theirs.emplace_back(g.as_string());
    }
    for (const auto& [provider, ours] : parse_group_map(group_map))
        for (const auto& g : theirs)
            if (g == provider) return ours;
    return std::nullopt;
}

std::string username_for(const json::object& claims,
                         const std::function<bool(const std::string&)>& taken) {
    std::string wanted = text_of(claims, "preferred_username");
    if (wanted.empty()) {
        auto email = text_of(claims, "email");
        wanted = email.substr(0, email.find('@'));
    }
    std::string base;
    for (char c : wanted)
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '_' || c == '-')
            base += c;
    if (base.size() > 28) base.resize(28);
    if (base.size() < 3) base = "utilisateur";
    if (!taken(base)) return base;
    for (int i = 2; i < 10000; ++i) {
        auto name = base + std::to_string(i);
        if (!taken(name)) return name;
    }
    return base + crypto::random_token(3);
}

}  // namespace essaim::auth
