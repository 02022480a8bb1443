// libFuzzer target: request paths, query strings, cookies and JSON bodies from clients.
#include "api/errors.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string in(reinterpret_cast<const char*>(data), size);
    using namespace essaim;
    static http::Router router = [] {
        http::Router r;
        auto h = [](http::Request&) { return http::Response::no_content(); };
        r.add("GET", "/api/torrents/{hash}/files", h);
        r.add("POST", "/api/torrents/{hash}/pause", h);
        r.add("GET", "/api/me", h);
        return r;
    }();
    http::percent_decode(in, true);
    router.match("GET", in);
    router.match("POST", "/" + in);
    http::Request req;
    req.headers = {{"cookie", in}, {"content-type", "application/json"}};
    req.query = in;
    req.body = in;
    req.cookie("essaim_session");
    req.query_param("q");
    try {
        auto o = api::parse_json_object(req);
        api::opt_string(o, "username");
        api::opt_int(o, "n");
        api::opt_bool(o, "b");
    } catch (const api::ApiError&) {
    }
    return 0;
}
