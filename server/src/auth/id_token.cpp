#include "auth/id_token.hpp"

#include "util/crypto.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <boost/json.hpp>

namespace essaim::auth {
namespace json = boost::json;

namespace {

constexpr int kMinRsaBits = 2048;

std::string text_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<std::string> b64(const json::object& o, std::string_view key) {
    auto t = text_of(o, key);
    if (t.empty()) return std::nullopt;
    return crypto::base64url_decode(t);
}

using Pkey = std::shared_ptr<EVP_PKEY>;

Pkey make_pkey(const char* type, OSSL_PARAM* params) {
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr), &EVP_PKEY_CTX_free);
    EVP_PKEY* raw = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        return nullptr;
    return Pkey(raw, &EVP_PKEY_free);
}

Pkey rsa_key(const std::string& n, const std::string& e) {
    std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(
        BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()),
                  nullptr),
        &BN_free),
        be(BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()),
                     nullptr),
           &BN_free);
    if (!bn || !be || BN_num_bits(bn.get()) < kMinRsaBits) return nullptr;
    std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(),
                                                                        &OSSL_PARAM_BLD_free);
    if (!bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn.get()) ||
        !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, be.get()))
        return nullptr;
    std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(
        OSSL_PARAM_BLD_to_param(bld.get()), &OSSL_PARAM_free);
    return params ? make_pkey("RSA", params.get()) : nullptr;
}

Pkey p256_key(const std::string& x, const std::string& y) {
    if (x.size() != 32 || y.size() != 32) return nullptr;
    std::string point = "\x04" + x + y;  // uncompressed point
    char group[] = "prime256v1";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
        OSSL_PARAM_construct_end()};
    return make_pkey("EC", params);
}

// JWS ES256 signatures are r || s (32 bytes each); OpenSSL verifies DER.
std::string es256_der(std::string_view raw) {
    if (raw.size() != 64) return {};
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> sig(ECDSA_SIG_new(), &ECDSA_SIG_free);
    BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
    BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data() + 32), 32, nullptr);
    if (!sig || !r || !s || !ECDSA_SIG_set0(sig.get(), r, s)) {
        BN_free(r);
        BN_free(s);
        return {};
    }
    int n = i2d_ECDSA_SIG(sig.get(), nullptr);
    if (n <= 0) return {};
    std::string der(static_cast<std::size_t>(n), '\0');
    auto* p = reinterpret_cast<unsigned char*>(der.data());
    i2d_ECDSA_SIG(sig.get(), &p);
    return der;
}

bool verify(EVP_PKEY* key, std::string_view signed_part, std::string_view sig) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
           EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()),
                            sig.size(), reinterpret_cast<const unsigned char*>(signed_part.data()),
                            signed_part.size()) == 1;
}

struct Parts {
    std::string_view header, payload, signature;
};

Parts split(std::string_view token) {
    auto a = token.find('.');
    auto b = a == std::string_view::npos ? a : token.find('.', a + 1);
    if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos ||
        token.size() > 64 * 1024)
        throw IdTokenError("malformed", "jeton d'identité illisible");
    return {token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
}

json::object decode_object(std::string_view part) {
    auto bytes = crypto::base64url_decode(part);
    if (!bytes) throw IdTokenError("malformed", "jeton d'identité illisible");
    boost::system::error_code ec;
    auto v = json::parse(*bytes, ec);
    if (ec || !v.is_object()) throw IdTokenError("malformed", "jeton d'identité illisible");
    return std::move(v.as_object());
}

std::optional<std::int64_t> number_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
    if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
    throw IdTokenError("malformed", "jeton d'identité illisible (" + std::string(key) + ")");
}

}  // namespace

