#include "http/router.hpp"

#include <gtest/gtest.h>

using essaim::http::Exec;
using essaim::http::Match;
using essaim::http::Request;
using essaim::http::Response;
using essaim::http::Router;

namespace {
Response ok(Request&) {
    return Response::no_content();
}
}  // namespace

TEST(Router, MatchesLiteralAndParams) {
    Router r;
    r.add("GET", "/api/torrents", ok);
    r.add("GET", "/api/torrents/{hash}/files", ok);
    r.add("POST", "/api/torrents/{hash}/pause", ok, Exec::worker);
    auto m = r.match("GET", "/api/torrents/abc123/files");
    ASSERT_EQ(m.kind, Match::Kind::found);
    EXPECT_EQ(m.params.at("hash"), "abc123");
    EXPECT_EQ(m.route->pattern, "/api/torrents/{hash}/files");
    EXPECT_EQ(r.match("POST", "/api/torrents/x/pause").route->exec, Exec::worker);
    EXPECT_EQ(r.match("GET", "/api/torrents/").kind, Match::Kind::found);  // trailing slash
}

TEST(Router, NotFoundAndMethodNotAllowed) {
    Router r;
    r.add("GET", "/api/me", ok);
    r.add("PATCH", "/api/me", ok);
    EXPECT_EQ(r.match("GET", "/api/nope").kind, Match::Kind::not_found);
    EXPECT_EQ(r.match("GET", "/api/me/extra").kind, Match::Kind::not_found);
    auto m = r.match("DELETE", "/api/me");
    ASSERT_EQ(m.kind, Match::Kind::method_not_allowed);
    EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "HEAD", "PATCH"}));
    EXPECT_EQ(r.match("HEAD", "/api/me").kind, Match::Kind::found);
}

TEST(Router, DecodesSegmentsWithoutSplittingOnEncodedSlash) {
    Router r;
    r.add("GET", "/api/users/{name}", ok);
    auto m = r.match("GET", "/api/users/a%2Fb%20c");
    ASSERT_EQ(m.kind, Match::Kind::found);
    EXPECT_EQ(m.params.at("name"), "a/b c");
    EXPECT_EQ(r.match("GET", "/api/users/%zz").kind, Match::Kind::bad_path);
    EXPECT_EQ(r.match("GET", "relative").kind, Match::Kind::bad_path);
}

TEST(Router, EmptyParamDoesNotMatch) {
    Router r;
    r.add("GET", "/api/a/{x}/b", ok);
    EXPECT_EQ(r.match("GET", "/api/a//b").kind, Match::Kind::not_found);
}

TEST(Router, RejectsBadPattern) {
    Router r;
    EXPECT_THROW(r.add("GET", "no-slash", ok), std::invalid_argument);
}
