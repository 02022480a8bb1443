// Is an IP address on the public Internet? The one rule for every address a user chose (add by
// URL, webhooks): essaim connects to a user's target only when EVERY address its host name
// resolves to is public, unless the administrator allows private targets
// (store::allow_private_targets). Pure functions, no I/O, any thread.
//
// Not public:
//   IPv4  0.0.0.0/8 (unspecified, "this network"), 10/8, 172.16/12, 192.168/16 (private),
//         100.64/10 (CGNAT), 127/8 (loopback), 169.254/16 (link-local, cloud metadata),
//         192.0.0/24 (IETF), 192.0.2/24, 198.51.100/24, 203.0.113/24 (documentation),
//         192.88.99/24 (6to4 relays), 198.18/15 (benchmarking), 224/4 (multicast),
//         240/4 (reserved), 255.255.255.255 (broadcast).
//   IPv6  only 2000::/3 (global unicast) can be public, minus 2001::/23 (IETF: Teredo, ORCHID…),
//         2001:db8::/32 and 3fff::/20 (documentation); everything else — ::, ::1, fc00::/7,
//         fe80::/10, fec0::/10, ff00::/8, 100::/64, 64:ff9b:1::/48, … — is not.
//   Forms that carry an IPv4 address are judged by it, so 127.0.0.1 cannot hide behind them:
//   IPv4-mapped ::ffff:a.b.c.d and NAT64 64:ff9b::a.b.c.d (public when the IPv4 is), 6to4
//   2002:AABB:CCDD::/48 (public when AA.BB.CC.DD is), IPv4-compatible ::a.b.c.d (deprecated:
//   never public, classified by the IPv4 it holds).
// Host names are not addresses: resolve first (getaddrinfo also turns "127.1", "0x7f000001"
// and "2130706433" into 127.0.0.1), then judge each result.
#pragma once

#include <boost/asio/ip/address.hpp>

#include <string_view>

namespace essaim::net {

enum class AddressClass {
    public_address,
    loopback,
    private_network,  // RFC 1918, fc00::/7, fec0::/10, 64:ff9b:1::/48
    shared,           // 100.64.0.0/10 (carrier-grade NAT)
    link_local,
    multicast,
    unspecified,
    broadcast,
    documentation,
    reserved,  // everything else IANA keeps out of the public Internet
};

AddressClass classify(const boost::asio::ip::address& a);
inline bool is_public(const boost::asio::ip::address& a) {
    return classify(a) == AddressClass::public_address;
}
// For a textual IP address (IPv4 dotted quad, IPv6, IPv6 with a zone): false when it is not
// an IP address at all.
bool is_public(std::string_view ip);
// "loopback", "privée", … (French, for the logs).
const char* describe(AddressClass c);

}  // namespace essaim::net
