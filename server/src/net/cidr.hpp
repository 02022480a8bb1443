// Address ranges written as CIDR ("10.0.0.0/8", "fd00::/8", "127.0.0.1" = one address): the
// trusted reverse proxies of the proxy sign-in (auth/proxy_auth.hpp). An IPv4-mapped IPv6
// client address (::ffff:a.b.c.d, what a dual-stack socket reports) is matched as its IPv4.
// Pure, any thread.
#pragma once

#include <boost/asio/ip/address.hpp>

#include <string_view>
#include <vector>

namespace essaim::net {

struct Cidr {
    boost::asio::ip::address base;
    int prefix = 0;  // bits
};

// Ranges separated by commas, spaces or new lines. Throws std::invalid_argument with a French
// message naming the first one that is not a range (a host bits set past the prefix is fine:
// "10.1.2.3/8" means 10.0.0.0/8).
std::vector<Cidr> parse_cidrs(std::string_view text);
bool contains(const std::vector<Cidr>& ranges, std::string_view ip);

}  // namespace essaim::net
