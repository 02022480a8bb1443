// Signed links (vectors computed with openssl, as in nginx's documentation), path rules, Range.
#include "download/direct.hpp"
#include "download/lists.hpp"
#include "download/paths.hpp"
#include "download/settings.hpp"
#include "download/signer.hpp"

#include <gtest/gtest.h>

#include <cstring>

using namespace essaim::download;

// echo -n "${E}${P} SECRET" | openssl md5 -binary | openssl base64 | tr +/ -_ | tr -d =
TEST(Signer, MatchesOpensslVectors) {
    EXPECT_EQ(link_hash("/dl/Dossier été [2024] #1/épisode 01.mkv", 2000000000, "SECRET"),
              "Dz8YzKHr0-5qgu1u6GC0Xg");
    EXPECT_EQ(link_hash("/dl/plain.txt", 1795685440, "s3cr3t", "127.0.0.1"),
              "PqT8q7NQF7gZjKbv6FpUBw");
    EXPECT_EQ(link_hash("/zip/Dossier", 1, "x"), "i4orTqPXpDylR1fQBQHrgg");
}

TEST(Signer, EncodesEveryReservedByte) {
    EXPECT_EQ(encode_path("/dl/Dossier été [2024] #1/épisode 01.mkv"),
              "/dl/Dossier%20%C3%A9t%C3%A9%20%5B2024%5D%20%231/%C3%A9pisode%2001.mkv");
    EXPECT_EQ(encode_path("/dl/a+b%c?d&e'\"~_-.txt"), "/dl/a%2Bb%25c%3Fd%26e%27%22~_-.txt");
    EXPECT_EQ(signed_path("/dl/Dossier été [2024] #1/épisode 01.mkv", 2000000000, "SECRET"),
              "/dl/Dossier%20%C3%A9t%C3%A9%20%5B2024%5D%20%231/%C3%A9pisode%2001.mkv"
              "?md5=Dz8YzKHr0-5qgu1u6GC0Xg&expires=2000000000");
}

TEST(Signer, ChecksLikeNginx) {
    auto uri = "/dl/plain.txt";
    auto h = link_hash(uri, 2000, "s");
    EXPECT_EQ(check_link(uri, h, "2000", "s", 1999), LinkCheck::ok);
    EXPECT_EQ(check_link(uri, h, "2000", "s", 2000), LinkCheck::ok);
    EXPECT_EQ(check_link(uri, h, "2000", "s", 2001), LinkCheck::expired);
    EXPECT_EQ(check_link(uri, h + "==", "2000", "s", 1), LinkCheck::ok);  // padding tolerated
    EXPECT_EQ(check_link(uri, h, "2001", "s", 1), LinkCheck::invalid);    // tampered expires
    EXPECT_EQ(check_link("/dl/other.txt", h, "2000", "s", 1), LinkCheck::invalid);
    EXPECT_EQ(check_link(uri, h, "2000", "other", 1), LinkCheck::invalid);
    EXPECT_EQ(check_link(uri, link_hash(uri, 5, "s"), "5", "s", 10), LinkCheck::expired);
    EXPECT_EQ(check_link(uri, "x" + h.substr(1), "2000", "s", 3000), LinkCheck::invalid);
    std::string std_alphabet = h;
    for (auto& c : std_alphabet) c = c == '-' ? '+' : c == '_' ? '/' : c;
    if (std_alphabet != h) {
        EXPECT_EQ(check_link(uri, std_alphabet, "2000", "s", 1), LinkCheck::invalid);
    }
    for (const char* e : {"", "0", "abc", "-5", "12a"})
        EXPECT_EQ(check_link(uri, h, e, "s", 1), LinkCheck::invalid) << e;
    EXPECT_EQ(check_link(uri, "", "2000", "s", 1), LinkCheck::invalid);
    auto bound = link_hash(uri, 2000, "s", "10.0.0.5");
    EXPECT_EQ(check_link(uri, bound, "2000", "s", 1, "10.0.0.5"), LinkCheck::ok);
    EXPECT_EQ(check_link(uri, bound, "2000", "s", 1, "127.0.0.1"), LinkCheck::invalid);
}

