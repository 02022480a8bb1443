#include "http/message.hpp"

#include "util/strings.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <boost/json/serialize.hpp>

namespace essaim::http {

std::string_view Request::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (k == name) return v;
    return {};
}

std::optional<std::string> Request::cookie(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (k != "cookie") continue;
        std::string_view rest = v;
        while (!rest.empty()) {
            auto semi = rest.find(';');
            std::string_view part = str::trim(rest.substr(0, semi));
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            auto eq = part.find('=');
            if (eq == std::string_view::npos) continue;
            if (str::trim(part.substr(0, eq)) == name)
                return std::string(str::trim(part.substr(eq + 1)));
        }
    }
    return std::nullopt;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
    std::string_view rest = query;
    while (!rest.empty()) {
        auto amp = rest.find('&');
        std::string_view part = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        auto eq = part.find('=');
        auto key = percent_decode(part.substr(0, eq), true);
        if (!key || *key != name) continue;
        if (eq == std::string_view::npos) return std::string();
        return percent_decode(part.substr(eq + 1), true);
    }
    return std::nullopt;
}

bool Request::is_mutating() const {
    return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

Response Response::json(int status, const boost::json::value& v) {
    Response r;
    r.status = status;
    r.body = boost::json::serialize(v);
    r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    return r;
}

Response Response::no_content() {
    Response r;
    r.status = 204;
    return r;
}

void Response::set_header(std::string name, std::string value) {
    for (auto& [k, v] : headers)
        if (str::iequals(k, name)) {
            v = std::move(value);
            return;
        }
    headers.emplace_back(std::move(name), std::move(value));
}

std::string_view Response::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (str::iequals(k, name)) return v;
    return {};
}

std::string form_encode(std::string_view v) {
    return boost::urls::encode(v, boost::urls::unreserved_chars);
}

std::optional<std::string> percent_decode(std::string_view in, bool plus_as_space) {
    std::string out;
    out.reserve(in.size());
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size()) return std::nullopt;
            int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_as_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string make_set_cookie(std::string_view name, std::string_view value, const CookieOptions& o) {
    std::string c;
    c.append(name).append("=").append(value).append("; Path=").append(o.path);
    c.append("; SameSite=").append(o.same_site);
    if (o.http_only) c += "; HttpOnly";
    if (o.secure) c += "; Secure";
    if (o.max_age >= 0) c += "; Max-Age=" + std::to_string(o.max_age);
    return c;
}

}  // namespace essaim::http
