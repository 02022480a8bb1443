// .torrent parsing on the committed fixtures (hashes computed independently by libtorrent and by
// hashing the raw info bytes in Python: see tests/fixtures/torrents/README.md) and on hand-made
// hostile files.
#include "torrent/bencode.hpp"
#include "torrent/error.hpp"
#include "torrent/metainfo.hpp"
#include "util/crypto.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace essaim::torrent;

namespace {

const std::filesystem::path kFixtures =
    std::filesystem::path(__FILE__).parent_path() / "../fixtures/torrents";

std::string read_fixture(const std::string& name) {
    std::ifstream f(kFixtures / name, std::ios::binary);
    EXPECT_TRUE(f.good()) << "missing fixture " << name;
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// A test-only bencode writer; dictionaries keep the order given (to write unsorted ones).
struct B {
    std::string enc;
    static B i(std::int64_t v) { return {"i" + std::to_string(v) + "e"}; }
    static B s(std::string_view v) { return {std::to_string(v.size()) + ":" + std::string(v)}; }
    static B l(std::initializer_list<B> items) {
        std::string out = "l";
        for (const auto& b : items) out += b.enc;
        return {out + "e"};
    }
    static B d(std::initializer_list<std::pair<std::string_view, B>> items) {
        std::string out = "d";
        for (const auto& [k, v] : items) out += s(k).enc + v.enc;
        return {out + "e"};
    }
};

std::string pieces(int n) {
    return std::string(static_cast<std::size_t>(n) * 20, 'h');
}

// A valid v1 torrent around the given info dictionary.
std::string torrent(const B& info) {
    return B::d({{"info", info}}).enc;
}

// A valid multi-file v1 info dictionary; each file is {path list, length}.
B multi(std::initializer_list<B> files, std::int64_t total) {
    return B::d({{"files", B::l(files)},
                 {"name", B::s("Racine")},
                 {"piece length", B::i(16384)},
                 {"pieces", B::s(pieces(static_cast<int>((total + 16383) / 16384)))}});
}
B file(std::initializer_list<B> path, std::int64_t length) {
    return B::d({{"length", B::i(length)}, {"path", B::l(path)}});
}

std::string error_of(std::string_view bytes) {
    try {
        parse_torrent(bytes);
    } catch (const TorrentError& e) {
        EXPECT_EQ(e.code, "invalid_torrent") << e.what();
        EXPECT_EQ(std::string(e.what()).rfind("Le fichier .torrent est invalide : ", 0), 0u)
            << e.what();
        return e.what();
    }
    return "";
}

#define EXPECT_REJECTED(bytes, fragment)                                          \
    do {                                                                          \
        std::string msg_ = error_of(bytes);                                       \
        EXPECT_NE(msg_.find(fragment), std::string::npos) << "message: " << msg_; \
    } while (0)

std::vector<std::pair<std::string, std::int64_t>> files_of(const MetaInfo& m) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& f : m.files) out.emplace_back(f.path, f.size);
    return out;
}

using Files = std::vector<std::pair<std::string, std::int64_t>>;

}  // namespace

// ---- fixtures ----------------------------------------------------------------------------

TEST(MetaInfo, V1SingleFileFromMktorrent) {
    MetaInfo m = parse_torrent(read_fixture("v1-single.torrent"));
    EXPECT_EQ(m.version, Version::v1);
    EXPECT_EQ(m.name, "bonjour.txt");
    EXPECT_EQ(files_of(m), (Files{{"bonjour.txt", 40000}}));
    EXPECT_EQ(m.total_size, 40000);
    EXPECT_EQ(m.piece_length, 32768);
    EXPECT_EQ(m.info_hash_v1, "c999869e12776dc0cf2dd18caf6bcc523d7c48b9");
    EXPECT_EQ(m.info_hash_v2, "");
    EXPECT_EQ(m.qbt_id(), "c999869e12776dc0cf2dd18caf6bcc523d7c48b9");
    EXPECT_EQ(m.trackers, std::vector<std::string>{"http://127.0.0.1:16969/announce"});
    EXPECT_FALSE(m.is_private);
    EXPECT_EQ(m.comment, "Fixture essaim : un seul fichier (mktorrent)");
}

