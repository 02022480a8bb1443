#include "config/config.hpp"
#include "config/database_url.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <map>

using namespace essaim;

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

TEST(DatabaseUrl, PasswordsAreRedacted) {
    EXPECT_EQ(config::redact_url("postgresql://essaim:s3cret@127.0.0.1:5432/essaim"),
              "postgresql://essaim:***@127.0.0.1:5432/essaim");
    EXPECT_EQ(config::redact_url("postgres://u@h/db?sslmode=require&password=s3cret"),
              "postgres://u@h/db?sslmode=require&password=***");
    EXPECT_EQ(config::redact_url("postgresql://h:5432/db"), "postgresql://h:5432/db");
    EXPECT_EQ(config::redact_url("host=h password=s3cret dbname=x"),
              "host=h password=*** dbname=x");
    EXPECT_EQ(config::scrub_secrets("bad token \"s3%zz\" in s3%zz", "postgresql://u:s3%zz@h/db"),
              "bad token \"***\" in ***");
    EXPECT_TRUE(config::is_postgres_url("postgres://h/db"));
    EXPECT_TRUE(config::is_postgres_url("postgresql://h/db"));
    EXPECT_FALSE(config::is_postgres_url("sqlite:///tmp/x.db"));
}
