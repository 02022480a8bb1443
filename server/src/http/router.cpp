#include "http/router.hpp"

#include "util/strings.hpp"

#include <algorithm>
#include <stdexcept>

namespace essaim::http {
namespace {

bool is_param(std::string_view seg) {
    return seg.size() >= 3 && seg.front() == '{' && seg.back() == '}';
}

std::vector<std::string_view> raw_segments(std::string_view path) {
    // "/a/b/" and "/a/b" are the same resource; the leading "/" is required.
    path.remove_prefix(1);
    if (!path.empty() && path.back() == '/') path.remove_suffix(1);
    if (path.empty()) return {};
    return str::split(path, '/');
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler h, Exec exec) {
    if (pattern.empty() || pattern.front() != '/') throw std::invalid_argument("bad route pattern");
    Route r;
    r.method = std::move(method);
    for (auto seg : raw_segments(pattern)) r.segments.emplace_back(seg);
    r.pattern = std::move(pattern);
    r.handler = std::move(h);
    r.exec = exec;
    routes_.push_back(std::move(r));
}

void Router::add_async(std::string method, std::string pattern, AsyncHandler h) {
    add(std::move(method), std::move(pattern), nullptr, Exec::async);
    routes_.back().async_handler = std::move(h);
}

Match Router::match(std::string_view method, std::string_view path) const {
    Match m;
    if (path.empty() || path.front() != '/') {
        m.kind = Match::Kind::bad_path;
        return m;
    }
    std::vector<std::string> segs;
    for (auto raw : raw_segments(path)) {
        auto dec = percent_decode(raw, false);
        if (!dec) {
            m.kind = Match::Kind::bad_path;
            return m;
        }
        segs.push_back(std::move(*dec));
    }
    // HEAD is served by GET handlers (the server drops the body).
    std::string_view want = method == "HEAD" ? std::string_view("GET") : method;
    for (const auto& r : routes_) {
        if (r.segments.size() != segs.size()) continue;
        std::unordered_map<std::string, std::string> params;
        bool ok = true;
        for (std::size_t i = 0; i < segs.size() && ok; ++i) {
            const auto& p = r.segments[i];
            if (is_param(p)) {
                if (segs[i].empty())
                    ok = false;
                else
                    params.emplace(p.substr(1, p.size() - 2), segs[i]);
            } else {
                ok = p == segs[i];
            }
        }
        if (!ok) continue;
        if (r.method == want) {
            m.kind = Match::Kind::found;
            m.route = &r;
            m.params = std::move(params);
            return m;
        }
        m.allowed.push_back(r.method);
    }
    if (!m.allowed.empty()) {
        if (std::find(m.allowed.begin(), m.allowed.end(), "GET") != m.allowed.end())
            m.allowed.push_back("HEAD");
        std::sort(m.allowed.begin(), m.allowed.end());
        m.allowed.erase(std::unique(m.allowed.begin(), m.allowed.end()), m.allowed.end());
        m.kind = Match::Kind::method_not_allowed;
    }
    return m;
}

}  // namespace essaim::http
