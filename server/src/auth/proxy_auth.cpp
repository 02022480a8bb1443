#include "auth/proxy_auth.hpp"

#include "store/settings_view.hpp"
#include "util/strings.hpp"

namespace essaim::auth {

ProxyAuth proxy_auth_of(store::Store& s) {
    ProxyAuth p;
    p.header = str::to_lower(store::text(s, settings::proxy_auth_header));
    try {
        p.trusted = net::parse_cidrs(store::text(s, settings::proxy_auth_trusted_proxies));
    } catch (const std::invalid_argument&) {
        p.trusted.clear();
    }
    return p;
}

std::optional<std::string> proxy_user(const ProxyAuth& p, const http::Request& req) {
    if (!p.enabled() || !net::contains(p.trusted, req.remote_ip)) return std::nullopt;
    auto v = str::trim(req.header(p.header));
    if (v.empty() || v.size() > 255) return std::nullopt;
    for (unsigned char c : v)
        if (c < 0x20 || c == 0x7f) return std::nullopt;
    return std::string(v);
}

}  // namespace essaim::auth
