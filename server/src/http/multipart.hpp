// multipart/form-data parser (RFC 7578) for uploads of .torrent files. Pure, fuzzed.
// Limits: at most `max_parts` parts, part headers of at most 8 KiB; bodies are views into the
// input (no copy). Throws std::invalid_argument on malformed input.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace essaim::http {

struct Part {
    std::string name;
    std::string filename;  // empty when the part is a plain field
    std::string content_type;
    std::string_view data;
};

// The boundary parameter of a multipart/form-data Content-Type, or "" when absent/invalid.
std::string multipart_boundary(std::string_view content_type);
std::vector<Part> parse_multipart(std::string_view body, std::string_view boundary,
                                  std::size_t max_parts = 100);

}  // namespace essaim::http