TEST(MetaInfo, V1MultiFileWithAccentsSubFoldersTiersAndPrivateFlag) {
    MetaInfo m = parse_torrent(read_fixture("v1-multi.torrent"));
    EXPECT_EQ(m.version, Version::v1);
    EXPECT_EQ(m.name, "Dossier été");
    EXPECT_EQ(files_of(m), (Files{{"Dossier été/sous-dossier/b.bin", 20000},
                                  {"Dossier été/sous-dossier/profond/c.txt", 5000},
                                  {"Dossier été/épisode 01.txt", 30000}}));
    EXPECT_EQ(m.total_size, 55000);
    EXPECT_EQ(m.info_hash_v1, "a37782e16d22ff35c630deef836d0ac635d0826a");
    EXPECT_EQ(m.info_hash_v2, "");
    EXPECT_EQ(m.qbt_id(), "a37782e16d22ff35c630deef836d0ac635d0826a");
    EXPECT_TRUE(m.is_private);
    // announce, then the tiers flattened; the announce URL repeated in tier 1 appears once.
    EXPECT_EQ(m.trackers, (std::vector<std::string>{"http://127.0.0.1:16969/announce",
                                                    "http://127.0.0.2:16969/announce",
                                                    "udp://127.0.0.3:6969/announce"}));
    EXPECT_EQ(m.comment, "Fixture essaim : plusieurs fichiers, accents, privé");
}

TEST(MetaInfo, V1WithPaddingFilesLeavesThemOut) {
    MetaInfo m = parse_torrent(read_fixture("v1-padded.torrent"));
    EXPECT_EQ(m.version, Version::v1);
    EXPECT_EQ(files_of(m), (Files{{"Rembourrage/a.bin", 20000},
                                  {"Rembourrage/b.txt", 10000},
                                  {"Rembourrage/c.bin", 17000}}));
    EXPECT_EQ(m.total_size, 47000);  // the 3 padding files (34920 bytes) are not content
    EXPECT_EQ(m.piece_length, 16384);
    EXPECT_EQ(m.info_hash_v1, "23bf812c2121acddc2b4ab7bd9bd9347538a9a7f");
    EXPECT_EQ(m.qbt_id(), "23bf812c2121acddc2b4ab7bd9bd9347538a9a7f");
    EXPECT_TRUE(m.trackers.empty());
}

TEST(MetaInfo, V2SingleFile) {
    MetaInfo m = parse_torrent(read_fixture("v2-single.torrent"));
    EXPECT_EQ(m.version, Version::v2);
    EXPECT_EQ(m.name, "v2 seul.bin");
    EXPECT_EQ(files_of(m), (Files{{"v2 seul.bin", 50000}}));
    EXPECT_EQ(m.total_size, 50000);
    EXPECT_EQ(m.info_hash_v1, "");
    EXPECT_EQ(m.info_hash_v2, "6505e5e97cedd0f540d350efced1a69b35dd15c91c228f098d75bd7c073bfeed");
    EXPECT_EQ(m.qbt_id(), "6505e5e97cedd0f540d350efced1a69b35dd15c9");
}

TEST(MetaInfo, V2MultiFile) {
    MetaInfo m = parse_torrent(read_fixture("v2-multi.torrent"));
    EXPECT_EQ(m.version, Version::v2);
    EXPECT_EQ(m.name, "Série v2");
    EXPECT_EQ(files_of(m), (Files{{"Série v2/1. Épisode.txt", 40000},
                                  {"Série v2/extras/petit.txt", 1000},
                                  {"Série v2/extras/vidéo.bin", 33000}}));
    EXPECT_EQ(m.total_size, 74000);
    EXPECT_EQ(m.info_hash_v1, "");
    EXPECT_EQ(m.info_hash_v2, "db3e39886df22f19c6734d329fc713664849a8f99e007690088ab9d75ca1c2cc");
    EXPECT_EQ(m.qbt_id(), "db3e39886df22f19c6734d329fc713664849a8f9");
    EXPECT_EQ(m.comment, "Fixture essaim : v2 seulement");
}

