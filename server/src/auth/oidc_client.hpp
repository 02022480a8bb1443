// The provider's side of an OpenID Connect login (issue 22): its discovery document and keys,
// fetched from the issuer and kept — the document for an hour, the keys until a token names a
// kid they lack (the provider rotated its keys: fetched again, at most once per 10 s, so a
// stream of forged kids cannot make essaim hammer the provider) — and the exchange of the code
// for tokens at the token endpoint (client_secret_basic, the PKCE verifier), whose ID token is
// then checked (auth/id_token.hpp). Every request is bounded (10 s, 1 MiB) and reaches a private
// address only when the administrator allows private targets, as the issuer's scheme does.
// Errors: OidcError (code + French message for administrators; the sign-in page shows its own
// generic sentence) and IdTokenError. Threads: coroutines on the I/O context; the cache is
// shared behind a mutex.
#pragma once

#include "auth/id_token.hpp"
#include "auth/oidc_login.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace essaim::auth {

struct Provider {
    std::string issuer, client_id, client_secret, scopes;
    bool allow_private = false;  // general.allow_private_targets: http:// and LAN addresses
};

struct SignedIn {
    IdToken token;
    std::string raw_id_token;  // the end-session request's id_token_hint
};

class OidcClient {
  public:
    boost::asio::awaitable<Discovery> discovery(const Provider& p, std::int64_t now);
    // Exchanges `code` (from the callback of the login sealed in `login`) and checks the ID
    // token against the provider's keys, issuer, our client id and the login's nonce.
    boost::asio::awaitable<SignedIn> exchange(const Provider& p, const std::string& code,
                                              const std::string& redirect_uri,
                                              const LoginState& login, std::int64_t now);
    // Réglages → "Tester": the discovery document and the keys, freshly fetched. What the
    // provider publishes, or OidcError / IdTokenError.
    struct Tested {
        Discovery discovery;
        std::size_t keys = 0;  // usable signing keys
    };
    boost::asio::awaitable<Tested> test(const Provider& p, std::int64_t now);
    void forget();  // after a settings change

  private:
    struct Cached {
        Discovery doc;
        std::int64_t doc_at = 0;
        std::shared_ptr<const Jwks> keys;
        std::int64_t refreshed_at = 0;  // the last fetch a token's unknown kid asked for
    };
    boost::asio::awaitable<std::shared_ptr<const Jwks>> keys(const Provider& p, const Discovery& d,
                                                             bool refresh, std::int64_t now);
    std::mutex mu_;
    std::map<std::string, Cached> cache_;  // by issuer
};

}  // namespace essaim::auth
