// libFuzzer target: the router sees every request path from anyone. The first byte picks the
// method, the rest is the path. Properties checked (beyond "no crash, no UB"):
//  - a found route has one non-empty parameter per `{name}` segment, and its literal segments
//    equal the decoded path's;
//  - a path that decodes badly, or does not start with '/', is never found;
//  - method_not_allowed lists sorted, unique methods and never the requested one;
//  - HEAD finds exactly what GET finds.
#include "http/message.hpp"
#include "http/router.hpp"
#include "util/strings.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace essaim;

namespace {

const http::Router& router() {
    static const http::Router r = [] {
        http::Router r;
        auto h = [](http::Request&) { return http::Response::no_content(); };
        // A slice of the real table: literals, parameters at several depths, same pattern
        // under several methods, a prefix of another pattern.
        for (auto [m, p] : {std::pair{"GET", "/api/torrents"},
                            {"POST", "/api/torrents"},
                            {"GET", "/api/torrents/{hash}"},
                            {"DELETE", "/api/torrents/{hash}"},
                            {"GET", "/api/torrents/{hash}/files"},
                            {"POST", "/api/torrents/{hash}/links"},
                            {"POST", "/api/torrents/{hash}/pause"},
                            {"PATCH", "/api/admin/users/{id}"},
                            {"DELETE", "/api/search/recent/{id}"},
                            {"GET", "/api/me"},
                            {"GET", "/api/{a}/{b}/{c}/{d}"}})
            r.add(m, p, h);
        return r;
    }();
    return r;
}

std::size_t param_count(const http::Route& r) {
    return static_cast<std::size_t>(
        std::count_if(r.segments.begin(), r.segments.end(),
                      [](const std::string& s) { return s.size() >= 3 && s.front() == '{'; }));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static constexpr std::string_view methods[] = {"GET", "POST", "PATCH", "DELETE", "HEAD", "PUT"};
    std::string_view method = methods[data[0] % 6];
    std::string_view path(reinterpret_cast<const char*>(data + 1), size - 1);

    auto m = router().match(method, path);
    switch (m.kind) {
        case http::Match::Kind::found: {
            if (m.route == nullptr || path.empty() || path.front() != '/') __builtin_trap();
            if (m.params.size() != param_count(*m.route)) __builtin_trap();
            for (const auto& [name, value] : m.params)
                if (name.empty() || value.empty()) __builtin_trap();
            // Literal segments of the route equal the decoded segments of the path.
            std::string_view rest = path.substr(1);
            if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
            auto segs = rest.empty() ? std::vector<std::string_view>{} : str::split(rest, '/');
            if (segs.size() != m.route->segments.size()) __builtin_trap();
            for (std::size_t i = 0; i < segs.size(); ++i) {
                const auto& p = m.route->segments[i];
                if (p.front() == '{') continue;
                auto dec = http::percent_decode(segs[i], false);
                if (!dec || *dec != p) __builtin_trap();
            }
            if (method == "HEAD" && m.route->method != "GET") __builtin_trap();
            break;
        }
        case http::Match::Kind::method_not_allowed:
            if (m.allowed.empty() || !std::is_sorted(m.allowed.begin(), m.allowed.end()))
                __builtin_trap();
            if (std::adjacent_find(m.allowed.begin(), m.allowed.end()) != m.allowed.end())
                __builtin_trap();
            if (std::find(m.allowed.begin(), m.allowed.end(), method) != m.allowed.end())
                __builtin_trap();
            break;
        case http::Match::Kind::bad_path:
        case http::Match::Kind::not_found:
            break;
    }
    if (method == "GET") {
        auto h = router().match("HEAD", path);
        if (h.kind != m.kind || h.route != m.route) __builtin_trap();
    }
    return 0;
}