TEST(MetaInfo, HybridSingleFile) {
    MetaInfo m = parse_torrent(read_fixture("hybrid-single.torrent"));
    EXPECT_EQ(m.version, Version::hybrid);
    EXPECT_EQ(files_of(m), (Files{{"hybride.bin", 36000}}));
    EXPECT_EQ(m.info_hash_v1, "84a303bf5efd11253d82f7d354f0695cf309b533");
    EXPECT_EQ(m.info_hash_v2, "e32d4aad8fcc8b5e6946b88789f5a7d6eba9141d835fa14e66285f818352e0bf");
    EXPECT_EQ(m.qbt_id(), "e32d4aad8fcc8b5e6946b88789f5a7d6eba9141d");
}

TEST(MetaInfo, HybridMultiFileIdIsTheTruncatedV2Hash) {
    MetaInfo m = parse_torrent(read_fixture("hybrid-multi.torrent"));
    EXPECT_EQ(m.version, Version::hybrid);
    EXPECT_EQ(m.name, "Hybride");
    // The v1 list has 3 `.pad/N` entries between and after the files: none are listed.
    EXPECT_EQ(files_of(m), (Files{{"Hybride/a.txt", 20000},
                                  {"Hybride/sous-dossier/b.bin", 40000},
                                  {"Hybride/sous-dossier/c é.txt", 3000}}));
    EXPECT_EQ(m.total_size, 63000);
    EXPECT_EQ(m.info_hash_v1, "d1c4758dd41875b04fc05be86797f83b5d0f1143");
    EXPECT_EQ(m.info_hash_v2, "0415874e37ab954c1430162a46bfc28dca7b23561dfe766271688bcbbe1d59ae");
    // qBittorrent 4.5.2 calls a hybrid by its v2 hash truncated to 40 hex, not by the SHA-1.
    EXPECT_EQ(m.qbt_id(), "0415874e37ab954c1430162a46bfc28dca7b2356");
    EXPECT_EQ(m.trackers, std::vector<std::string>{"http://127.0.0.1:16969/announce"});
}

TEST(MetaInfo, HashesAreOfTheRawInfoBytes) {
    for (const char* name :
         {"v1-single.torrent", "v1-multi.torrent", "v2-multi.torrent", "hybrid-multi.torrent"}) {
        const std::string file = read_fixture(name);
        Value top = bdecode(file);
        std::string_view info = top.find("info")->raw;
        MetaInfo m = parse_torrent(file);
        if (!m.info_hash_v1.empty()) {
            EXPECT_EQ(m.info_hash_v1, essaim::crypto::hex_encode(essaim::crypto::sha1(info)));
        }
        if (!m.info_hash_v2.empty()) {
            EXPECT_EQ(m.info_hash_v2, essaim::crypto::hex_encode(essaim::crypto::sha256(info)));
        }
    }
}

TEST(MetaInfo, EveryTruncationOfEveryFixtureIsRejected) {
    for (const char* name :
         {"v1-single.torrent", "v1-multi.torrent", "v1-padded.torrent", "v2-single.torrent",
          "v2-multi.torrent", "hybrid-single.torrent", "hybrid-multi.torrent"}) {
        const std::string file = read_fixture(name);
        ASSERT_FALSE(file.empty()) << name;
        EXPECT_NO_THROW(parse_torrent(file)) << name;
        for (std::size_t n = 0; n < file.size(); ++n)
            EXPECT_NE(error_of(std::string_view(file).substr(0, n)), "") << name << " at " << n;
    }
}

TEST(MetaInfo, QbtIdFrom) {
    EXPECT_EQ(qbt_id_from("aa", ""), "aa");
    EXPECT_EQ(qbt_id_from("", std::string(64, 'b')), std::string(40, 'b'));
    EXPECT_EQ(qbt_id_from("aa", std::string(64, 'b')), std::string(40, 'b'));
}

// ---- hand-made files ---------------------------------------------------------------------

TEST(MetaInfo, UnsortedKeysKeepTheHashOfTheExactBytes) {
    // "pieces" before "name": a re-encoding would sort the keys and change the hash.
    B info = B::d({{"pieces", B::s(pieces(1))},
                   {"name", B::s("a.txt")},
                   {"piece length", B::i(16384)},
                   {"length", B::i(5)}});
    MetaInfo m = parse_torrent(torrent(info));
    EXPECT_EQ(m.info_hash_v1, essaim::crypto::hex_encode(essaim::crypto::sha1(info.enc)));
    EXPECT_EQ(files_of(m), (Files{{"a.txt", 5}}));
}

