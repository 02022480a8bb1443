// Direct serving (one-machine installs): essaim answers the signed "/dl/…" URLs itself, with the
// checks nginx makes (decoded, normalised $uri; md5 first, then expiry), Range, HEAD, and
// Content-Disposition with UTF-8 names. The file is opened beneath the root without following
// any symlink (paths.hpp). Files are streamed (BodySource), never read into memory. Refusals are
// small French HTML pages: these URLs are opened by navigation. (Folders as .zip are served by
// api/files_api.cpp: they need the torrent's file list.)
#pragma once

#include "download/settings.hpp"
#include "http/message.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace essaim::download {

struct ByteRange {
    std::uint64_t first = 0, last = 0;  // inclusive
};
enum class RangeKind { none, single, unsatisfiable };
struct RangeRequest {
    RangeKind kind = RangeKind::none;
    ByteRange range;
};

// One "bytes=a-b" / "bytes=a-" / "bytes=-n" range against a body of `size` bytes. Several ranges
// or a malformed header are answered with the whole body (RFC 9110 allows ignoring Range).
RangeRequest parse_range(std::string_view header, std::uint64_t size);

// Content-Type from the file extension (video/audio types the browser plays inline, common ones).
std::string_view content_type_for(std::string_view name);

// `attachment` or `inline` with an ASCII fallback name and the RFC 6266 UTF-8 `filename*`.
std::string content_disposition(bool attachment, std::string_view name);

// GET/HEAD on "/dl/…" with server 1's settings `s`; "/dl/~<id>/…" (another server in direct
// mode) from the root `root_of(id)` gives ("" = not served). `now` is the Unix time.
using RootOf = std::function<std::string(std::int64_t server)>;
http::Response serve_signed(const Settings& s, const RootOf& root_of, const http::Request& req,
                            std::int64_t now);

// The small French HTML page of a refusal (status, title, sentence).
http::Response page(int status, const std::string& title, const std::string& text);

}  // namespace essaim::download
