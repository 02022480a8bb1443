#include "qbtapi/form.hpp"

#include "util/strings.hpp"

#include <charconv>
#include <stdexcept>

namespace essaim::qbtapi {

Form::Form(const http::Request& req) {
    parse_urlencoded(req.query);
    auto ct = str::to_lower(req.header("content-type"));
    if (ct.starts_with("multipart/form-data")) {
        auto boundary = http::multipart_boundary(req.header("content-type"));
        if (boundary.empty()) throw std::invalid_argument("multipart without boundary");
        for (auto& p : http::parse_multipart(req.body, boundary)) {
            if (p.filename.empty())
                fields_.emplace_back(p.name, std::string(p.data));
            else
                files_.push_back(std::move(p));
        }
    } else if (!req.body.empty()) {
        parse_urlencoded(req.body);
    }
}

void Form::parse_urlencoded(std::string_view s) {
    while (!s.empty()) {
        auto amp = s.find('&');
        auto part = s.substr(0, amp);
        s = amp == std::string_view::npos ? std::string_view{} : s.substr(amp + 1);
        if (part.empty()) continue;
        auto eq = part.find('=');
        auto key = http::percent_decode(part.substr(0, eq), true);
        auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                                  : http::percent_decode(part.substr(eq + 1), true);
        if (!key || !value) throw std::invalid_argument("bad escape in a form");
        fields_.emplace_back(std::move(*key), std::move(*value));
    }
}

std::optional<std::string> Form::get(std::string_view name) const {
    for (auto it = fields_.rbegin(); it != fields_.rend(); ++it)
        if (it->first == name) return it->second;
    return std::nullopt;
}

std::string Form::value_or(std::string_view name, std::string fallback) const {
    auto v = get(name);
    return v ? *v : std::move(fallback);
}

bool Form::flag(std::string_view name, bool fallback) const {
    auto v = get(name);
    if (!v) return fallback;
    auto l = str::to_lower(str::trim(*v));
    if (l == "true" || l == "1") return true;
    if (l == "false" || l == "0") return false;
    return fallback;
}

std::optional<std::int64_t> Form::integer(std::string_view name) const {
    auto v = get(name);
    if (!v) return std::nullopt;
    auto t = str::trim(*v);
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec != std::errc() || end != t.data() + t.size() || t.empty())
        throw std::invalid_argument("not an integer");
    return n;
}

std::optional<double> Form::number(std::string_view name) const {
    auto v = get(name);
    if (!v) return std::nullopt;
    auto t = str::trim(*v);
    double n = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec != std::errc() || end != t.data() + t.size() || t.empty())
        throw std::invalid_argument("not a number");
    return n;
}

}  // namespace essaim::qbtapi
