// libFuzzer target: multipart/form-data bodies (uploads of .torrent files).
#include "http/multipart.hpp"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    auto nl = in.find('\n');
    std::string_view ct = in.substr(0, nl);
    std::string_view body = nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);
    auto boundary = essaim::http::multipart_boundary(ct);
    try {
        auto parts = essaim::http::parse_multipart(body, boundary.empty() ? "b" : boundary, 50);
        for (const auto& p : parts)
            if (p.data.data() < body.data() ||
                p.data.data() + p.data.size() > body.data() + body.size())
                __builtin_trap();  // every part must be a view inside the body
    } catch (const std::invalid_argument&) {
    }
    return 0;
}
