// gzip (RFC 1952) with zlib. Used to pre-compress cached API answers once, for the browsers that
// accept it (all of them), instead of sending the same 70 KB of JSON to every request.
#pragma once

#include <string>
#include <string_view>

namespace essaim::util {

std::string gzip(std::string_view data, int level = 6);
std::string gunzip(std::string_view data);  // for tests; throws std::runtime_error

}  // namespace essaim::util