TEST(MetaInfo, RejectsWhatIsNotATorrent) {
    EXPECT_REJECTED("", "vide");
    EXPECT_REJECTED("<html>404</html>", "caractère inattendu");
    EXPECT_REJECTED("li1ee", "n'est pas un dictionnaire");
    EXPECT_REJECTED(B::d({{"announce", B::s("http://t/announce")}}).enc,
                    "le dictionnaire « info » est absent");
    EXPECT_REJECTED(B::d({{"info", B::l({})}}).enc, "« info » n'est pas un dictionnaire");
    EXPECT_REJECTED(B::d({{"info", B::s("x")}}).enc, "« info » n'est pas un dictionnaire");
    EXPECT_REJECTED(torrent(B::d({})), "ni liste de fichiers (files) ni taille (length)");
    EXPECT_REJECTED(torrent(B::d({{"length", B::i(5)}, {"name", B::s("a")}})),
                    "la taille des pièces (piece length) est absente");
}

TEST(MetaInfo, RejectsBadNames) {
    auto with_name = [](std::optional<std::string> name) {
        if (!name)
            return torrent(B::d(
                {{"length", B::i(5)}, {"piece length", B::i(16384)}, {"pieces", B::s(pieces(1))}}));
        return torrent(B::d({{"length", B::i(5)},
                             {"name", B::s(*name)},
                             {"piece length", B::i(16384)},
                             {"pieces", B::s(pieces(1))}}));
    };
    EXPECT_NO_THROW(parse_torrent(with_name("ok.txt")));
    EXPECT_REJECTED(with_name(std::nullopt), "le nom (name) est absent");
    EXPECT_REJECTED(with_name(""), "vide");
    EXPECT_REJECTED(with_name(".."), "« .. »");
    EXPECT_REJECTED(with_name("."), "« . »");
    EXPECT_REJECTED(with_name("../etc"), "séparateur");
    EXPECT_REJECTED(with_name("a\\b"), "séparateur");
    EXPECT_REJECTED(with_name(std::string("a\0b", 3)), "caractère de contrôle");
    EXPECT_REJECTED(with_name("a\nb"), "caractère de contrôle");
    EXPECT_REJECTED(with_name("caf\xe9.txt"), "UTF-8");
    EXPECT_REJECTED(with_name("photo\xE2\x80\xAEgpj.exe"), "sens d'écriture");
    EXPECT_NO_THROW(parse_torrent(with_name(std::string(240, 'x'))));
    EXPECT_REJECTED(with_name(std::string(241, 'x')), "dépasse 240 octets");
}

TEST(MetaInfo, NameUtf8IsPreferred) {
    MetaInfo m = parse_torrent(torrent(B::d({{"length", B::i(5)},
                                             {"name", B::s("caf\xe9")},
                                             {"name.utf-8", B::s("café")},
                                             {"piece length", B::i(16384)},
                                             {"pieces", B::s(pieces(1))}})));
    EXPECT_EQ(m.name, "café");
    EXPECT_EQ(files_of(m), (Files{{"café", 5}}));
}

TEST(MetaInfo, MultiFilePathsAndTheirRules) {
    MetaInfo m = parse_torrent(torrent(multi(
        {file({B::s("Dossier été"), B::s("épisode 01.txt")}, 10), file({B::s("b.bin")}, 20)}, 30)));
    EXPECT_EQ(files_of(m),
              (Files{{"Racine/Dossier été/épisode 01.txt", 10}, {"Racine/b.bin", 20}}));

    EXPECT_REJECTED(torrent(multi({file({B::s(".."), B::s("etc"), B::s("passwd")}, 5)}, 5)),
                    "« .. »");
    EXPECT_REJECTED(torrent(multi({file({B::s("a"), B::s("")}, 5)}, 5)), "vide");
    EXPECT_REJECTED(torrent(multi({file({B::s("a/b")}, 5)}, 5)), "séparateur");
    EXPECT_REJECTED(torrent(multi({file({B::s(std::string("a\0b", 3))}, 5)}, 5)),
                    "caractère de contrôle");
    EXPECT_REJECTED(torrent(multi({file({}, 5)}, 5)), "liste non vide");
    EXPECT_REJECTED(torrent(multi({file({B::i(1)}, 5)}, 5)), "n'est pas une chaîne");
    EXPECT_REJECTED(torrent(multi({}, 0)), "est vide");
    EXPECT_REJECTED(torrent(multi({B::d({{"length", B::i(5)}})}, 5)), "path");
    EXPECT_REJECTED(torrent(multi({B::s("x")}, 5)), "n'est pas un dictionnaire");
}

