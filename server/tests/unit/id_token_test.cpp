#include "auth/id_token.hpp"
#include "util/crypto.hpp"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <boost/json.hpp>

namespace a = essaim::auth;
namespace c = essaim::crypto;
namespace json = boost::json;

namespace {

constexpr std::int64_t kNow = 1'800'000'000;
const char* kIssuer = "https://id.example.org";

struct Key {
    std::shared_ptr<EVP_PKEY> pkey;
    std::string kid;
    bool ec = false;

    static Key rsa(std::string kid, unsigned bits = 2048) {
        return {std::shared_ptr<EVP_PKEY>(
                    EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)),
                    &EVP_PKEY_free),
                std::move(kid), false};
    }
    static Key p256(std::string kid) {
        return {std::shared_ptr<EVP_PKEY>(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"),
                                          &EVP_PKEY_free),
                std::move(kid), true};
    }

    std::string bn(const char* name) const {
        BIGNUM* b = nullptr;
        EVP_PKEY_get_bn_param(pkey.get(), name, &b);
        std::string out(static_cast<std::size_t>(BN_num_bytes(b)), '\0');
        BN_bn2bin(b, reinterpret_cast<unsigned char*>(out.data()));
        BN_free(b);
        return out;
    }

    json::object jwk() const {
        if (!ec)
            return {{"kty", "RSA"},
                    {"kid", kid},
                    {"use", "sig"},
                    {"alg", "RS256"},
                    {"n", c::base64url_encode(bn(OSSL_PKEY_PARAM_RSA_N))},
                    {"e", c::base64url_encode(bn(OSSL_PKEY_PARAM_RSA_E))}};
        unsigned char pt[65];
        size_t len = 0;
        EVP_PKEY_get_octet_string_param(pkey.get(), OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof pt, &len);
        std::string p(reinterpret_cast<char*>(pt), len);
        return {{"kty", "EC"},
                {"kid", kid},
                {"crv", "P-256"},
                {"x", c::base64url_encode(p.substr(1, 32))},
                {"y", c::base64url_encode(p.substr(33, 32))}};
    }

    std::string sign(std::string_view data) const {
        std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                    &EVP_MD_CTX_free);
        EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get());
        size_t n = 0;
        EVP_DigestSign(ctx.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(data.data()),
                       data.size());
        std::string sig(n, '\0');
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &n,
                       reinterpret_cast<const unsigned char*>(data.data()), data.size());
        sig.resize(n);
        if (!ec) return sig;
        // DER → r || s, as JWS carries it.
        const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
        ECDSA_SIG* s = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
        std::string raw(64, '\0');
        BN_bn2binpad(ECDSA_SIG_get0_r(s), reinterpret_cast<unsigned char*>(raw.data()), 32);
        BN_bn2binpad(ECDSA_SIG_get0_s(s), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
        ECDSA_SIG_free(s);
        return raw;
    }
};

json::object claims() {
    return {{"iss", kIssuer},    {"aud", "essaim"}, {"sub", "248289761001"},
            {"exp", kNow + 600}, {"iat", kNow - 5}, {"nonce", "n-0S6_WzA2Mj"}};
}

std::string token(const Key& k, const json::object& body, std::string alg = "",
                  std::string kid = "\x01") {
    if (alg.empty()) alg = k.ec ? "ES256" : "RS256";
    json::object h{{"alg", alg}, {"typ", "JWT"}};
    if (kid != "\x01") {
        if (!kid.empty()) h["kid"] = kid;
    } else
        h["kid"] = k.kid;
    auto part =
        c::base64url_encode(json::serialize(h)) + "." + c::base64url_encode(json::serialize(body));
    return part + "." + c::base64url_encode(k.sign(part));
}

a::Jwks jwks(std::initializer_list<const Key*> keys) {
    json::array arr;
    for (const auto* k : keys) arr.push_back(k->jwk());
    return a::Jwks::parse(json::serialize(json::object{{"keys", arr}}));
}

a::Expected expected() {
    return {kIssuer, "essaim", "n-0S6_WzA2Mj", kNow, 60};
}

std::string code_of(const std::string& t, const a::Jwks& k, a::Expected e = expected()) {
    try {
        a::verify_id_token(t, k, e);
        return "ok";
    } catch (const a::IdTokenError& err) {
        return err.code;
    }
}

}  // namespace

TEST(IdToken, RsaAndEcTokensFromThePublishedKeysVerify) {
    auto r = Key::rsa("r1"), e = Key::p256("e1");
    auto keys = jwks({&r, &e});
    EXPECT_EQ(keys.size(), 2u);
    auto id = a::verify_id_token(token(r, claims()), keys, expected());
    EXPECT_EQ(id.sub, "248289761001");
    EXPECT_EQ(code_of(token(e, claims()), keys), "ok");
    EXPECT_EQ(a::peek_header(token(r, claims())).kid, "r1");
}

