// libFuzzer target: Jackett's search JSON (a remote server's answer).
#include "jackett/results.hpp"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    try {
        auto r = essaim::jackett::parse_results(in, 100);
        essaim::jackett::sort_by_seeders(r.results);
        if (r.results.size() > 100) __builtin_trap();
    } catch (const std::invalid_argument&) {
    }
    essaim::jackett::parse_date(in);
    return 0;
}
