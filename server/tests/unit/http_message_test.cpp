#include "api/context.hpp"
#include "api/errors.hpp"
#include "config/config.hpp"
#include "http/message.hpp"
#include "qbt/managed.hpp"

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

TEST(Config, FileThenEnvironment) {
    auto path = std::filesystem::temp_directory_path() /
                ("essaim-cfg-" + std::to_string(::getpid()) + ".toml");
    {
        std::ofstream f(path);
        f << "listen = \"127.0.0.1:9000\"\ndata_dir = \"/srv/essaim\"\n[qbittorrent]\nurl = "
             "\"http://qb:8080\"\n"
             "managed = false\n[downloads]\ndirect = true\n";
    }
    std::map<std::string, std::string> env;
    auto getenv = [&](const char* n) -> const char* {
        auto it = env.find(n);
        return it == env.end() ? nullptr : it->second.c_str();
    };
    auto c = config::load(path.string(), getenv);
    EXPECT_EQ(c.listen, "127.0.0.1:9000");
    EXPECT_EQ(c.data_dir, "/srv/essaim");
    EXPECT_EQ(c.qbt_url, "http://qb:8080");
    EXPECT_EQ(c.qbt_managed, false);
    EXPECT_TRUE(c.download_direct);
    EXPECT_EQ(c.sqlite_path(), "/srv/essaim/essaim.db");
    env["ESSAIM_LISTEN"] = "0.0.0.0:8081";
    env["ESSAIM_QBT_MANAGED"] = "1";
    env["ESSAIM_DATABASE_URL"] = "sqlite:///tmp/x.db";
    c = config::load(path.string(), getenv);
    EXPECT_EQ(c.listen, "0.0.0.0:8081");
    EXPECT_EQ(c.qbt_managed, true);
    EXPECT_EQ(c.sqlite_path(), "/tmp/x.db");
    env["ESSAIM_QBT_MANAGED"] = "peut-être";
    EXPECT_THROW(config::load(path.string(), getenv), std::runtime_error);
    env.erase("ESSAIM_QBT_MANAGED");
    env["ESSAIM_LISTEN"] = "nope";
    EXPECT_THROW(config::load(path.string(), getenv), std::runtime_error);
    std::filesystem::remove(path);
    EXPECT_THROW(config::load(path.string(), getenv), std::runtime_error);  // missing file
}

TEST(Config, SplitHostPort) {
    EXPECT_EQ(config::split_host_port("127.0.0.1:8080"),
              (std::pair<std::string, std::uint16_t>{"127.0.0.1", 8080}));
    EXPECT_EQ(config::split_host_port("[::1]:80"),
              (std::pair<std::string, std::uint16_t>{"::1", 80}));
    EXPECT_THROW(config::split_host_port("127.0.0.1"), std::runtime_error);
    EXPECT_THROW(config::split_host_port("h:70000"), std::runtime_error);
    EXPECT_THROW(config::split_host_port(":80"), std::runtime_error);
}

TEST(ManagedQbittorrent, PasswordHashFormatMatchesQbittorrent) {
    // Same salt and password as the Python recipe in shared/notes/qbittorrent.md.
    EXPECT_EQ(qbt::qbittorrent_password_hash("adminadmin", "0123456789abcdef"),
              "@ByteArray(MDEyMzQ1Njc4OWFiY2RlZg==:"
              "ZZS5EElovMoBVYDjMAaPI3BYalEsuNQNBCv4gjnI6KDYLC66zug9YBa5"
              "FIuP+3n/qFDM467FTFd4KkOdsg0Ugw==)");
}

#include "qbt/webapi.hpp"
#include "util/strings.hpp"

TEST(QbtClient, WebApiVersionPicksStopStartOnQbittorrent5) {
    EXPECT_FALSE(qbt::parse_api_version("2.8.19").stop_start());  // qBittorrent 4.5.2
    EXPECT_TRUE(qbt::parse_api_version("2.11.0").stop_start());   // 5.0: stop/start, stoppedUP
    EXPECT_TRUE(qbt::parse_api_version("2.11.4").stop_start());
    EXPECT_TRUE(qbt::parse_api_version("3.0").stop_start());
    EXPECT_FALSE(qbt::parse_api_version("garbage").stop_start());
    EXPECT_EQ(qbt::form_encode("a b&c=é"), "a%20b%26c%3D%C3%A9");
}

TEST(Strings, ToValidUtf8) {
    EXPECT_EQ(str::to_valid_utf8("café"), "café");
    EXPECT_EQ(str::to_valid_utf8("a\xff"
                                 "b"),
              "a\xEF\xBF\xBD"
              "b");
    EXPECT_EQ(str::to_valid_utf8("\xC3"), "\xEF\xBF\xBD");
}