TEST(IdToken, EveryClaimCheckRefusesItsOwnCase) {
    auto r = Key::rsa("r1");
    auto keys = jwks({&r});
    auto with = [&](const char* k, json::value v) {
        auto b = claims();
        if (v.is_null())
            b.erase(k);
        else
            b[k] = v;
        return code_of(token(r, b), keys);
    };
    EXPECT_EQ(with("iss", "https://evil.example"), "wrong_issuer");
    EXPECT_EQ(with("aud", "someone-else"), "wrong_audience");
    EXPECT_EQ(with("aud", json::array{"someone-else", "essaim"}), "wrong_audience");  // no azp
    {
        auto b = claims();
        b["aud"] = json::array{"someone-else", "essaim"};
        b["azp"] = "essaim";
        EXPECT_EQ(code_of(token(r, b), keys), "ok");
    }
    EXPECT_EQ(with("exp", kNow - 61), "expired");
    EXPECT_EQ(with("exp", kNow - 30), "ok");  // within the leeway
    EXPECT_EQ(with("exp", nullptr), "expired");
    EXPECT_EQ(with("nbf", kNow + 120), "not_yet_valid");
    EXPECT_EQ(with("iat", kNow + 3600), "not_yet_valid");
    EXPECT_EQ(with("nonce", "another"), "wrong_nonce");
    EXPECT_EQ(with("nonce", nullptr), "wrong_nonce");
    EXPECT_EQ(with("sub", ""), "no_subject");
    EXPECT_EQ(with("exp", "tomorrow"), "malformed");
    auto none_expected = expected();
    none_expected.nonce = "";  // a login always sends a nonce: none expected is refused too
    EXPECT_EQ(code_of(token(r, claims()), keys, none_expected), "wrong_nonce");
}

TEST(IdToken, SignatureAttacksAreRefused) {
    auto r = Key::rsa("r1"), stranger = Key::rsa("r1"), other = Key::rsa("r2");
    auto keys = jwks({&r});
    // Signed by a key that is not published, under the published key's kid.
    EXPECT_EQ(code_of(token(stranger, claims()), keys), "bad_signature");
    // A kid the provider does not publish (rotation: the caller refetches and asks again).
    EXPECT_EQ(code_of(token(other, claims()), keys), "unknown_key");
    EXPECT_EQ(code_of(token(other, claims()), jwks({&r, &other})), "ok");
    // One byte of the payload changed.
    auto t = token(r, claims());
    auto dot = t.find('.');
    t[dot + 5] = t[dot + 5] == 'A' ? 'B' : 'A';
    EXPECT_EQ(code_of(t, keys), "bad_signature");
    // alg "none" and an empty signature; HS256 keyed with anything (the client secret).
    auto body = c::base64url_encode(json::serialize(claims()));
    EXPECT_EQ(code_of(c::base64url_encode(R"({"alg":"none"})") + "." + body + ".", keys),
              "alg_refused");
    auto hs_part = c::base64url_encode(R"({"alg":"HS256","kid":"r1"})") + "." + body;
    EXPECT_EQ(code_of(hs_part + "." + c::base64url_encode(c::hmac_sha256("secret", hs_part)), keys),
              "alg_refused");
    // RS256 header on an EC key's kid, ES256 on an RSA key: the key type must match.
    auto e = Key::p256("e1");
    EXPECT_EQ(code_of(token(e, claims(), "RS256"), jwks({&r, &e})), "unknown_key");
    EXPECT_EQ(code_of(token(r, claims(), "ES256"), jwks({&r, &e})), "unknown_key");
    // No kid: only when a single key of that type is published.
    EXPECT_EQ(code_of(token(r, claims(), "", ""), keys), "ok");
    EXPECT_EQ(code_of(token(r, claims(), "", ""), jwks({&r, &other})), "unknown_key");
    // Not three parts, not base64, not JSON.
    for (const char* bad : {"", "a.b", "a.b.c.d", "!!.??.--", "e30.e30"})
        EXPECT_EQ(code_of(bad, keys), "malformed") << bad;
}

TEST(IdToken, JwksKeepsOnlyUsableSigningKeys) {
    auto weak = Key::rsa("weak", 1024), good = Key::rsa("good");
    auto enc = good.jwk();
    enc["use"] = "enc";
    enc["kid"] = "enc";
    json::array keys{weak.jwk(), enc, good.jwk(),
                     json::object{{"kty", "oct"}, {"kid", "hmac"}, {"k", "c2VjcmV0"}}};
    auto set = a::Jwks::parse(json::serialize(json::object{{"keys", keys}}));
    EXPECT_EQ(set.size(), 1u);
    EXPECT_TRUE(set.has("good"));
    EXPECT_FALSE(set.has("weak"));
    EXPECT_FALSE(set.has("enc"));
    EXPECT_FALSE(set.has("hmac"));
    for (const char* bad : {"", "[]", "{}", R"({"keys":[]})", R"({"keys":[{"kty":"RSA"}]})"})
        EXPECT_THROW(a::Jwks::parse(bad), a::IdTokenError) << bad;
}