TEST(Paths, NormalizeLikeNginxUri) {
    EXPECT_EQ(normalize_uri("/dl/plain.txt"), "/dl/plain.txt");
    EXPECT_EQ(normalize_uri("/dl//plain.txt"), "/dl/plain.txt");
    EXPECT_EQ(normalize_uri("/dl/./x/../plain.txt"), "/dl/plain.txt");
    EXPECT_EQ(normalize_uri("/dl/x/%2e%2e/plain.txt"), "/dl/plain.txt");
    EXPECT_EQ(normalize_uri("/dl/x/..%2fplain.txt"), "/dl/plain.txt");
    EXPECT_EQ(normalize_uri("/dl/hash%23tag%3F%2525.txt"), "/dl/hash#tag?%25.txt");
    EXPECT_EQ(normalize_uri("/dl/plus+plus.txt"), "/dl/plus+plus.txt");
    EXPECT_EQ(normalize_uri("/dl/../outside"), "/outside");
    EXPECT_FALSE(normalize_uri("/dl/../../etc/passwd"));
    EXPECT_FALSE(normalize_uri("/dl/%2e%2e%2f%2e%2e%2fetc/passwd"));
    EXPECT_FALSE(normalize_uri("/dl/plain.txt%00.mp4"));
    EXPECT_FALSE(normalize_uri("/dl/percent%.txt"));
    EXPECT_EQ(normalize_uri("/zip/Dossier/"), "/zip/Dossier/");
}

TEST(Paths, CleanRelativeAndRootMapping) {
    EXPECT_TRUE(is_clean_relative("Dossier/épisode 01.mkv"));
    EXPECT_TRUE(is_clean_relative("..dots...txt"));
    for (const char* bad : {"", "/etc/passwd", "a//b", "a/./b", "../x", "a/..", "a/", "x\0y"})
        EXPECT_FALSE(is_clean_relative(std::string_view(bad, bad[0] == 'x' ? 3 : std::strlen(bad))))
            << bad;

    EXPECT_EQ(relative_to_root("/srv/dl", "/srv/dl/", "Film/a.mkv"), "Film/a.mkv");
    EXPECT_EQ(relative_to_root("/srv/dl/", "/srv/dl/films", "a.mkv"), "films/a.mkv");
    EXPECT_EQ(relative_to_root("/", "/srv", "a.mkv"), "srv/a.mkv");
    EXPECT_FALSE(relative_to_root("/srv/dl", "/srv/dl2", "a.mkv"));  // not a prefix by segments
    EXPECT_FALSE(relative_to_root("/srv/dl", "/srv", "dl/a.mkv"));
    EXPECT_FALSE(relative_to_root("/srv/dl", "/srv/dl", "../etc/passwd"));
    EXPECT_FALSE(relative_to_root("/srv/dl", "/srv/dl", "/etc/passwd"));
    EXPECT_FALSE(relative_to_root("", "/srv/dl", "a"));
    EXPECT_FALSE(relative_to_root("srv", "srv", "a"));
}

TEST(DownloadSettings, LinksInBothModesAndSnippet) {
    Settings s;
    s.base_url = "https://seed.example/telechargements/";
    s.root = "/srv/qbittorrent";
    s.secret = "SECRET";
    s.ttl = 3600;
    EXPECT_EQ(s.uri_prefix(), "/telechargements/");
    auto l = file_link(s, "Dossier été/a b.mkv", 1000, "http://ignored", "1.2.3.4");
    EXPECT_EQ(l.expires, 4600);
    EXPECT_EQ(l.url, "https://seed.example/telechargements/Dossier%20%C3%A9t%C3%A9/a%20b.mkv?md5=" +
                         link_hash("/telechargements/Dossier été/a b.mkv", 4600, "SECRET") +
                         "&expires=4600");
    s.bind_ip = true;
    l = file_link(s, "a", 1000, "", "1.2.3.4");
    EXPECT_NE(l.url.find(link_hash("/telechargements/a", 4600, "SECRET", "1.2.3.4")),
              std::string::npos);

    Settings d;
    d.direct = true;
    d.base_url = "/dl/";
    d.root = "/data/dl";
    d.secret = "k";
    auto dl = file_link(d, "x.txt", 0, "http://127.0.0.1:8080/", "");
    EXPECT_EQ(dl.url.rfind("http://127.0.0.1:8080/dl/x.txt?md5=", 0), 0u) << dl.url;
    EXPECT_EQ(dl.expires, 6 * 3600);  // settings::download_ttl's fallback

    auto snippet = nginx_snippet(s, "SECRET");
    EXPECT_NE(snippet.find("location /telechargements/ {"), std::string::npos);
    EXPECT_NE(snippet.find("secure_link_md5 \"$secure_link_expires$uri$remote_addr SECRET\";"),
              std::string::npos);
    EXPECT_NE(snippet.find("alias /srv/qbittorrent/;"), std::string::npos);
    EXPECT_NE(snippet.find("disable_symlinks on;"), std::string::npos);
    EXPECT_EQ(nginx_snippet(s, "<secret>").find("SECRET"), std::string::npos);
}

