// Sign-in by a trusted reverse proxy's header (forward auth: Authelia, Authentik, oauth2-proxy):
// the configured header (`proxy_auth.header`, e.g. Remote-User) names the user only on
// connections from `proxy_auth.trusted_proxies` (CIDR list); from any other address it is
// ignored, whatever it says. The name is an identity like an OpenID subject (issuer "proxy"):
// the essaim account linked to it, or a new one when auto-creation is allowed — never an
// existing essaim user of that name, which anyone could have registered first.
// While a proxy names someone, a session opened for another account is not honoured (the proxy
// signed a different person in on that browser).
// Pure apart from reading the settings; any thread.
#pragma once

#include "http/message.hpp"
#include "net/cidr.hpp"
#include "store/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace essaim::auth {

inline constexpr const char* kProxyIssuer = "proxy";

struct ProxyAuth {
    std::string header;  // lower case
    std::vector<net::Cidr> trusted;
    bool enabled() const { return !header.empty() && !trusted.empty(); }
};

// From the settings; an unreadable trusted_proxies (the admin API refuses one) disables it.
ProxyAuth proxy_auth_of(store::Store& s);

// The user name the proxy vouches for on this request: the header's value (trimmed, 1–255
// printable characters) when the connection comes from a trusted proxy, else nullopt.
std::optional<std::string> proxy_user(const ProxyAuth& p, const http::Request& req);

}  // namespace essaim::auth
