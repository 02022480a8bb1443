// The browser's side of an OpenID Connect login (issue 22), pure: what the provider's discovery
// document must say, the authorization request (code flow, PKCE S256, state, nonce), the login
// in progress kept in the browser itself — an HMAC-sealed cookie, so any essaim instance can
// finish it and nobody can forge or extend it — and how a provider's groups map to an essaim
// group. Errors: OidcError (code + French message). Threads: free functions, no state.
#pragma once

#include "auth/id_token.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace essaim::auth {

class OidcError : public std::runtime_error {
  public:
    OidcError(std::string code, const std::string& french)
        : std::runtime_error(french), code(std::move(code)) {}
    std::string code;
};

struct Discovery {
    std::string issuer, authorization_endpoint, token_endpoint, jwks_uri, end_session_endpoint;
    std::string userinfo_endpoint;  // "" when not published (or not https:// when it must be)
};

// Parses a discovery document fetched from `issuer`/.well-known/openid-configuration. Its
// `issuer` must be exactly `issuer` (OpenID Connect Discovery §4.3: a mix-up otherwise), every
// endpoint an absolute https:// URL — http:// only when `allow_http` (a provider on the LAN or
// loopback, while the administrator allows private targets) — and the code flow with S256 PKCE
// supported when the document says what it supports. Throws OidcError("discovery_invalid").
Discovery parse_discovery(std::string_view json, std::string_view issuer, bool allow_http);

// Adds the claims of a userinfo answer (OpenID Connect Core §5.3) that the ID token does not
// carry: providers such as Authelia and Zitadel keep groups, e-mail and names there by default.
// The ID token's own claims win (they are signed). Throws OidcError("userinfo_invalid") when the
// answer is not a JSON object or names another subject (§5.3.2: a substituted access token).
void merge_userinfo(IdToken& token, std::string_view body);

// A login in progress: sent to the provider (state, nonce, the PKCE challenge) and kept in the
// browser's cookie until the callback.
struct LoginState {
    std::string state, nonce, verifier;
    std::string return_to;  // a local path ("/torrents"), never an absolute URL
    std::int64_t expires_at = 0;
};

inline constexpr const char* kLoginCookie = "essaim_oidc";
inline constexpr std::int64_t kLoginTtl = 600;  // seconds to sign in at the provider

// `wanted` when it is a path of this site ("/torrents?scope=all"), else "/": never another site
// ("//host", "/\host", "https://…") after a sign-in.
std::string local_path(std::string_view wanted);
// Random state, nonce and verifier (32 bytes each, base64url); return_to = local_path(…).
LoginState new_login(std::int64_t now, std::string_view return_to);
// Cookie value: base64url(JSON) "." base64url(HMAC-SHA256(key, that)).
std::string seal_login(const LoginState& s, std::string_view key);
// The login sealed in `cookie` when the seal is ours and it has not expired, else nullopt.
std::optional<LoginState> open_login(std::string_view cookie, std::string_view key,
                                     std::int64_t now);
// After a login through the provider, the session it opened and the ID token to hand back as
// id_token_hint when that session logs out (RP-initiated logout), sealed the same way in a
// cookie only POST /api/auth/logout receives. Apart from the login's seal: neither opens as
// the other.
struct LogoutHint {
    std::string session_id, id_token;
    std::int64_t expires_at = 0;
};
inline constexpr const char* kLogoutCookie = "essaim_oidc_logout";
inline constexpr std::size_t kMaxIdTokenHint = 2800;  // bytes: sealed, base64url → under 4 kB
std::string seal_logout(const LogoutHint& h, std::string_view key);
std::optional<LogoutHint> open_logout(std::string_view cookie, std::string_view key,
                                      std::int64_t now);
// BASE64URL(SHA256(verifier)) — RFC 7636 §4.2.
std::string pkce_challenge(std::string_view verifier);

struct Client {
    std::string client_id, redirect_uri, scopes;  // scopes: space-separated, "openid" added
};
std::string authorization_url(const Discovery& d, const Client& c, const LoginState& s);
// The provider's logout page after essaim's own logout (RP-initiated logout), or "" without one.
// The provider sends the browser back to post_logout_redirect_uri with `state` (kLogoutState:
// the sign-in page then says the user is logged out).
inline constexpr const char* kLogoutState = "deconnexion";
std::string end_session_url(const Discovery& d, const std::string& client_id,
                            const std::string& id_token_hint,
                            const std::string& post_logout_redirect_uri);

// The essaim group for a provider's claims: the first rule of `group_map` (lines
// "groupe-du-fournisseur = Groupe essaim", in order) whose provider group is among the values
// of `group_claim` (a string or an array of strings), else nullopt (the default group then).
std::optional<std::string> map_group(const boost::json::object& claims,
                                     std::string_view group_claim, std::string_view group_map);
// "left = right" lines → pairs (trimmed; blank lines and lines starting with '#' skipped).
// Throws OidcError("group_map_invalid") naming the first line without '='.
std::vector<std::pair<std::string, std::string>> parse_group_map(std::string_view text);

// An account name for a new user from the provider's claims (preferred_username, else the
// e-mail's local part, else "utilisateur"), reduced to essaim's rules (3–32 of
// [A-Za-z0-9._-]); `taken` says whether a name exists, and a number is appended until it
// does not.
std::string username_for(const boost::json::object& claims,
                         const std::function<bool(const std::string&)>& taken);

}  // namespace essaim::auth
