// Strict bencode decoder: every rule of the contract in torrent/bencode.hpp, hostile inputs, and
// every truncation of the real fixtures.
#include "torrent/bencode.hpp"
#include "torrent/error.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

using essaim::torrent::bdecode;
using essaim::torrent::BencodeLimits;
using essaim::torrent::TorrentError;
using essaim::torrent::Value;

namespace {

const std::filesystem::path kFixtures =
    std::filesystem::path(__FILE__).parent_path() / "../fixtures/torrents";

std::string read_fixture(const std::string& name) {
    std::ifstream f(kFixtures / name, std::ios::binary);
    EXPECT_TRUE(f.good()) << "missing fixture " << name;
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// The French message users see, or "" when the input was (wrongly) accepted.
std::string error_of(std::string_view in, const BencodeLimits& limits = {}) {
    try {
        bdecode(in, limits);
    } catch (const TorrentError& e) {
        EXPECT_EQ(e.code, "invalid_torrent");
        EXPECT_EQ(std::string(e.what()).rfind("Le fichier .torrent est invalide : ", 0), 0u)
            << e.what();
        return e.what();
    }
    return "";
}

std::string nested_lists(int depth) {
    return std::string(static_cast<std::size_t>(depth), 'l') + "i7e" +
           std::string(static_cast<std::size_t>(depth), 'e');
}

std::string nested_dicts(int depth) {
    std::string s;
    for (int i = 0; i < depth; ++i) s += "d1:k";
    s += "0:";
    for (int i = 0; i < depth; ++i) s += 'e';
    return s;
}

}  // namespace

TEST(Bencode, DecodesNestedStructuresWithRawSpans) {
    const std::string in = "d4:listli1ei-22e3:abcdee4:name6:essaim3:numi42e5:emptyd0:0:ee";
    // Keys "list","name","num","empty": unsorted at the end, which is tolerated.
    Value v = bdecode(in);
    ASSERT_TRUE(v.is_dict());
    EXPECT_EQ(v.raw, in);
    ASSERT_EQ(v.dict.size(), 4u);
    EXPECT_EQ(v.dict[0].first, "list");  // input order is kept
    EXPECT_EQ(v.dict[3].first, "empty");

    const Value* list = v.find("list");
    ASSERT_NE(list, nullptr);
    ASSERT_TRUE(list->is_list());
    EXPECT_EQ(list->raw, "li1ei-22e3:abcdee");
    ASSERT_EQ(list->list.size(), 4u);
    EXPECT_TRUE(list->list[0].is_int());
    EXPECT_EQ(list->list[0].integer, 1);
    EXPECT_EQ(list->list[0].raw, "i1e");
    EXPECT_EQ(list->list[1].integer, -22);
    EXPECT_EQ(list->list[1].raw, "i-22e");
    EXPECT_TRUE(list->list[2].is_string());
    EXPECT_EQ(list->list[2].string, "abc");
    EXPECT_EQ(list->list[2].raw, "3:abc");
    EXPECT_TRUE(list->list[3].is_dict());
    EXPECT_TRUE(list->list[3].dict.empty());
    EXPECT_EQ(list->list[3].raw, "de");

    EXPECT_EQ(v.find("name")->string, "essaim");
    EXPECT_EQ(v.find("num")->integer, 42);
    const Value* empty = v.find("empty");
    ASSERT_NE(empty, nullptr);
    EXPECT_EQ(empty->find("")->string, "");
    EXPECT_EQ(empty->raw, "d0:0:e");
    EXPECT_EQ(v.find("absent"), nullptr);
    EXPECT_EQ(list->find("list"), nullptr);  // not a dictionary

    // Raw spans point into the input, not into a copy.
    EXPECT_EQ(list->raw.data(), in.data() + in.find("li1e"));
}

TEST(Bencode, StringsAreBinarySafe) {
    const std::string in("5:a\0b\xff\n", 7);
    Value v = bdecode(in);
    ASSERT_TRUE(v.is_string());
    EXPECT_EQ(v.string, std::string_view("a\0b\xff\n", 5));
    EXPECT_EQ(bdecode("0:").string, "");
    EXPECT_TRUE(bdecode("le").list.empty());
}

TEST(Bencode, Int64Limits) {
    EXPECT_EQ(bdecode("i9223372036854775807e").integer, INT64_MAX);
    EXPECT_EQ(bdecode("i-9223372036854775808e").integer, INT64_MIN);
    EXPECT_EQ(bdecode("i0e").integer, 0);
    EXPECT_NE(error_of("i9223372036854775808e"), "");
    EXPECT_NE(error_of("i-9223372036854775809e"), "");
    EXPECT_NE(error_of("i99999999999999999999999999999e"), "");
    EXPECT_NE(error_of("i18446744073709551616e"), "");  // 2^64: must not wrap to 0
}

TEST(Bencode, RejectsMalformedIntegers) {
    EXPECT_EQ(error_of("i03e"),
              "Le fichier .torrent est invalide : entier mal formé (zéro initial) à l'octet 0.");
    EXPECT_NE(error_of("i-03e"), "");
    EXPECT_NE(error_of("i00e"), "");
    EXPECT_EQ(error_of("i-0e"),
              "Le fichier .torrent est invalide : entier mal formé (zéro négatif) à l'octet 0.");
    EXPECT_EQ(error_of("ie"), "Le fichier .torrent est invalide : entier mal formé à l'octet 0.");
    EXPECT_NE(error_of("i-e"), "");
    EXPECT_NE(error_of("i--1e"), "");
    EXPECT_NE(error_of("i+1e"), "");
    EXPECT_NE(error_of("i1.5e"), "");
    EXPECT_NE(error_of("i 1e"), "");
    EXPECT_NE(error_of("i12"), "");  // missing 'e'
    EXPECT_NE(error_of("i"), "");
    // The offset is the one of the bad integer inside the structure.
    EXPECT_EQ(error_of("li1ei03ee"),
              "Le fichier .torrent est invalide : entier mal formé (zéro initial) à l'octet 4.");
}

TEST(Bencode, RejectsMalformedStringLengths) {
    EXPECT_EQ(error_of("03:abc"),
              "Le fichier .torrent est invalide : longueur de chaîne mal formée "
              "(zéro initial) à l'octet 0.");
    EXPECT_NE(error_of("00:"), "");
    EXPECT_NE(error_of("3:ab"), "");      // shorter than declared
    EXPECT_NE(error_of("3abc"), "");      // no colon
    EXPECT_NE(error_of("-1:a"), "");      // no sign allowed
    EXPECT_NE(error_of("1"), "");         // truncated length
    EXPECT_NE(error_of("l3:abce3"), "");  // trailing after a complete value
}

TEST(Bencode, HugeDeclaredLengthFailsFastWithoutAllocating) {
    auto started = std::chrono::steady_clock::now();
    for (const char* in : {"99999999999:", "99999999999:abc", "d3:key99999999999999999999:x",
                           "18446744073709551616:", "l184467440737095516150:e"}) {
        std::string msg = error_of(in);
        EXPECT_NE(msg.find("longueur de chaîne plus grande que le fichier"), std::string::npos)
            << in << " → " << msg;
    }
    // A string of exactly the remaining size is fine, one more byte is not.
    EXPECT_EQ(bdecode("4:abcd").string, "abcd");
    EXPECT_NE(error_of("5:abcd"), "");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
}

TEST(Bencode, MissingEndMarkers) {
    EXPECT_NE(error_of("l"), "");
    EXPECT_NE(error_of("li1e"), "");
    EXPECT_NE(error_of("d"), "");
    EXPECT_NE(error_of("d1:a"), "");  // key without value
    EXPECT_NE(error_of("d1:ai1e"), "");
    EXPECT_EQ(error_of("li1e"),
              "Le fichier .torrent est invalide : fin de fichier inattendue à "
              "l'octet 4.");
}

TEST(Bencode, RejectsUnexpectedBytesAndEmptyInput) {
    EXPECT_EQ(error_of(""), "Le fichier .torrent est invalide : il est vide.");
    EXPECT_EQ(error_of("x"),
              "Le fichier .torrent est invalide : caractère inattendu « x » à l'octet 0.");
    EXPECT_EQ(error_of(std::string("l\x01", 2)),
              "Le fichier .torrent est invalide : caractère inattendu 0x01 à l'octet 1.");
    EXPECT_NE(error_of("e"), "");
    EXPECT_NE(error_of("<html>"), "");
    EXPECT_NE(error_of("di1ei2ee"), "");    // integer key
    EXPECT_NE(error_of("dli1eei2ee"), "");  // list key
}

TEST(Bencode, DepthLimitIs64) {
    Value v = bdecode(nested_lists(64));
    const Value* p = &v;
    for (int i = 0; i < 64; ++i) {
        ASSERT_TRUE(p->is_list());
        ASSERT_EQ(p->list.size(), 1u);
        p = &p->list[0];
    }
    EXPECT_EQ(p->integer, 7);
    EXPECT_NE(error_of(nested_lists(65)).find("imbrication trop profonde à l'octet 64"),
              std::string::npos);
    EXPECT_NO_THROW(bdecode(nested_dicts(64)));
    EXPECT_NE(error_of(nested_dicts(65)).find("imbrication trop profonde"), std::string::npos);

    // Far deeper than the limit: fails at the limit, no stack overflow.
    std::string deep(1'000'000, 'l');
    EXPECT_NE(error_of(deep).find("imbrication trop profonde"), std::string::npos);

    BencodeLimits shallow;
    shallow.max_depth = 2;
    EXPECT_NO_THROW(bdecode("llee", shallow));
    EXPECT_NE(error_of("llleee", shallow), "");
}

TEST(Bencode, DuplicateKeysAreRejectedUnsortedKeysAccepted) {
    EXPECT_EQ(error_of("d1:ai1e1:ai2ee"),
              "Le fichier .torrent est invalide : clé « a » en double à l'octet 7.");
    // Not adjacent: found by the sort of an unsorted dictionary.
    EXPECT_EQ(error_of("d1:bi1e1:ai2e1:bi3ee"),
              "Le fichier .torrent est invalide : clé « b » en double à l'octet 13.");
    EXPECT_EQ(error_of("d1:bi1e1:ai2e10:xxxxxxxxxxi0e1:bi3ee"),
              "Le fichier .torrent est invalide : clé « b » en double à l'octet 29.");
    EXPECT_NE(error_of("d4:infod1:xi1ee4:name1:n4:infoi2ee").find("« info » en double"),
              std::string::npos);
    // A binary key is not echoed.
    EXPECT_EQ(error_of(std::string("d2:\x01\x02i1e2:\x01\x02i2ee", 16)),
              "Le fichier .torrent est invalide : clé en double à l'octet 8.");

    Value v = bdecode("d1:ci3e1:ai1e1:bi2ee");
    ASSERT_EQ(v.dict.size(), 3u);
    EXPECT_EQ(v.find("a")->integer, 1);
    EXPECT_EQ(v.find("b")->integer, 2);
    EXPECT_EQ(v.find("c")->integer, 3);
    EXPECT_EQ(v.dict[0].first, "c");
    // A key equal to another as a prefix is a different key.
    EXPECT_NO_THROW(bdecode("d2:abi1e1:ai2ee"));
}

TEST(Bencode, TrailingBytesAreRejected) {
    EXPECT_EQ(error_of("i1ex"),
              "Le fichier .torrent est invalide : données en trop après la fin à l'octet 3.");
    EXPECT_NE(error_of("i1ei2e"), "");
    EXPECT_NE(error_of("dee"), "");
    EXPECT_NE(error_of("de\n"), "");
    EXPECT_NE(error_of(std::string("de\0", 3)), "");
}

TEST(Bencode, MaxInputAndMaxItems) {
    BencodeLimits limits;
    limits.max_input = 10;
    EXPECT_NO_THROW(bdecode("8:abcdefgh", limits));  // exactly 10 bytes
    EXPECT_NE(error_of("9:abcdefghi", limits).find("dépasse la taille maximale de 10 octets"),
              std::string::npos);

    // The default is 16 MiB.
    std::string big = std::to_string(16u << 20) + ":" + std::string(16u << 20, 'x');
    EXPECT_NE(error_of(big).find("dépasse la taille maximale"), std::string::npos);

    limits = {};
    limits.max_items = 3;
    EXPECT_NO_THROW(bdecode("li1ei2ee", limits));  // the list and its two integers
    EXPECT_NE(error_of("li1ei2ei3ee", limits).find("trop d'éléments"), std::string::npos);
    EXPECT_NE(error_of("d1:ai1e1:bi2ee", limits).find("trop d'éléments"), std::string::npos);
}

TEST(Bencode, EveryTruncationOfARealTorrentIsAnError) {
    for (const char* name : {"v1-multi.torrent", "hybrid-multi.torrent", "v2-single.torrent"}) {
        const std::string file = read_fixture(name);
        ASSERT_FALSE(file.empty());
        Value whole = bdecode(file);
        EXPECT_EQ(whole.raw.size(), file.size());
        for (std::size_t n = 0; n < file.size(); ++n)
            EXPECT_NE(error_of(std::string_view(file).substr(0, n)), "") << name << " cut at " << n;
    }
}

TEST(Bencode, RawInfoSpanOfAFixture) {
    const std::string file = read_fixture("v1-single.torrent");
    Value v = bdecode(file);
    const Value* info = v.find("info");
    ASSERT_NE(info, nullptr);
    ASSERT_TRUE(info->is_dict());
    // The info value is the last one in the file: it ends right before the final 'e'.
    EXPECT_EQ(info->raw.data() + info->raw.size(), file.data() + file.size() - 1);
    EXPECT_EQ(info->raw.front(), 'd');
    EXPECT_EQ(info->find("name")->string, "bonjour.txt");
    EXPECT_EQ(info->find("length")->integer, 40000);
}
