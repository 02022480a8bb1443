// ID tokens from an OpenID Connect provider (issue 22): the provider's published keys (its JWKS
// document) and every check an ID token must pass before essaim believes whom it names —
//  - the signature, with a published key of the matching type: RS256 (RSA ≥ 2048 bits) or ES256
//    (P-256) only; "none", HMAC (HS256 signed with the client secret: the algorithm-confusion
//    attack) and anything else refused whatever the header says;
//  - iss exactly the provider's, aud containing our client id (and azp ours when aud has
//    several), exp / nbf with a 60 s leeway, iat not in the future, the nonce this browser was
//    given, a non-empty sub.
// Pure (OpenSSL's verification only, no I/O): the caller fetches the JWKS and fetches it again
// when a token names a kid it does not hold (key rotation). Errors: IdTokenError, whose code
// says which check failed (for the audit log) and whose message is French. Threads: a Jwks is
// immutable once parsed and may be shared.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

typedef struct evp_pkey_st EVP_PKEY;

namespace essaim::auth {

class IdTokenError : public std::runtime_error {
  public:
    // codes: jwks_invalid, malformed, alg_refused, unknown_key, bad_signature, wrong_issuer,
    // wrong_audience, expired, not_yet_valid, wrong_nonce, no_subject
    IdTokenError(std::string code, const std::string& french)
        : std::runtime_error(french), code(std::move(code)) {}
    std::string code;
};

class Jwks {
  public:
    struct Key {
        std::string kid, kty;  // kty "RSA" | "EC"
        std::shared_ptr<EVP_PKEY> pkey;
    };
    // The signing keys of a JWKS document; keys for encryption ("use":"enc"), of other types
    // or curves, or too small are left out. Throws IdTokenError("jwks_invalid") when the
    // document is not a JWKS or holds no usable key.
    static Jwks parse(std::string_view json);
    const Key* find(std::string_view kid, std::string_view kty) const;
    bool has(std::string_view kid) const;
    std::size_t size() const { return keys_.size(); }

  private:
    std::vector<Key> keys_;
};

struct JwsHeader {
    std::string alg, kid;
};
// The header of a compact JWS, read without trusting anything (to know whether the JWKS must be
// fetched again). Throws IdTokenError("malformed").
JwsHeader peek_header(std::string_view token);

struct Expected {
    std::string issuer, client_id, nonce;
    std::int64_t now = 0;
    std::int64_t leeway = 60;
};

struct IdToken {
    std::string sub;
    boost::json::object claims;
};

IdToken verify_id_token(std::string_view token, const Jwks& keys, const Expected& e);

}  // namespace essaim::auth
