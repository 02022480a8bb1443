#include "config/database_url.hpp"

#include <utility>
#include <vector>

namespace essaim::config {
namespace {

// Where passwords are written in a connection URL ("user:secret@") or string ("password=…"):
// [begin, end) spans, in order.
std::vector<std::pair<std::size_t, std::size_t>> secret_spans(std::string_view s) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    auto scheme = s.find("://");
    if (scheme != std::string_view::npos) {
        auto start = scheme + 3;
        auto end = s.find_first_of("/?#", start);
        auto at = s.rfind('@', end == std::string_view::npos ? s.size() : end);
        if (at != std::string_view::npos && at > start) {
            auto colon = s.find(':', start);
            if (colon != std::string_view::npos && colon < at) out.emplace_back(colon + 1, at);
        }
    }
    // password=… as a URI query parameter or in a key=value connection string.
    for (std::size_t pos = 0; (pos = s.find("password=", pos)) != std::string_view::npos;) {
        auto v = pos + 9;
        auto e = s.find_first_of("& ", v);
        if (e == std::string_view::npos) e = s.size();
        out.emplace_back(v, e);
        pos = e;
    }
    return out;
}

}  // namespace

std::string redact_url(std::string_view url) {
    std::string s(url);
    auto spans = secret_spans(url);
    for (auto it = spans.rbegin(); it != spans.rend(); ++it)
        s.replace(it->first, it->second - it->first, "***");
    return s;
}

std::string scrub_secrets(std::string message, std::string_view url) {
    for (auto [b, e] : secret_spans(url)) {
        auto secret = url.substr(b, e - b);
        if (secret.empty()) continue;
        for (std::size_t pos = 0; (pos = message.find(secret, pos)) != std::string::npos;) {
            message.replace(pos, secret.size(), "***");
            pos += 3;
        }
    }
    return message;
}

bool is_postgres_url(std::string_view url) {
    return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

}  // namespace essaim::config
