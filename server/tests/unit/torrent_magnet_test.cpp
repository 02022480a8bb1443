// Magnet URIs (BEP 9 / BEP 53 / BEP 52): hashes in every accepted spelling, the other fields,
// and everything that must be refused.
#include "torrent/error.hpp"
#include "torrent/magnet.hpp"
#include "torrent/metainfo.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

using namespace essaim::torrent;

namespace {

const std::string kV1 = "c999869e12776dc0cf2dd18caf6bcc523d7c48b9";  // fixtures/v1-single
const std::string kV1Base32 = "ZGMYNHQSO5W4BTZN2GGK626MKI6XYSFZ";    // the same 20 bytes
const std::string kV2 = "6505e5e97cedd0f540d350efced1a69b35dd15c91c228f098d75bd7c073bfeed";

std::string error_of(std::string_view uri) {
    try {
        parse_magnet(uri);
    } catch (const TorrentError& e) {
        EXPECT_EQ(e.code, "invalid_magnet") << e.what();
        EXPECT_EQ(std::string(e.what()).rfind("Le lien magnet est invalide : ", 0), 0u) << e.what();
        return e.what();
    }
    return "";
}

#define EXPECT_REJECTED(uri, fragment)                                            \
    do {                                                                          \
        std::string msg_ = error_of(uri);                                         \
        EXPECT_NE(msg_.find(fragment), std::string::npos) << "message: " << msg_; \
    } while (0)

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

TEST(Magnet, HexBtih) {
    Magnet m = parse_magnet("magnet:?xt=urn:btih:" + kV1);
    EXPECT_EQ(m.info_hash_v1, kV1);
    EXPECT_EQ(m.info_hash_v2, "");
    EXPECT_EQ(m.qbt_id(), kV1);
    EXPECT_EQ(m.display_name, "");
    EXPECT_TRUE(m.trackers.empty());
    EXPECT_FALSE(m.exact_length.has_value());
}

TEST(Magnet, UpperCaseHexIsLowered) {
    Magnet m = parse_magnet("magnet:?xt=urn:btih:" + upper(kV1));
    EXPECT_EQ(m.info_hash_v1, kV1);
    EXPECT_EQ(m.qbt_id(), kV1);
    // Parameter names are case-insensitive (as in libtorrent)...
    EXPECT_EQ(parse_magnet("magnet:?XT=urn:btih:" + kV1).info_hash_v1, kV1);
}

TEST(Magnet, Base32Btih) {
    EXPECT_EQ(parse_magnet("magnet:?xt=urn:btih:" + kV1Base32).info_hash_v1, kV1);
    std::string lower = kV1Base32;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(parse_magnet("magnet:?xt=urn:btih:" + lower).info_hash_v1, kV1);
    // RFC 4648 test alphabet ends: all 'A' is zero bytes, all '7' is all ones.
    EXPECT_EQ(parse_magnet("magnet:?xt=urn:btih:" + std::string(32, 'A')).info_hash_v1,
              std::string(40, '0'));
    EXPECT_EQ(parse_magnet("magnet:?xt=urn:btih:" + std::string(32, '7')).info_hash_v1,
              std::string(40, 'f'));
}

TEST(Magnet, V2OnlyBtmh) {
    Magnet m = parse_magnet("magnet:?xt=urn:btmh:1220" + kV2 + "&dn=v2%20seul.bin");
    EXPECT_EQ(m.info_hash_v1, "");
    EXPECT_EQ(m.info_hash_v2, kV2);
    EXPECT_EQ(m.qbt_id(), kV2.substr(0, 40));
    EXPECT_EQ(m.display_name, "v2 seul.bin");
    EXPECT_EQ(parse_magnet("magnet:?xt=urn:btmh:1220" + upper(kV2)).info_hash_v2, kV2);
}

TEST(Magnet, HybridWithTwoXtAsLibtorrentWritesIt) {
    // libtorrent's make_magnet_uri() for fixtures/hybrid-multi.torrent (lower-case escapes).
    Magnet m = parse_magnet(
        "magnet:?xt=urn:btih:d1c4758dd41875b04fc05be86797f83b5d0f1143&xt=urn:btmh:"
        "12200415874e37ab954c1430162a46bfc28dca7b23561dfe766271688bcbbe1d59ae&dn=Hybride&tr=http%"
        "3a%2f%2f127.0.0.1%3a16969%2fannounce");
    EXPECT_EQ(m.info_hash_v1, "d1c4758dd41875b04fc05be86797f83b5d0f1143");
    EXPECT_EQ(m.info_hash_v2, "0415874e37ab954c1430162a46bfc28dca7b23561dfe766271688bcbbe1d59ae");
    EXPECT_EQ(m.display_name, "Hybride");
    EXPECT_EQ(m.trackers, std::vector<std::string>{"http://127.0.0.1:16969/announce"});

    // The magnet and the .torrent name the same torrent the same way in qBittorrent.
    std::ifstream f(
        std::filesystem::path(__FILE__).parent_path() / "../fixtures/torrents/hybrid-multi.torrent",
        std::ios::binary);
    std::string bytes{std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
    MetaInfo t = parse_torrent(bytes);
    EXPECT_EQ(m.qbt_id(), t.qbt_id());
    EXPECT_EQ(m.qbt_id(), "0415874e37ab954c1430162a46bfc28dca7b2356");
    EXPECT_EQ(m.info_hash_v1, t.info_hash_v1);

    // Order does not matter, nor BEP 9's numbered keys (xt.1, xt.2).
    Magnet n = parse_magnet("magnet:?xt.1=urn:btmh:1220" + kV2 + "&xt.2=urn:btih:" + kV1);
    EXPECT_EQ(n.info_hash_v1, kV1);
    EXPECT_EQ(n.info_hash_v2, kV2);
    EXPECT_EQ(n.qbt_id(), kV2.substr(0, 40));
}

TEST(Magnet, DisplayNamePercentDecodedWithPlusAsSpace) {
    Magnet m = parse_magnet("magnet:?xt=urn:btih:" + kV1 + "&dn=Caf%C3%A9+cr%c3%a8me+%2B+%26");
    EXPECT_EQ(m.display_name, "Café crème + &");
    // The last dn wins, as in libtorrent; invalid UTF-8 is replaced, not trusted.
    EXPECT_EQ(parse_magnet("magnet:?xt=urn:btih:" + kV1 + "&dn=a&dn=b").display_name, "b");
    EXPECT_EQ(parse_magnet("magnet:?xt=urn:btih:" + kV1 + "&dn=caf%E9").display_name,
              "caf\xEF\xBF\xBD");
    // A '%' that starts no escape stays as it is (WHATWG URL percent-decoding), as sites write
    // "100%" unescaped; libtorrent accepts these links too.
    EXPECT_EQ(parse_magnet("magnet:?xt=urn:btih:" + kV1 + "&dn=100%+pur%zz%4").display_name,
              "100% pur%zz%4");
    EXPECT_EQ(parse_magnet("magnet:?xt=urn:btih:" + kV1 + "&dn=a%").display_name, "a%");
}

TEST(Magnet, SeveralTrackersDecodedAndDeduplicated) {
    Magnet m = parse_magnet("magnet:?xt=urn:btih:" + kV1 +
                            "&tr=http%3A%2F%2Fa.example%2Fannounce%3Fk%3Da%2Bb"
                            "&tr=udp://b.example:6969/announce"
                            "&tr.1=http%3A%2F%2Fa.example%2Fannounce%3Fk%3Da%2Bb"
                            "&tr=&tr=http%3A%2F%2Fb%0Aad");
    // '+' stays a '+' outside dn; empty and control-character trackers are dropped.
    EXPECT_EQ(m.trackers, (std::vector<std::string>{"http://a.example/announce?k=a+b",
                                                    "udp://b.example:6969/announce"}));
}

TEST(Magnet, ExactLength) {
    EXPECT_EQ(parse_magnet("magnet:?xt=urn:btih:" + kV1 + "&xl=10826029").exact_length, 10826029);
    EXPECT_EQ(parse_magnet("magnet:?xt=urn:btih:" + kV1 + "&xl=0").exact_length, 0);
    EXPECT_EQ(parse_magnet("magnet:?xt=urn:btih:" + kV1 + "&xl=9223372036854775807").exact_length,
              INT64_MAX);
}

TEST(Magnet, IgnoresUnknownParametersAndUrnsAndSurroundingSpace) {
    Magnet m =
        parse_magnet("  magnet:?xt=urn:ed2k:31D6CFE0D16AE931B73C59D7E0C089C0&xt=urn:btih:" + kV1 +
                     "&ws=http://seed/&x.pe=1.2.3.4:5&so=0-2&kt=a+b&&novalue\n");
    EXPECT_EQ(m.info_hash_v1, kV1);
    // Same btih twice is not a conflict.
    EXPECT_EQ(parse_magnet("magnet:?xt=urn:btih:" + kV1 + "&xt=urn:btih:" + kV1Base32).info_hash_v1,
              kV1);
    // '#' is an ordinary character for libtorrent, frequent in unescaped names.
    EXPECT_EQ(parse_magnet("magnet:?xt=urn:btih:" + kV1 + "&dn=Épisode #1").display_name,
              "Épisode #1");
    // An xt whose colons are percent-encoded.
    EXPECT_EQ(parse_magnet("magnet:?xt=urn%3Abtih%3A" + kV1).info_hash_v1, kV1);
}

// libtorrent 2.0.8 (checked with python3-libtorrent) reads "name up to '=', value up to '&'":
// a piece without '=' swallows the next parameter's name. qBittorrent would register
// "xt=A&&xt=B" as the v1 torrent A, so essaim must not predict the hybrid id of B.
TEST(Magnet, ParametersAreSplitLikeLibtorrent) {
    Magnet m = parse_magnet("magnet:?xt=urn:btih:" + kV1 + "&&xt=urn:btmh:1220" + kV2);
    EXPECT_EQ(m.info_hash_v1, kV1);
    EXPECT_EQ(m.info_hash_v2, "");
    EXPECT_EQ(m.qbt_id(), kV1);
    Magnet t = parse_magnet("magnet:?tr=a&xt=urn:btih:" + kV1 + "&junk&tr=b&tr=c");
    EXPECT_EQ(t.trackers, (std::vector<std::string>{"a", "c"}));
    EXPECT_REJECTED("magnet:?&xt=urn:btih:" + kV1, "aucune empreinte");
    // A '=' inside a value is part of it.
    EXPECT_EQ(parse_magnet("magnet:?xt=urn:btih:" + kV1 + "&tr=http://t/a?k=v").trackers,
              std::vector<std::string>{"http://t/a?k=v"});
}

TEST(Magnet, Rejections) {
    // libtorrent only knows the lower-case spellings of the scheme and of the URN prefixes.
    EXPECT_REJECTED("MAGNET:?xt=urn:btih:" + kV1, "« magnet:? »");
    EXPECT_REJECTED("magnet:?xt=URN:BTIH:" + kV1, "aucune empreinte");
    EXPECT_REJECTED("magnet:?xt=urn:btih:" + kV1 + "#frag", "40 caractères");
    EXPECT_REJECTED("", "« magnet:? »");
    EXPECT_REJECTED("http://example.com/a.torrent", "« magnet:? »");
    EXPECT_REJECTED("magnet:xt=urn:btih:" + kV1, "« magnet:? »");
    EXPECT_REJECTED("magnet:?dn=nothing", "aucune empreinte");
    EXPECT_REJECTED("magnet:?", "aucune empreinte");
    EXPECT_REJECTED("magnet:?xt=urn:ed2k:31D6CFE0D16AE931B73C59D7E0C089C0", "aucune empreinte");
    EXPECT_REJECTED("magnet:?xt=urn:btih:" + kV1.substr(0, 39), "40 caractères");
    EXPECT_REJECTED("magnet:?xt=urn:btih:" + kV1 + "0", "40 caractères");
    EXPECT_REJECTED("magnet:?xt=urn:btih:" + kV1.substr(0, 39) + "g", "40 caractères");
    EXPECT_REJECTED("magnet:?xt=urn:btih:", "40 caractères");
    EXPECT_REJECTED("magnet:?xt=urn:btih:ZGMYNHQSO5W4BTZN2GGK626MKI6XYSF1", "base32");
    EXPECT_REJECTED("magnet:?xt=urn:btih:ZGMYNHQSO5W4BTZN2GGK626MKI6XYSF=", "base32");
    EXPECT_REJECTED("magnet:?xt=urn:btmh:1114" + kV2, "1220");
    EXPECT_REJECTED("magnet:?xt=urn:btmh:" + kV2, "68 caractères");
    EXPECT_REJECTED("magnet:?xt=urn:btmh:1220" + kV2.substr(0, 62), "68 caractères");
    EXPECT_REJECTED("magnet:?xt=urn:btih:" + kV1 + "&xt=urn:btih:" + std::string(40, 'a'),
                    "deux empreintes btih différentes");
    EXPECT_REJECTED("magnet:?xt=urn:btmh:1220" + kV2 + "&xt=urn:btmh:1220" + std::string(64, 'a'),
                    "deux empreintes btmh différentes");
    EXPECT_REJECTED("magnet:?xt=urn:btih:" + kV1 + "&xl=-1", "xl");
    EXPECT_REJECTED("magnet:?xt=urn:btih:" + kV1 + "&xl=", "xl");
    EXPECT_REJECTED("magnet:?xt=urn:btih:" + kV1 + "&xl=12a", "xl");
    EXPECT_REJECTED("magnet:?xt=urn:btih:" + kV1 + "&xl=9223372036854775808", "xl");
    EXPECT_REJECTED("magnet:?xt=urn:btih:" + kV1 + "&xl=99999999999999999999", "xl");
    EXPECT_REJECTED("magnet:?xt=urn:btih:%zz" + kV1.substr(3), "encodage");
    EXPECT_REJECTED("magnet:?xt=urn:btih:" + kV1 + "&xt=urn:other:%", "encodage");
}

TEST(Magnet, AtMost4KiB) {
    std::string base = "magnet:?xt=urn:btih:" + kV1 + "&dn=";
    std::string ok = base + std::string(4096 - base.size(), 'a');
    ASSERT_EQ(ok.size(), 4096u);
    EXPECT_EQ(parse_magnet(ok).display_name.size(), 4096 - base.size());
    EXPECT_REJECTED(ok + "a", "4 Kio");
    EXPECT_REJECTED(std::string(1 << 20, ' '), "4 Kio");
}
