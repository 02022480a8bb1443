// libFuzzer target: session tokens and CSRF values come straight from cookies/headers.
#include "auth/csrf.hpp"
#include "auth/jwt.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    auto claims = essaim::auth::jwt_decode(in, "fuzz-key", 1000);
    // Anything accepted must have been signed with the key: re-encoding gives a valid token.
    if (claims) {
        auto again = essaim::auth::jwt_encode(*claims, "fuzz-key");
        if (!essaim::auth::jwt_decode(again, "fuzz-key", 1000)) __builtin_trap();
    }
    essaim::auth::csrf_valid(in, "sid", "fuzz-key");
    return 0;
}
