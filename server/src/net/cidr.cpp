#include "net/cidr.hpp"

#include <array>
#include <charconv>
#include <stdexcept>
#include <string>

namespace essaim::net {
namespace ip = boost::asio::ip;

namespace {

ip::address unmapped(const ip::address& a) {
    if (a.is_v6() && a.to_v6().is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, a.to_v6());
    return a;
}

template <std::size_t N>
bool same_prefix(const std::array<unsigned char, N>& a, const std::array<unsigned char, N>& b,
                 int bits) {
    for (std::size_t i = 0; bits > 0; ++i, bits -= 8) {
        unsigned mask = bits >= 8 ? 0xFFu : (0xFFu << (8 - bits)) & 0xFFu;
        if ((a[i] & mask) != (b[i] & mask)) return false;
    }
    return true;
}

}  // namespace

std::vector<Cidr> parse_cidrs(std::string_view text) {
    std::vector<Cidr> out;
    std::size_t i = 0;
    auto sep = [](char c) { return c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
    while (i < text.size()) {
        while (i < text.size() && sep(text[i])) ++i;
        std::size_t j = i;
        while (j < text.size() && !sep(text[j])) ++j;
        if (j == i) break;
        auto item = text.substr(i, j - i);
        i = j;
        auto slash = item.find('/');
        boost::system::error_code ec;
        auto base = unmapped(ip::make_address(std::string(item.substr(0, slash)), ec));
        int max = base.is_v4() ? 32 : 128, prefix = max;
        if (!ec && slash != std::string_view::npos) {
            auto digits = item.substr(slash + 1);
            auto [p, e] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
            if (e != std::errc() || p != digits.data() + digits.size() || digits.empty())
                prefix = -1;
        }
        if (ec || prefix < 0 || prefix > max)
            throw std::invalid_argument("« " + std::string(item) +
                                        " » n'est pas une adresse ni une plage CIDR "
                                        "(ex. 10.0.0.0/8, 192.168.1.2, fd00::/8)");
        out.push_back({base, prefix});
    }
    return out;
}

bool contains(const std::vector<Cidr>& ranges, std::string_view ip_text) {
    boost::system::error_code ec;
    auto a = unmapped(ip::make_address(std::string(ip_text), ec));
    if (ec) return false;
    for (const auto& r : ranges) {
        if (r.base.is_v4() != a.is_v4()) continue;
        if (a.is_v4() ? same_prefix(a.to_v4().to_bytes(), r.base.to_v4().to_bytes(), r.prefix)
                      : same_prefix(a.to_v6().to_bytes(), r.base.to_v6().to_bytes(), r.prefix))
            return true;
    }
    return false;
}

}  // namespace essaim::net
