#include "api/errors.hpp"
#include "http/message.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

using namespace essaim;

TEST(ApiErrors, ShapeAndJsonParsing) {
    auto r = api::error_response(422, "weak_password", "Trop court.", "password");
    auto v = boost::json::parse(r.body).as_object();
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(v["error"].as_object()["code"].as_string(), "weak_password");
    EXPECT_EQ(v["error"].as_object()["field"].as_string(), "password");

    http::Request q;
    q.headers = {{"content-type", "application/json; charset=utf-8"}};
    q.body = R"({"a":"x","n":3,"b":true})";
    auto o = api::parse_json_object(q);
    EXPECT_EQ(api::req_string(o, "a"), "x");
    EXPECT_EQ(api::opt_int(o, "n"), 3);
    EXPECT_EQ(api::opt_bool(o, "b"), true);
    EXPECT_THROW(api::req_string(o, "n"), api::ApiError);
    EXPECT_THROW(api::req_string(o, "missing"), api::ApiError);
    for (const char* bad : {"[1]", "{", "\"s\"", "{\"a\":\"\xff\"}"}) {
        q.body = bad;
        EXPECT_THROW(api::parse_json_object(q), api::ApiError) << bad;
    }
    q.headers = {{"content-type", "text/plain"}};
    q.body = "{}";
    try {
        api::parse_json_object(q);
        FAIL();
    } catch (const api::ApiError& e) {
        EXPECT_EQ(e.status(), 415);
    }
}
