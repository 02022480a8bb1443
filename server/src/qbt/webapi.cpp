#include "qbt/webapi.hpp"

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <cstdio>

namespace essaim::qbt {

ApiVersion parse_api_version(const std::string& s) {
    ApiVersion v;
    std::sscanf(s.c_str(), "%d.%d.%d", &v.major, &v.minor, &v.patch);
    return v;
}

std::string form_encode(std::string_view v) {
    return boost::urls::encode(v, boost::urls::unreserved_chars);
}

namespace {
std::int64_t int_of(const boost::json::object& o, const char* k) {
    auto* v = o.if_contains(k);
    if (!v) return 0;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
    if (v->is_double()) return static_cast<std::int64_t>(v->as_double());
    return 0;
}
}  // namespace

std::vector<TorrentFile> parse_torrent_files(const boost::json::value& v) {
    std::vector<TorrentFile> out;
    if (!v.is_array()) return out;
    for (const auto& f : v.as_array()) {
        if (!f.is_object()) continue;
        const auto& o = f.as_object();
        auto* name = o.if_contains("name");
        if (!name || !name->is_string()) continue;
        TorrentFile tf;
        tf.path = std::string(name->as_string());
        tf.size = int_of(o, "size");
        if (auto* p = o.if_contains("progress"); p && p->is_number())
            tf.progress = p->to_number<double>();
        tf.priority = int_of(o, "priority");
        tf.index =
            o.if_contains("index") ? int_of(o, "index") : static_cast<std::int64_t>(out.size());
        out.push_back(std::move(tf));
    }
    return out;
}

}  // namespace essaim::qbt