Jwks Jwks::parse(std::string_view text) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    const json::array* keys = nullptr;
    if (!ec && v.is_object())
        if (const auto* k = v.as_object().if_contains("keys"); k && k->is_array())
            keys = &k->as_array();
    if (!keys) throw IdTokenError("jwks_invalid", "les clés du fournisseur (JWKS) sont illisibles");
    Jwks out;
    for (const auto& item : *keys) {
        const auto* o = item.if_object();
        if (!o) continue;
        auto use = text_of(*o, "use");
        if (!use.empty() && use != "sig") continue;
        Key k{text_of(*o, "kid"), text_of(*o, "kty"), nullptr};
        if (k.kty == "RSA") {
            auto n = b64(*o, "n"), e = b64(*o, "e");
            if (n && e) k.pkey = rsa_key(*n, *e);
        } else if (k.kty == "EC" && text_of(*o, "crv") == "P-256") {
            auto x = b64(*o, "x"), y = b64(*o, "y");
            if (x && y) k.pkey = p256_key(*x, *y);
        }
        if (k.pkey) out.keys_.push_back(std::move(k));
    }
    if (out.keys_.empty())
        throw IdTokenError("jwks_invalid",
                           "le fournisseur ne publie aucune clé de signature utilisable "
                           "(RSA ≥ 2048 bits ou EC P-256)");
    return out;
}

const Jwks::Key* Jwks::find(std::string_view kid, std::string_view kty) const {
    const Key* only = nullptr;
    int of_type = 0;
    for (const auto& k : keys_) {
        if (k.kty != kty) continue;
        ++of_type;
        only = &k;
        if (!kid.empty() && k.kid == kid) return &k;
    }
    // A token without kid is accepted only when the provider publishes one key of that type.
    return kid.empty() && of_type == 1 ? only : nullptr;
}

bool Jwks::has(std::string_view kid) const {
    for (const auto& k : keys_)
        if (k.kid == kid) return true;
    return false;
}

JwsHeader peek_header(std::string_view token) {
    auto h = decode_object(split(token).header);
    return {text_of(h, "alg"), text_of(h, "kid")};
}

IdToken verify_id_token(std::string_view token, const Jwks& keys, const Expected& e) {
    auto parts = split(token);
    auto header = decode_object(parts.header);
    auto alg = text_of(header, "alg");
    const char* kty = alg == "RS256" ? "RSA" : alg == "ES256" ? "EC" : nullptr;
    if (!kty) throw IdTokenError("alg_refused", "algorithme de signature refusé : « " + alg + " »");
    const auto* key = keys.find(text_of(header, "kid"), kty);
    if (!key)
        throw IdTokenError("unknown_key",
                           "jeton signé par une clé que le fournisseur ne publie pas");
    auto sig = crypto::base64url_decode(parts.signature);
    if (!sig) throw IdTokenError("malformed", "jeton d'identité illisible");
    std::string signature = alg == "ES256" ? es256_der(*sig) : *sig;
    std::string_view signed_part = token.substr(0, parts.header.size() + 1 + parts.payload.size());
    if (signature.empty() || !verify(key->pkey.get(), signed_part, signature))
        throw IdTokenError("bad_signature", "signature du jeton d'identité invalide");

    IdToken out;
    out.claims = decode_object(parts.payload);
    const auto& c = out.claims;
    if (text_of(c, "iss") != e.issuer)
        throw IdTokenError("wrong_issuer", "jeton émis par un autre fournisseur");
    const auto* aud = c.if_contains("aud");
    bool ours = false, several = false;
    if (aud && aud->is_string()) ours = aud->as_string() == e.client_id;
    if (aud && aud->is_array()) {
        several = aud->as_array().size() > 1;
        for (const auto& a : aud->as_array())
            if (a.is_string() && a.as_string() == e.client_id) ours = true;
    }
    if (!ours || (several && text_of(c, "azp") != e.client_id))
        throw IdTokenError("wrong_audience", "jeton destiné à une autre application");
    auto exp = number_of(c, "exp");
    if (!exp || e.now > *exp + e.leeway) throw IdTokenError("expired", "jeton d'identité expiré");
    if (auto nbf = number_of(c, "nbf"); nbf && e.now + e.leeway < *nbf)
        throw IdTokenError("not_yet_valid", "jeton d'identité pas encore valable");
    if (auto iat = number_of(c, "iat"); iat && e.now + e.leeway < *iat)
        throw IdTokenError("not_yet_valid", "jeton d'identité émis dans le futur");
    if (e.nonce.empty() || !crypto::constant_time_equal(text_of(c, "nonce"), e.nonce))
        throw IdTokenError("wrong_nonce", "jeton d'identité qui ne répond pas à cette connexion");
    out.sub = text_of(c, "sub");
    if (out.sub.empty()) throw IdTokenError("no_subject", "jeton d'identité sans identifiant");
    return out;
}

}  // namespace essaim::auth