TEST(DownloadLists, MetalinkEscapesAndPlainList) {
    std::vector<ListedFile> files{{"Dossier & co/a <b>.mkv", 12, "http://h/dl/a?md5=x&expires=1"},
                                  {"c.txt", std::nullopt, "http://h/dl/c?md5=y&expires=2"}};
    auto m = metalink4(files);
    EXPECT_NE(m.find("<file name=\"Dossier &amp; co/a &lt;b&gt;.mkv\">"), std::string::npos);
    EXPECT_NE(m.find("<size>12</size>"), std::string::npos);
    EXPECT_NE(m.find("<url>http://h/dl/a?md5=x&amp;expires=1</url>"), std::string::npos);
    EXPECT_EQ(url_list(files), "http://h/dl/a?md5=x&expires=1\nhttp://h/dl/c?md5=y&expires=2\n");
}

TEST(DirectServing, ParseRangeLikeNginx) {
    auto r = parse_range("bytes=0-99", 5000);
    ASSERT_EQ(r.kind, RangeKind::single);
    EXPECT_EQ(r.range.first, 0u);
    EXPECT_EQ(r.range.last, 99u);
    r = parse_range("bytes=4900-", 5000);
    EXPECT_EQ(r.range.first, 4900u);
    EXPECT_EQ(r.range.last, 4999u);
    r = parse_range("bytes=-50", 5000);
    EXPECT_EQ(r.range.first, 4950u);
    EXPECT_EQ(r.range.last, 4999u);
    r = parse_range("bytes=-9000", 5000);  // longer than the file: all of it
    EXPECT_EQ(r.range.first, 0u);
    r = parse_range("bytes=10-999999", 5000);  // clamped
    EXPECT_EQ(r.range.last, 4999u);
    EXPECT_EQ(parse_range("bytes=6000-", 5000).kind, RangeKind::unsatisfiable);
    EXPECT_EQ(parse_range("bytes=-0", 5000).kind, RangeKind::unsatisfiable);
    EXPECT_EQ(parse_range("bytes=0-", 0).kind, RangeKind::unsatisfiable);
    for (const char* ignored :
         {"", "items=0-1", "bytes=0-1,10-11", "bytes=5-1", "bytes=a-b", "bytes=-", "bytes=1"})
        EXPECT_EQ(parse_range(ignored, 5000).kind, RangeKind::none) << ignored;
}

TEST(DirectServing, ContentTypeAndDisposition) {
    EXPECT_EQ(content_type_for("a.MP4"), "video/mp4");
    EXPECT_EQ(content_type_for("film.mkv"), "video/x-matroska");
    EXPECT_EQ(content_type_for("noext"), "application/octet-stream");
    EXPECT_EQ(content_disposition(true, "épisode \"1\".mkv"),
              "attachment; filename=\"_pisode _1_.mkv\"; "
              "filename*=UTF-8''%C3%A9pisode%20%221%22.mkv");
    EXPECT_EQ(content_disposition(false, "a;b%.txt"),
              "inline; filename=\"a_b_.txt\"; filename*=UTF-8''a%3Bb%25.txt");
}
