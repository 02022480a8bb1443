// Signed, expiring download links exactly as nginx's secure_link module checks them:
//   secure_link $arg_md5,$arg_expires;
//   secure_link_md5 "$secure_link_expires$uri[$remote_addr] <secret>";
// `uri` is always the DECODED, normalised path (what nginx holds in $uri), bytes as on disk; the
// URL carries it percent-encoded. Pure functions: no I/O, no clock (callers pass `now`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace essaim::download {

// base64url (no padding) of the binary MD5 of "{expires}{uri}{ip} {secret}" — 22 characters.
std::string link_hash(std::string_view uri, std::int64_t expires, std::string_view secret,
                      std::string_view ip = {});

// Percent-encodes every byte except RFC 3986 unreserved characters and '/', so '#', '?', '%',
// '+', spaces, quotes and UTF-8 survive any client unchanged.
std::string encode_path(std::string_view decoded);

// "{encoded uri}?md5=…&expires=…" (relative: the caller prefixes the origin when it has one).
std::string signed_path(std::string_view uri, std::int64_t expires, std::string_view secret,
                        std::string_view ip = {});

enum class LinkCheck { ok, invalid, expired };

// What nginx answers: invalid (403) for a missing/garbled/wrong hash or a missing, non-numeric or
// zero `expires` — the hash is checked first, so an expired link with a wrong hash is invalid —
// and expired (410) for a correct hash whose time has passed.
LinkCheck check_link(std::string_view uri, std::string_view md5, std::string_view expires,
                     std::string_view secret, std::int64_t now, std::string_view ip = {});

}  // namespace essaim::download
