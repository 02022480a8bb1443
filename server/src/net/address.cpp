#include "net/address.hpp"

#include <array>
#include <cstdint>
#include <string>

namespace essaim::net {
namespace {

using C = AddressClass;

struct V4Range {
    std::uint32_t net;
    int bits;
    AddressClass cls;
};

constexpr std::uint32_t ip4(unsigned a, unsigned b, unsigned c, unsigned d) {
    return (a << 24) | (b << 16) | (c << 8) | d;
}

// IANA's IPv4 special-purpose registry, whole blocks: the few globally reachable anycast
// services inside 192.0.0.0/24 are not worth an exception. First match wins.
constexpr std::array<V4Range, 17> kV4 = {{
    {ip4(255, 255, 255, 255), 32, C::broadcast},
    {ip4(0, 0, 0, 0), 8, C::unspecified},
    {ip4(10, 0, 0, 0), 8, C::private_network},
    {ip4(100, 64, 0, 0), 10, C::shared},
    {ip4(127, 0, 0, 0), 8, C::loopback},
    {ip4(169, 254, 0, 0), 16, C::link_local},
    {ip4(172, 16, 0, 0), 12, C::private_network},
    {ip4(192, 0, 0, 0), 24, C::reserved},
    {ip4(192, 0, 2, 0), 24, C::documentation},
    {ip4(192, 88, 99, 0), 24, C::reserved},
    {ip4(192, 168, 0, 0), 16, C::private_network},
    {ip4(198, 18, 0, 0), 15, C::reserved},
    {ip4(198, 51, 100, 0), 24, C::documentation},
    {ip4(203, 0, 113, 0), 24, C::documentation},
    {ip4(224, 0, 0, 0), 4, C::multicast},
    {ip4(240, 0, 0, 0), 4, C::reserved},
    {ip4(0, 0, 0, 0), 0, C::public_address},  // the rest
}};

AddressClass classify_v4(std::uint32_t a) {
    for (const auto& r : kV4) {
        std::uint32_t mask = r.bits == 0 ? 0 : ~std::uint32_t{0} << (32 - r.bits);
        if ((a & mask) == r.net) return r.cls;
    }
    return C::public_address;
}

using Bytes = std::array<unsigned char, 16>;

std::uint32_t v4_at(const Bytes& b, std::size_t i) {
    return (std::uint32_t{b[i]} << 24) | (std::uint32_t{b[i + 1]} << 16) |
           (std::uint32_t{b[i + 2]} << 8) | std::uint32_t{b[i + 3]};
}

bool zeros(const Bytes& b, std::size_t from, std::size_t to) {
    for (auto i = from; i < to; ++i)
        if (b[i] != 0) return false;
    return true;
}

AddressClass classify_v6(const Bytes& b) {
    if (zeros(b, 0, 10)) {
        if (b[10] == 0xff && b[11] == 0xff) return classify_v4(v4_at(b, 12));  // ::ffff:a.b.c.d
        if (zeros(b, 10, 12)) {
            if (zeros(b, 12, 15) && b[15] == 0) return C::unspecified;  // ::
            if (zeros(b, 12, 15) && b[15] == 1) return C::loopback;     // ::1
            // IPv4-compatible ::a.b.c.d, deprecated (RFC 4291): never a legitimate target, but
            // say what it hides for the logs.
            auto c = classify_v4(v4_at(b, 12));
            return c == C::public_address ? C::reserved : c;
        }
        return C::reserved;
    }
    // NAT64 well-known prefix 64:ff9b::/96: a NAT64 gateway would connect to the IPv4 inside.
    if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && zeros(b, 4, 12))
        return classify_v4(v4_at(b, 12));
    // 64:ff9b:1::/48, the local-use NAT64 prefix (RFC 8215).
    if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0 && b[5] == 1)
        return C::private_network;
    if (b[0] == 0xff) return C::multicast;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return C::link_local;       // fe80::/10
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return C::private_network;  // fec0::/10 site-local
    if ((b[0] & 0xfe) == 0xfc) return C::private_network;                  // fc00::/7
    if ((b[0] & 0xe0) != 0x20) return C::reserved;  // outside 2000::/3: not allocated
    // 6to4 2002:AABB:CCDD::/48 relays to the IPv4 AA.BB.CC.DD.
    if (b[0] == 0x20 && b[1] == 0x02) return classify_v4(v4_at(b, 2));
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        return C::documentation;  // 2001:db8::/32
    if (b[0] == 0x3f && b[1] == 0xff && (b[2] & 0xf0) == 0) return C::documentation;  // 3fff::/20
    if (b[0] == 0x20 && b[1] == 0x01 && (b[2] & 0xfe) == 0) return C::reserved;       // 2001::/23
    return C::public_address;
}

}  // namespace

AddressClass classify(const boost::asio::ip::address& a) {
    if (a.is_v4()) return classify_v4(a.to_v4().to_uint());
    return classify_v6(a.to_v6().to_bytes());
}

bool is_public(std::string_view ip) {
    boost::system::error_code ec;
    auto a = boost::asio::ip::make_address(std::string(ip), ec);
    return !ec && is_public(a);
}

const char* describe(AddressClass c) {
    switch (c) {
        case C::public_address:
            return "publique";
        case C::loopback:
            return "boucle locale";
        case C::private_network:
            return "réseau privé";
        case C::shared:
            return "réseau partagé (CGNAT)";
        case C::link_local:
            return "lien local";
        case C::multicast:
            return "multidiffusion";
        case C::unspecified:
            return "non spécifiée";
        case C::broadcast:
            return "diffusion";
        case C::documentation:
            return "documentation";
        case C::reserved:
            return "réservée";
    }
    return "réservée";
}

}  // namespace essaim::net
