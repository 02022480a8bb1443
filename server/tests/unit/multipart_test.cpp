#include "http/multipart.hpp"

#include <gtest/gtest.h>

using namespace essaim::http;

TEST(Multipart, ParsesFieldsAndFiles) {
    std::string body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"magnets\"\r\n\r\nmagnet:?a\nmagnet:?b\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"torrents\"; filename=\"été "
        "\\\"1\\\".torrent\"\r\n"
        "Content-Type: application/x-bittorrent\r\n\r\nd4:infod\r\n--XyY\r\nee\r\n--XyZ--\r\n";
    auto parts = parse_multipart(body, "XyZ");
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].name, "magnets");
    EXPECT_EQ(parts[0].data, "magnet:?a\nmagnet:?b");
    EXPECT_EQ(parts[1].filename, "été \"1\".torrent");
    EXPECT_EQ(parts[1].content_type, "application/x-bittorrent");
    EXPECT_EQ(parts[1].data, "d4:infod\r\n--XyY\r\nee");  // binary data with a near-boundary inside
}

TEST(Multipart, Boundary) {
    EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=----abc"), "----abc");
    EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=x; boundary=\"q q\""), "q q");
    EXPECT_EQ(multipart_boundary("application/json"), "");
    EXPECT_EQ(multipart_boundary("multipart/form-data"), "");
}

TEST(Multipart, RejectsMalformed) {
    EXPECT_THROW(parse_multipart("no boundary here", "b"), std::invalid_argument);
    EXPECT_THROW(
        parse_multipart("--b\r\nContent-Disposition: form-data; name=x\r\n\r\nunterminated", "b"),
        std::invalid_argument);
    EXPECT_THROW(parse_multipart("--b\r\nX: y\r\n\r\nv\r\n--b--", "b"), std::invalid_argument);
    EXPECT_THROW(
        parse_multipart("--b\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n--b--", ""),
        std::invalid_argument);
    std::string many;
    for (int i = 0; i < 5; ++i)
        many += "--b\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n";
    many += "--b--";
    EXPECT_THROW(parse_multipart(many, "b", 3), std::invalid_argument);
    EXPECT_EQ(parse_multipart(many, "b", 10).size(), 5u);
}
