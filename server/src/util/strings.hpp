// String helpers shared by every module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace essaim::str {

std::string_view trim(std::string_view s);
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
// `items` joined with `sep` between them ("a|b|c").
std::string join(const std::vector<std::string>& items, std::string_view sep);
std::vector<std::string_view> split(std::string_view s, char sep);
bool starts_with(std::string_view s, std::string_view prefix);
// Valid UTF-8 (no overlongs, no surrogates). JSON strings from clients are checked with it.
bool is_valid_utf8(std::string_view s);
// Replaces invalid UTF-8 sequences with U+FFFD, for text that is shown but not trusted
// (torrent comments, magnet display names).
std::string to_valid_utf8(std::string_view s);
// Number of Unicode code points of a valid UTF-8 string.
std::size_t utf8_length(std::string_view s);
// A decimal integer made only of ASCII digits (no sign, no spaces), or nullopt (also on overflow).
std::optional<std::int64_t> parse_uint(std::string_view s);

}  // namespace essaim::str
