#include "torrent/magnet.hpp"

#include "torrent/error.hpp"
#include "util/crypto.hpp"
#include "util/strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace essaim::torrent {
namespace {

constexpr std::size_t kMaxMagnetBytes = 4096;

[[noreturn]] void fail(std::string_view what) {
    throw TorrentError("invalid_magnet", fmt::format("Le lien magnet est invalide : {}.", what));
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return hex_value(c) >= 0; });
}

// Percent-decoding as the WHATWG URL Standard does it: a '%' that is not followed by two hex
// digits stays a literal '%'. Sites often put an unescaped "100%" in `dn`; libtorrent accepts
// such links too, so refusing them would only turn users away.
std::string percent_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

bool has_broken_escape(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] == '%' &&
            (i + 2 >= s.size() || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0))
            return true;
    return false;
}

// RFC 4648 base32 (A-Z, 2-7, any case, no padding): 32 characters are exactly 20 bytes.
std::string base32_to_hex(std::string_view s) {
    std::string bytes;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : s) {
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a';
        else if (c >= '2' && c <= '7')
            v = c - '2' + 26;
        else
            fail("empreinte btih en base32 invalide");
        buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            bytes += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return crypto::hex_encode(bytes);
}

std::string btih_to_hex(std::string_view h) {
    if (h.size() == 40 && is_hex(h)) return str::to_lower(h);
    if (h.size() == 32) return base32_to_hex(h);
    fail("l'empreinte btih doit faire 40 caractères hexadécimaux ou 32 en base32");
}

// BEP 52 magnets carry a multihash: 0x12 (SHA-256) 0x20 (32 bytes), then the digest.
std::string btmh_to_hex(std::string_view h) {
    if (h.size() != 68 || !is_hex(h))
        fail("l'empreinte btmh doit faire 68 caractères hexadécimaux");
    if (h.substr(0, 4) != "1220") fail("l'empreinte btmh n'est pas un multihash SHA-256 (1220…)");
    return str::to_lower(h.substr(4));
}

void set_hash(std::string& slot, std::string value, std::string_view kind) {
    if (!slot.empty() && slot != value) fail(fmt::format("deux empreintes {} différentes", kind));
    slot = std::move(value);
}

std::int64_t parse_length(std::string_view s) {
    if (s.empty() || s.size() > 19 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        fail("la taille (xl) n'est pas un nombre entier positif ou nul");
    std::uint64_t v = 0;
    for (char c : s) v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        fail("la taille (xl) est trop grande");
    return static_cast<std::int64_t>(v);
}

bool is_usable_tracker(std::string_view url) {
    return !url.empty() && str::is_valid_utf8(url) &&
           std::none_of(url.begin(), url.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

}  // namespace

std::string Magnet::qbt_id() const {
    return info_hash_v2.empty() ? info_hash_v1 : info_hash_v2.substr(0, 40);
}

Magnet parse_magnet(std::string_view uri) {
    if (uri.size() > kMaxMagnetBytes) fail("il dépasse 4 Kio");
    uri = str::trim(uri);
    // The reading below copies libtorrent 2.0's parse_magnet_uri() (what qBittorrent uses), even
    // where it is odd, because essaim must find the same hashes qBittorrent will: the scheme and
    // the "urn:btih:" / "urn:btmh:" prefixes are case-sensitive, '#' has no special meaning, and
    // a parameter is "name up to the next '=', value up to the next '&'", so a piece without
    // '=' swallows the name of the parameter after it ("xt=A&&xt=B" has no second xt for
    // libtorrent: reading it as a hybrid would predict the wrong qBittorrent id).
    constexpr std::string_view scheme = "magnet:?";
    if (uri.substr(0, scheme.size()) != scheme) fail("il ne commence pas par « magnet:? »");
    std::string_view rest = uri.substr(scheme.size());

    Magnet m;
    bool have_xl = false;
    while (!rest.empty()) {
        auto eq = rest.find('=');
        std::string key = str::to_lower(rest.substr(0, eq));
        rest = eq == std::string_view::npos ? std::string_view() : rest.substr(eq + 1);
        auto amp = rest.find('&');
        std::string_view raw = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        // BEP 9 numbers repeated parameters: xt.1, xt.2, tr.1, …
        if (auto dot = key.find('.');
            dot != std::string::npos &&
            std::all_of(key.begin() + static_cast<std::ptrdiff_t>(dot) + 1, key.end(),
                        [](char c) { return c >= '0' && c <= '9'; }))
            key.resize(dot);

        if (key == "xt") {
            // libtorrent refuses the whole link when an xt holds a broken escape.
            if (has_broken_escape(raw)) fail("encodage « % » invalide dans xt");
            std::string v = percent_decode(raw, false);
            std::string_view sv = v;
            if (sv.substr(0, 9) == "urn:btih:")
                set_hash(m.info_hash_v1, btih_to_hex(sv.substr(9)), "btih");
            else if (sv.substr(0, 9) == "urn:btmh:")
                set_hash(m.info_hash_v2, btmh_to_hex(sv.substr(9)), "btmh");
            // Other URNs (ed2k, sha1, …) describe other networks: ignored.
        } else if (key == "dn") {
            m.display_name =
                str::to_valid_utf8(percent_decode(raw, true));  // the last one, as libtorrent
        } else if (key == "tr") {
            std::string v(str::trim(percent_decode(raw, false)));
            if (is_usable_tracker(v) &&
                std::find(m.trackers.begin(), m.trackers.end(), v) == m.trackers.end())
                m.trackers.push_back(std::move(v));
        } else if (key == "xl") {
            std::int64_t v = parse_length(percent_decode(raw, false));
            if (!have_xl) m.exact_length = v;
            have_xl = true;
        }
    }
    if (m.info_hash_v1.empty() && m.info_hash_v2.empty())
        fail("aucune empreinte BitTorrent (xt=urn:btih:… ou urn:btmh:…)");
    return m;
}

}  // namespace essaim::torrent