TEST(MetaInfo, PathUtf8IsPreferredOverPath) {
    MetaInfo m = parse_torrent(torrent(multi({B::d({{"length", B::i(5)},
                                                    {"path", B::l({B::s("caf\xe9.txt")})},
                                                    {"path.utf-8", B::l({B::s("café.txt")})}})},
                                             5)));
    EXPECT_EQ(files_of(m), (Files{{"Racine/café.txt", 5}}));
}

TEST(MetaInfo, RejectsNegativeMissingOrAbsurdSizes) {
    EXPECT_REJECTED(torrent(multi({file({B::s("a")}, -1)}, 0)), "négative");
    EXPECT_REJECTED(torrent(B::d({{"length", B::i(-5)},
                                  {"name", B::s("a")},
                                  {"piece length", B::i(16384)},
                                  {"pieces", B::s(pieces(1))}})),
                    "négative");
    EXPECT_REJECTED(torrent(B::d({{"length", B::s("5")},
                                  {"name", B::s("a")},
                                  {"piece length", B::i(16384)},
                                  {"pieces", B::s(pieces(1))}})),
                    "n'est pas un entier");
    EXPECT_REJECTED(torrent(B::d({{"length", B::i(INT64_MAX)},
                                  {"name", B::s("a")},
                                  {"piece length", B::i(16384)},
                                  {"pieces", B::s(pieces(1))}})),
                    "trop grand");
    // Only empty files: nothing to download.
    EXPECT_REJECTED(torrent(multi({file({B::s("a")}, 0)}, 0)), "taille totale nulle");
}

TEST(MetaInfo, RejectsBadPieceFields) {
    auto single = [](B piece_length, B pieces_value) {
        return torrent(B::d({{"length", B::i(40000)},
                             {"name", B::s("a")},
                             {"piece length", piece_length},
                             {"pieces", pieces_value}}));
    };
    EXPECT_NO_THROW(parse_torrent(single(B::i(16384), B::s(pieces(3)))));
    EXPECT_REJECTED(single(B::i(0), B::s(pieces(3))), "piece length");
    EXPECT_REJECTED(single(B::i(-16384), B::s(pieces(3))), "piece length");
    EXPECT_REJECTED(single(B::s("16384"), B::s(pieces(3))), "piece length");
    EXPECT_REJECTED(single(B::i(1LL << 40), B::s(pieces(1))), "piece length");
    EXPECT_REJECTED(single(B::i(16384), B::s(pieces(2))), "nombre d'empreintes");
    EXPECT_REJECTED(single(B::i(16384), B::s(pieces(4))), "nombre d'empreintes");
    EXPECT_REJECTED(single(B::i(16384), B::s(pieces(3) + "x")), "mal formées");
    EXPECT_REJECTED(single(B::i(16384), B::i(3)), "mal formées");
    EXPECT_REJECTED(
        torrent(B::d({{"length", B::i(5)}, {"name", B::s("a")}, {"piece length", B::i(16384)}})),
        "(pieces) sont absentes");
}

TEST(MetaInfo, RejectsAmbiguousLayouts) {
    EXPECT_REJECTED(torrent(B::d({{"files", B::l({file({B::s("a")}, 5)})},
                                  {"length", B::i(5)},
                                  {"name", B::s("a")},
                                  {"piece length", B::i(16384)},
                                  {"pieces", B::s(pieces(1))}})),
                    "« files » et « length »");
    EXPECT_REJECTED(
        torrent(B::d(
            {{"name", B::s("a")}, {"piece length", B::i(16384)}, {"pieces", B::s(pieces(1))}})),
        "ni liste de fichiers");
    // Two files whose names differ only by case, or a file that is also a folder: libtorrent
    // would rename one of them.
    EXPECT_REJECTED(torrent(multi({file({B::s("A.txt")}, 5), file({B::s("a.txt")}, 5)}, 10)),
                    "deux fichiers portent le même nom");
    EXPECT_REJECTED(torrent(multi({file({B::s("a")}, 5), file({B::s("a"), B::s("b")}, 5)}, 10)),
                    "même nom qu'un dossier");
    EXPECT_REJECTED(torrent(multi({file({B::s("a"), B::s("b")}, 5), file({B::s("a")}, 5)}, 10)),
                    "même nom qu'un dossier");
    EXPECT_NO_THROW(parse_torrent(
        torrent(multi({file({B::s("a"), B::s("b")}, 5), file({B::s("a"), B::s("c")}, 5)}, 10))));
}

