#include "http/message.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <map>

using namespace essaim;

TEST(Message, CookiesHeadersAndQuery) {
    http::Request r;
    r.headers = {{"cookie", "a=1; essaim_session=tok.en; csrf_token = x "}, {"x-csrf-token", "x"}};
    r.query = "q=caf%C3%A9+noir&empty&n=1";
    EXPECT_EQ(r.cookie("essaim_session"), "tok.en");
    EXPECT_EQ(r.cookie("csrf_token"), "x");
    EXPECT_FALSE(r.cookie("missing"));
    EXPECT_EQ(r.header("x-csrf-token"), "x");
    EXPECT_EQ(r.query_param("q"), "café noir");
    EXPECT_EQ(r.query_param("empty"), "");
    EXPECT_FALSE(r.query_param("nope"));
}

TEST(Message, PercentDecode) {
    EXPECT_EQ(http::percent_decode("a%20b+c", false), "a b+c");
    EXPECT_EQ(http::percent_decode("a%20b+c", true), "a b c");
    EXPECT_FALSE(http::percent_decode("%", false));
    EXPECT_FALSE(http::percent_decode("%4", false));
    EXPECT_FALSE(http::percent_decode("%zz", false));
}

TEST(Message, SetCookieAttributes) {
    auto c = http::make_set_cookie("essaim_session", "v", {true, true, 60});
    EXPECT_NE(c.find("HttpOnly"), std::string::npos);
    EXPECT_NE(c.find("Secure"), std::string::npos);
    EXPECT_NE(c.find("SameSite=Strict"), std::string::npos);
    EXPECT_NE(c.find("Max-Age=60"), std::string::npos);
    auto csrf = http::make_set_cookie("csrf_token", "v", {false, false, -1});
    EXPECT_EQ(csrf.find("HttpOnly"), std::string::npos);
    EXPECT_EQ(csrf.find("Max-Age"), std::string::npos);
}
