// libFuzzer target: signed download URLs arrive from anyone (direct serving decodes and checks
// them), and file paths come from qBittorrent and API requests. Properties checked:
//  - a normalised URI never contains "//", a "." or ".." segment, or a NUL, and is idempotent;
//  - a path accepted as clean is accepted under any root and stays inside it;
//  - a link never verifies with a different URI, and a signed one always verifies;
//  - parse_range never returns a range outside the body.
#include "download/direct.hpp"
#include "download/paths.hpp"
#include "download/signer.hpp"
#include "util/strings.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace essaim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);

    if (auto uri = download::normalize_uri(in)) {
        if (uri->empty() || uri->front() != '/') __builtin_trap();
        if (uri->find("//") != std::string::npos) __builtin_trap();
        if (uri->find('\0') != std::string::npos) __builtin_trap();
        for (auto seg : str::split(std::string_view(*uri).substr(1), '/'))
            if (seg == "." || seg == "..") __builtin_trap();
        // Normalising the (re-encoded) result again changes nothing.
        auto again = download::normalize_uri(download::encode_path(*uri));
        if (!again || *again != *uri) __builtin_trap();
    }

    if (download::is_clean_relative(in)) {
        auto rel = download::relative_to_root("/srv/dl", "/srv/dl", in);
        if (!rel || *rel != in) __builtin_trap();
        auto uri = download::normalize_uri(download::encode_path("/dl/" + std::string(in)));
        if (!uri || *uri != "/dl/" + std::string(in)) __builtin_trap();
    }

    auto split = in.find('|');
    if (split != std::string_view::npos) {
        auto uri = in.substr(0, split);
        auto rest = in.substr(split + 1);
        auto h = download::link_hash(uri, 2000000000, "secret");
        if (download::check_link(uri, h, "2000000000", "secret", 1) != download::LinkCheck::ok)
            __builtin_trap();
        if (rest != uri &&
            download::check_link(rest, h, "2000000000", "secret", 1) == download::LinkCheck::ok)
            __builtin_trap();
        download::check_link(uri, rest, rest, "secret", 1);  // garbage md5/expires: no crash
    }

    for (std::uint64_t body : {0ull, 1ull, 5000ull}) {
        auto r = download::parse_range(in, body);
        if (r.kind == download::RangeKind::single &&
            (r.range.first > r.range.last || r.range.last >= body))
            __builtin_trap();
    }
    return 0;
}