TEST(MetaInfo, PaddingFilesAreCountedInPiecesButNotListed) {
    // 5 bytes, a 16379-byte BEP 47 padding file, then 5 bytes: two pieces.
    B pad = B::d({{"attr", B::s("p")},
                  {"length", B::i(16379)},
                  {"path", B::l({B::s(".pad"), B::s("16379")})}});
    MetaInfo m =
        parse_torrent(torrent(multi({file({B::s("a")}, 5), pad, file({B::s("b")}, 5)}, 16389)));
    EXPECT_EQ(files_of(m), (Files{{"Racine/a", 5}, {"Racine/b", 5}}));
    EXPECT_EQ(m.total_size, 10);

    // BitComet's padding names are padding too (libtorrent flags them)...
    MetaInfo bc = parse_torrent(torrent(multi(
        {file({B::s("a")}, 5),
         file({B::s("_____padding_file_0_if you see this file, please update to BitComet 0.85 or "
                    "above____")},
              16379),
         file({B::s("b")}, 5)},
        16389)));
    EXPECT_EQ(files_of(bc), (Files{{"Racine/a", 5}, {"Racine/b", 5}}));

    // ...but `.pad/N` WITHOUT attr "p" is an ordinary file for libtorrent, downloaded to disk:
    // it is listed and counted, or a torrent could hide data from the size checks.
    MetaInfo hidden = parse_torrent(torrent(multi(
        {file({B::s("a")}, 5), file({B::s(".pad"), B::s("16379")}, 16379), file({B::s("b")}, 5)},
        16389)));
    EXPECT_EQ(files_of(hidden),
              (Files{{"Racine/a", 5}, {"Racine/.pad/16379", 16379}, {"Racine/b", 5}}));
    EXPECT_EQ(hidden.total_size, 16389);
}

TEST(MetaInfo, TrackersAreTrimmedDeduplicatedAndJunkSkipped) {
    std::string t =
        B::d({{"announce", B::s(" http://a/announce ")},
              {"announce-list", B::l({B::l({B::s("http://a/announce"), B::s("http://b/announce")}),
                                      B::s("not a tier"),
                                      B::l({B::i(3), B::s(""), B::s("udp://c:1/announce"),
                                            B::s("http://bad\n/announce")})})},
              {"info", B::d({{"length", B::i(5)},
                             {"name", B::s("a")},
                             {"piece length", B::i(16384)},
                             {"pieces", B::s(pieces(1))},
                             {"private", B::i(1)}})}})
            .enc;
    MetaInfo m = parse_torrent(t);
    EXPECT_EQ(m.trackers, (std::vector<std::string>{"http://a/announce", "http://b/announce",
                                                    "udp://c:1/announce"}));
    EXPECT_TRUE(m.is_private);
}

TEST(MetaInfo, CommentIsMadeValidUtf8) {
    std::string t = B::d({{"comment", B::s("caf\xe9 cr\xc3\xa8me")},
                          {"info", B::d({{"length", B::i(5)},
                                         {"name", B::s("a")},
                                         {"piece length", B::i(16384)},
                                         {"pieces", B::s(pieces(1))}})}})
                        .enc;
    EXPECT_EQ(parse_torrent(t).comment, "caf\xEF\xBF\xBD crème");
}

// ---- v2 ------------------------------------------------------------------------------------

namespace {

std::string root_of(char c) {
    return std::string(32, c);
}

B leaf(std::int64_t length, const std::string& root) {
    return B::d({{"", B::d({{"length", B::i(length)}, {"pieces root", B::s(root)}})}});
}

std::string v2_torrent(const B& tree, const B& layers, std::int64_t piece_length = 16384,
                       std::int64_t meta_version = 2) {
    return B::d({{"info", B::d({{"file tree", tree},
                                {"meta version", B::i(meta_version)},
                                {"name", B::s("Racine")},
                                {"piece length", B::i(piece_length)}})},
                 {"piece layers", layers}})
        .enc;
}

}  // namespace

