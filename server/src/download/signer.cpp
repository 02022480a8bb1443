#include "download/signer.hpp"

#include "util/crypto.hpp"

namespace essaim::download {

std::string link_hash(std::string_view uri, std::int64_t expires, std::string_view secret,
                      std::string_view ip) {
    std::string data = std::to_string(expires);
    data.append(uri);
    data.append(ip);
    data.push_back(' ');
    data.append(secret);
    return crypto::base64url_encode(crypto::md5(data));
}

std::string encode_path(std::string_view decoded) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(decoded.size() + decoded.size() / 2);
    for (unsigned char c : decoded) {
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        if (keep) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

std::string signed_path(std::string_view uri, std::int64_t expires, std::string_view secret,
                        std::string_view ip) {
    return encode_path(uri) + "?md5=" + link_hash(uri, expires, secret, ip) +
           "&expires=" + std::to_string(expires);
}

LinkCheck check_link(std::string_view uri, std::string_view md5, std::string_view expires,
                     std::string_view secret, std::int64_t now, std::string_view ip) {
    // nginx: the hash must decode to exactly 16 bytes; `expires` must be a positive integer.
    if (md5.empty() || expires.empty() || expires.size() > 18) return LinkCheck::invalid;
    std::int64_t e = 0;
    for (char c : expires) {
        if (c < '0' || c > '9') return LinkCheck::invalid;
        e = e * 10 + (c - '0');
    }
    if (e <= 0) return LinkCheck::invalid;
    auto given = crypto::base64url_decode(md5);
    if (!given || given->size() != 16) return LinkCheck::invalid;
    std::string data =
        std::string(expires) + std::string(uri) + std::string(ip) + " " + std::string(secret);
    if (!crypto::constant_time_equal(*given, crypto::md5(data))) return LinkCheck::invalid;
    return e < now ? LinkCheck::expired : LinkCheck::ok;
}

}  // namespace essaim::download
