#include "auth/oidc_login.hpp"
#include "http/message.hpp"
#include "util/crypto.hpp"
#include "util/strings.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <set>

namespace a = essaim::auth;
namespace json = boost::json;

namespace {

std::string discovery(json::object extra = {}) {
    json::object o{{"issuer", "https://id.example.org"},
                   {"authorization_endpoint", "https://id.example.org/auth"},
                   {"token_endpoint", "https://id.example.org/token"},
                   {"jwks_uri", "https://id.example.org/jwks"},
                   {"end_session_endpoint", "https://id.example.org/session/end"},
                   {"response_types_supported", json::array{"code"}},
                   {"code_challenge_methods_supported", json::array{"S256"}}};
    for (auto& [k, v] : extra) o[k] = v;
    return json::serialize(o);
}

std::string code_of(const std::string& doc, const char* issuer = "https://id.example.org",
                    bool http = false) {
    try {
        a::parse_discovery(doc, issuer, http);
        return "ok";
    } catch (const a::OidcError& e) {
        EXPECT_FALSE(std::string(e.what()).empty());
        return e.code;
    }
}

std::string param(const std::string& url, const std::string& name) {
    auto q = url.find('?');
    for (auto part : essaim::str::split(std::string_view(url).substr(q + 1), '&')) {
        auto eq = part.find('=');
        if (part.substr(0, eq) == name)
            return *essaim::http::percent_decode(part.substr(eq + 1), true);
    }
    return "<absent>";
}

}  // namespace

TEST(OidcLogin, DiscoveryMustNameItselfAndUseHttps) {
    auto d = a::parse_discovery(discovery(), "https://id.example.org", false);
    EXPECT_EQ(d.token_endpoint, "https://id.example.org/token");
    EXPECT_EQ(d.end_session_endpoint, "https://id.example.org/session/end");
    // A mix-up: the document of another issuer.
    EXPECT_EQ(code_of(discovery(), "https://other.example.org"), "discovery_invalid");
    // http only while private targets are allowed.
    auto local = discovery({{"issuer", "http://127.0.0.1:9"},
                            {"authorization_endpoint", "http://127.0.0.1:9/auth"},
                            {"token_endpoint", "http://127.0.0.1:9/token"},
                            {"jwks_uri", "http://127.0.0.1:9/jwks"}});
    EXPECT_EQ(code_of(local, "http://127.0.0.1:9", false), "discovery_invalid");
    EXPECT_EQ(code_of(local, "http://127.0.0.1:9", true), "ok");
    EXPECT_EQ(code_of(discovery({{"token_endpoint", "http://id.example.org/token"}})),
              "discovery_invalid");
    EXPECT_EQ(code_of(discovery({{"jwks_uri", ""}})), "discovery_invalid");
    EXPECT_EQ(code_of(discovery({{"code_challenge_methods_supported", json::array{"plain"}}})),
              "discovery_invalid");
    EXPECT_EQ(code_of(discovery({{"response_types_supported", json::array{"id_token"}}})),
              "discovery_invalid");
    EXPECT_EQ(code_of("<html>"), "discovery_invalid");
}

TEST(OidcLogin, UserinfoAddsWhatTheIdTokenLeftOutForTheSameSubjectOnly) {
    auto d = a::parse_discovery(discovery({{"userinfo_endpoint", "https://id.example.org/me"}}),
                                "https://id.example.org", false);
    EXPECT_EQ(d.userinfo_endpoint, "https://id.example.org/me");
    // Not https:// (private targets not allowed): not used, the login does not fail for it.
    EXPECT_EQ(a::parse_discovery(discovery({{"userinfo_endpoint", "http://id.example.org/me"}}),
                                 "https://id.example.org", false)
                  .userinfo_endpoint,
              "");

    a::IdToken t{"sub-1", {{"sub", "sub-1"}, {"name", "Signé"}}};
    a::merge_userinfo(t, R"({"sub":"sub-1","name":"Pas signé","groups":["famille"],
                             "email":"a@example.org","email_verified":true})");
    EXPECT_EQ(t.claims.at("name").as_string(), "Signé");  // the ID token's claim wins
    EXPECT_EQ(t.claims.at("groups").as_array().size(), 1u);
    EXPECT_EQ(t.claims.at("email").as_string(), "a@example.org");
    auto code = [&](std::string_view body) {
        a::IdToken u{"sub-1", {{"sub", "sub-1"}}};
        try {
            a::merge_userinfo(u, body);
            return std::string("ok");
        } catch (const a::OidcError& e) {
            EXPECT_TRUE(u.claims.size() == 1) << "nothing merged from a refused answer";
            return e.code;
        }
    };
    EXPECT_EQ(code(R"({"sub":"sub-2","groups":["admins"]})"), "userinfo_invalid");
    EXPECT_EQ(code(R"({"groups":["admins"]})"), "userinfo_invalid");      // no subject at all
    EXPECT_EQ(code("eyJhbGciOiJSUzI1NiJ9.e30.sig"), "userinfo_invalid");  // a signed JWT answer
    EXPECT_EQ(code("[]"), "userinfo_invalid");
}