TEST(MetaInfo, V2HandMadeTreeAndPieceLayers) {
    // b is larger than a piece (needs a layer of 2 hashes), a is not.
    B tree =
        B::d({{"a", leaf(100, root_of('a'))}, {"sub", B::d({{"b", leaf(20000, root_of('b'))}})}});
    B layers = B::d({{root_of('b'), B::s(std::string(64, 'x'))}});
    MetaInfo m = parse_torrent(v2_torrent(tree, layers));
    EXPECT_EQ(m.version, Version::v2);
    EXPECT_EQ(files_of(m), (Files{{"Racine/a", 100}, {"Racine/sub/b", 20000}}));

    // As in libtorrent 2.0.8 (checked with python3-libtorrent): layers are optional, a file may
    // have none, and a layer for an unknown root is ignored...
    std::string no_layers = B::d({{"info", B::d({{"file tree", tree},
                                                 {"meta version", B::i(2)},
                                                 {"name", B::s("Racine")},
                                                 {"piece length", B::i(16384)}})}})
                                .enc;
    EXPECT_NO_THROW(parse_torrent(no_layers));
    EXPECT_NO_THROW(parse_torrent(v2_torrent(tree, B::d({}))));
    EXPECT_NO_THROW(parse_torrent(v2_torrent(
        tree, B::d({{root_of('b'), B::s(std::string(64, 'x'))}, {root_of('z'), B::s("")}}))));
    // ...but a layer of the wrong size, or a malformed entry, is refused.
    EXPECT_REJECTED(v2_torrent(tree, B::d({{root_of('b'), B::s(std::string(32, 'x'))}})),
                    "la couche de pièces du fichier « Racine/sub/b » n'a pas la bonne taille");
    EXPECT_REJECTED(v2_torrent(tree, B::d({{root_of('b'), B::s(std::string(96, 'x'))}})),
                    "n'a pas la bonne taille");
    EXPECT_REJECTED(v2_torrent(tree, B::d({{root_of('z'), B::s(std::string(31, 'x'))}})),
                    "mal formée");
    EXPECT_REJECTED(v2_torrent(tree, B::d({{"short", B::s(std::string(32, 'x'))}})), "mal formée");
    EXPECT_REJECTED(v2_torrent(tree, B::d({{root_of('z'), B::i(3)}})), "mal formée");
}

TEST(MetaInfo, V2Rules) {
    B layers = B::d({});
    B ok = B::d({{"a", leaf(100, root_of('a'))}});
    EXPECT_NO_THROW(parse_torrent(v2_torrent(ok, layers)));
    EXPECT_REJECTED(v2_torrent(ok, layers, 16384, 3), "version de métadonnées 3");
    EXPECT_REJECTED(v2_torrent(ok, layers, 16385), "puissance de 2");
    EXPECT_REJECTED(v2_torrent(ok, layers, 8192), "puissance de 2");
    EXPECT_REJECTED(v2_torrent(B::d({{"..", leaf(100, root_of('a'))}}), layers), "« .. »");
    EXPECT_REJECTED(v2_torrent(B::d({{"a", leaf(-1, root_of('a'))}}), layers), "négative");
    EXPECT_REJECTED(v2_torrent(B::d({{"a", leaf(100, "short")}}), layers), "pieces root");
    EXPECT_REJECTED(v2_torrent(B::d({{"a", leaf(100, std::string(32, '\0'))}}), layers),
                    "pieces root");
    EXPECT_REJECTED(v2_torrent(B::d({{"a", B::d({{"", B::d({{"length", B::i(5)}})}})}}), layers),
                    "pieces root");
    EXPECT_REJECTED(v2_torrent(B::d({{"a", B::i(1)}}), layers), "n'est pas un dictionnaire");
    EXPECT_REJECTED(v2_torrent(B::l({}), layers), "n'est pas un dictionnaire");
    // A node that is a file ("") and a folder at once.
    EXPECT_REJECTED(v2_torrent(B::d({{"a", B::d({{"", B::d({{"length", B::i(5)},
                                                            {"pieces root", B::s(root_of('a'))}})},
                                                 {"x", leaf(5, root_of('x'))}})}}),
                               layers),
                    "vide");
    // Padding files have no place in a v2 tree (libtorrent refuses them too).
    EXPECT_REJECTED(
        v2_torrent(B::d({{"a", B::d({{"", B::d({{"attr", B::s("p")},
                                                {"length", B::i(5)},
                                                {"pieces root", B::s(root_of('a'))}})}})}}),
                   layers),
        "remplissage");
    // `file tree` without `meta version` 2, or `meta version` 2 without `file tree`.
    EXPECT_REJECTED(v2_torrent(ok, layers, 16384, 1), "« file tree » sans « meta version » 2");
    EXPECT_REJECTED(
        torrent(
            B::d({{"meta version", B::i(2)}, {"name", B::s("a")}, {"piece length", B::i(16384)}})),
        "(file tree) d'un torrent v2 est absent");
}

