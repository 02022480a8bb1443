#include "http/multipart.hpp"

#include "util/strings.hpp"

#include <stdexcept>

namespace essaim::http {
namespace {

// Value of a parameter (name="value" or name=value) in a header like Content-Disposition.
std::string param(std::string_view header, std::string_view name) {
    std::size_t pos = 0;
    while (pos < header.size()) {
        auto semi = header.find(';', pos);
        auto part = str::trim(header.substr(
            pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos));
        pos = semi == std::string_view::npos ? header.size() : semi + 1;
        auto eq = part.find('=');
        if (eq == std::string_view::npos) continue;
        if (!str::iequals(str::trim(part.substr(0, eq)), name)) continue;
        auto v = str::trim(part.substr(eq + 1));
        if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
            std::string out;
            for (std::size_t i = 1; i + 1 < v.size(); ++i) {
                if (v[i] == '\\' && i + 2 < v.size()) ++i;
                out += v[i];
            }
            return out;
        }
        return std::string(v);
    }
    return {};
}

}  // namespace

std::string multipart_boundary(std::string_view content_type) {
    auto semi = content_type.find(';');
    if (semi == std::string_view::npos) return {};
    if (!str::iequals(str::trim(content_type.substr(0, semi)), "multipart/form-data")) return {};
    auto b = param(content_type.substr(semi + 1), "boundary");
    if (b.empty() || b.size() > 70) return {};
    return b;
}

std::vector<Part> parse_multipart(std::string_view body, std::string_view boundary,
                                  std::size_t max_parts) {
    if (boundary.empty()) throw std::invalid_argument("no boundary");
    std::string delim = "--" + std::string(boundary);
    std::vector<Part> parts;
    auto pos = body.find(delim);
    if (pos == std::string_view::npos) throw std::invalid_argument("boundary not found");
    pos += delim.size();
    std::string next = "\r\n" + delim;
    for (;;) {
        if (body.substr(pos, 2) == "--") return parts;  // closing delimiter
        if (body.substr(pos, 2) != "\r\n") throw std::invalid_argument("bad delimiter line");
        pos += 2;
        auto headers_end = body.find("\r\n\r\n", pos);
        if (headers_end == std::string_view::npos || headers_end - pos > 8192)
            throw std::invalid_argument("bad part headers");
        Part p;
        bool disposition = false;
        for (auto line : str::split(body.substr(pos, headers_end - pos), '\n')) {
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            auto colon = line.find(':');
            if (colon == std::string_view::npos) throw std::invalid_argument("bad header line");
            auto name = str::trim(line.substr(0, colon));
            auto value = str::trim(line.substr(colon + 1));
            if (str::iequals(name, "content-disposition")) {
                if (!str::starts_with(str::to_lower(value), "form-data"))
                    throw std::invalid_argument("not form-data");
                p.name = param(value, "name");
                p.filename = param(value, "filename");
                disposition = true;
            } else if (str::iequals(name, "content-type")) {
                p.content_type = std::string(value);
            }
        }
        if (!disposition) throw std::invalid_argument("part without Content-Disposition");
        auto data_start = headers_end + 4;
        auto end = body.find(next, data_start);
        if (end == std::string_view::npos) throw std::invalid_argument("unterminated part");
        p.data = body.substr(data_start, end - data_start);
        parts.push_back(std::move(p));
        if (parts.size() > max_parts) throw std::invalid_argument("too many parts");
        pos = end + next.size();
    }
}

}  // namespace essaim::http