TEST(OidcLogin, TheCookieIsSealedBoundedAndOurs) {
    auto s = a::new_login(1000, "/torrents?scope=all");
    EXPECT_EQ(s.expires_at, 1000 + a::kLoginTtl);
    EXPECT_EQ(s.return_to, "/torrents?scope=all");
    std::set<std::string> values{s.state, s.nonce, s.verifier};
    EXPECT_EQ(values.size(), 3u);       // three independent random values
    EXPECT_GE(s.verifier.size(), 43u);  // RFC 7636: 43–128 characters
    auto cookie = a::seal_login(s, "k");
    auto back = a::open_login(cookie, "k", 1500);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->state, s.state);
    EXPECT_EQ(back->nonce, s.nonce);
    EXPECT_EQ(back->verifier, s.verifier);
    EXPECT_FALSE(a::open_login(cookie, "another key", 1500));
    EXPECT_FALSE(a::open_login(cookie, "k", 1000 + a::kLoginTtl + 1));  // expired
    auto forged = cookie;
    forged[3] = forged[3] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(a::open_login(forged, "k", 1500));
    for (const char* bad : {"", ".", "abc", "a.b"}) EXPECT_FALSE(a::open_login(bad, "k", 1500));
    // Never another site after login.
    for (const char* away :
         {"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"})
        EXPECT_EQ(a::new_login(0, away).return_to, "/") << away;
}

TEST(OidcLogin, TheLogoutHintIsSealedApartFromTheLogin) {
    a::LogoutHint h{"session-1", "eyJhbGciOiJSUzI1NiJ9.payload.signature", 5000};
    auto cookie = a::seal_logout(h, "k");
    auto back = a::open_logout(cookie, "k", 4000);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->session_id, "session-1");
    EXPECT_EQ(back->id_token, h.id_token);
    EXPECT_FALSE(a::open_logout(cookie, "another key", 4000));
    EXPECT_FALSE(a::open_logout(cookie, "k", 5001));  // the session's end
    // Neither seal opens as the other, even under the same key.
    EXPECT_FALSE(a::open_login(cookie, "k", 4000));
    EXPECT_FALSE(a::open_logout(a::seal_login(a::new_login(1000, "/"), "k"), "k", 1500));
    // A token too big for a cookie is left out; the hint still names the session.
    h.id_token.assign(a::kMaxIdTokenHint + 1, 'x');
    auto big = a::open_logout(a::seal_logout(h, "k"), "k", 4000);
    ASSERT_TRUE(big);
    EXPECT_EQ(big->id_token, "");
    // The biggest hint kept still fits a browser's cookie (name and value under 4096 bytes).
    a::LogoutHint biggest{std::string(43, 's'), std::string(a::kMaxIdTokenHint, 'x'), 5000};
    EXPECT_LT(std::string(a::kLogoutCookie).size() + 1 + a::seal_logout(biggest, "k").size(),
              4096u);
}

TEST(OidcLogin, AuthorizationRequestCarriesStateNoncePkce) {
    auto d = a::parse_discovery(discovery(), "https://id.example.org", false);
    auto s = a::new_login(0, "/");
    auto url = a::authorization_url(
        d, {"essaim", "https://essaim.example/api/auth/oidc/callback", "profile email groups"}, s);
    EXPECT_EQ(url.rfind("https://id.example.org/auth?", 0), 0u) << url;
    EXPECT_EQ(param(url, "response_type"), "code");
    EXPECT_EQ(param(url, "client_id"), "essaim");
    EXPECT_EQ(param(url, "redirect_uri"), "https://essaim.example/api/auth/oidc/callback");
    EXPECT_EQ(param(url, "scope"), "openid profile email groups");
    EXPECT_EQ(param(url, "state"), s.state);
    EXPECT_EQ(param(url, "nonce"), s.nonce);
    EXPECT_EQ(param(url, "code_challenge_method"), "S256");
    EXPECT_EQ(param(url, "code_challenge"), a::pkce_challenge(s.verifier));
    EXPECT_EQ(param(url, "code_verifier"), "<absent>");  // the verifier never leaves essaim
    // RFC 7636 appendix B's example.
    EXPECT_EQ(a::pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
              "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    auto out = a::end_session_url(d, "essaim", "tok", "https://essaim.example/connexion");
    EXPECT_EQ(param(out, "post_logout_redirect_uri"), "https://essaim.example/connexion");
    EXPECT_EQ(param(out, "id_token_hint"), "tok");
    EXPECT_EQ(param(out, "client_id"), "essaim");
    EXPECT_EQ(param(out, "state"), a::kLogoutState);  // back on /connexion: "déconnecté"
    d.end_session_endpoint.clear();
    EXPECT_EQ(a::end_session_url(d, "essaim", "tok", "x"), "");
}

TEST(OidcLogin, GroupsMapInOrderAndNamesFollowTheRules) {
    const char* map = "# fournisseur = essaim\nadmins = Administrateurs\n\nfamille = Famille\n";
    json::object c{{"groups", json::array{"famille", "admins"}}};
    EXPECT_EQ(a::map_group(c, "groups", map), "Administrateurs");  // the map's order wins
    EXPECT_EQ(a::map_group({{"groups", "famille"}}, "groups", map), "Famille");
    EXPECT_FALSE(a::map_group({{"groups", json::array{"autres"}}}, "groups", map));
    EXPECT_FALSE(a::map_group(c, "", map));
    EXPECT_THROW(a::parse_group_map("admins Administrateurs"), a::OidcError);

    std::set<std::string> taken{"alice", "alice2"};
    auto is_taken = [&](const std::string& n) { return taken.count(n) > 0; };
    EXPECT_EQ(a::username_for({{"preferred_username", "alice"}}, is_taken), "alice3");
    EXPECT_EQ(a::username_for({{"preferred_username", "Zoé Dupont"}}, is_taken), "ZoDupont");
    EXPECT_EQ(a::username_for({{"email", "bob@example.org"}}, is_taken), "bob");
    EXPECT_EQ(a::username_for({{"preferred_username", "é"}}, is_taken), "utilisateur");
    EXPECT_EQ(a::username_for({}, is_taken), "utilisateur");
    EXPECT_LE(a::username_for({{"preferred_username", std::string(60, 'x')}}, is_taken).size(),
              32u);
}