TEST(MetaInfo, V2LoneFileAtTheTopIsASingleFileTorrent) {
    MetaInfo m = parse_torrent(v2_torrent(B::d({{"seul.bin", leaf(100, root_of('s'))}}), B::d({})));
    EXPECT_EQ(files_of(m), (Files{{"seul.bin", 100}}));
    // A lone file in a folder is not.
    MetaInfo f = parse_torrent(
        v2_torrent(B::d({{"dir", B::d({{"seul.bin", leaf(100, root_of('s'))}})}}), B::d({})));
    EXPECT_EQ(files_of(f), (Files{{"Racine/dir/seul.bin", 100}}));
}

TEST(MetaInfo, HybridWhoseV1AndV2ListsDisagreeIsRejected) {
    std::string file = read_fixture("hybrid-multi.torrent");
    // "5:a.txt" appears in the v2 tree first, then in the v1 list: rename only the v1 copy.
    auto first = file.find("5:a.txt");
    auto second = file.find("5:a.txt", first + 1);
    ASSERT_NE(second, std::string::npos);
    file.replace(second, 7, "5:z.txt");
    EXPECT_REJECTED(file, "les listes de fichiers v1 et v2 ne correspondent pas");

    // A v1 size that differs (with a pieces count that still matches).
    std::string sizes = read_fixture("hybrid-multi.torrent");
    auto at = sizes.find("d6:lengthi20000e4:pathl5:a.txte");
    ASSERT_NE(at, std::string::npos);
    sizes.replace(at, 16, "d6:lengthi19999e");
    EXPECT_REJECTED(sizes, "ne correspondent pas");

    // Same files and sizes, but a shorter padding file: b.bin no longer starts on a piece
    // boundary in v1, while v2 says it does.
    std::string pad = read_fixture("hybrid-multi.torrent");
    at = pad.find("i12768e");
    ASSERT_NE(at, std::string::npos);
    pad.replace(at, 7, "i12767e");
    EXPECT_REJECTED(pad, "ne correspondent pas");
}

TEST(MetaInfo, DeepAndWideInputsStayCheap) {
    // 2000 files with 60-level paths: linear work, no blow-up.
    std::string files = "l";
    std::string path = "l";
    for (int i = 0; i < 60; ++i) path += "1:d";
    for (int i = 0; i < 2000; ++i) {
        std::string leaf_name = std::to_string(i);
        files +=
            "d6:lengthi1e4:path" + path + std::to_string(leaf_name.size()) + ":" + leaf_name + "ee";
    }
    files += "e";
    std::string info = "d5:files" + files +
                       "4:name1:r12:piece lengthi16384e6:pieces20:" + std::string(20, 'h') + "e";
    MetaInfo m = parse_torrent("d4:info" + info + "e");
    EXPECT_EQ(m.files.size(), 2000u);
    EXPECT_EQ(m.total_size, 2000);

    // A path longer than PATH_MAX is refused.
    std::string long_path = "l";
    for (int i = 0; i < 20; ++i) long_path += "240:" + std::string(240, 'x');
    long_path += "e";
    EXPECT_REJECTED("d4:infod5:filesld6:lengthi1e4:path" + long_path +
                        "ee4:name1:r12:piece lengthi16384e6:pieces20:" + std::string(20, 'h') +
                        "ee",
                    "un chemin dépasse 4096 octets");
}
