// The one clock of essaim's data: Unix seconds, as every timestamp in the database and the API.
// (Durations and deadlines use std::chrono::steady_clock where they are measured.)
#pragma once

#include <cstdint>
#include <ctime>

namespace essaim::util {

inline std::int64_t unix_now() {
    return static_cast<std::int64_t>(std::time(nullptr));
}

}  // namespace essaim::util
