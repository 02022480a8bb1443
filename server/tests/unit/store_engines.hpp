// Test support: the store contract tests run on every engine. SQLite always (a file in a
// temporary directory); PostgreSQL when ESSAIM_TEST_PG_URL points at a server where the user
// may create databases (scripts/pg-test.sh start DIR prints such a URL): each test gets its own
// fresh database, dropped afterwards.
#pragma once

#include "store/pg.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <random>

namespace essaim::store::test_support {

inline const char* pg_test_url() {
    const char* url = std::getenv("ESSAIM_TEST_PG_URL");
    return url && *url ? url : nullptr;
}

inline constexpr const char* kNoPgMessage =
    "ESSAIM_TEST_PG_URL n'est pas défini : cas PostgreSQL ignoré "
    "(ESSAIM_TEST_PG_URL=$(scripts/pg-test.sh start DIR) pour les lancer)";

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() /
               ("essaim-test-" + std::to_string(::getpid()) + "-" +
                std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

// "postgresql://u:p@h:1/essaim?x=y" with database "t_1" → "postgresql://u:p@h:1/t_1?x=y".
inline std::string with_database(const std::string& url, const std::string& db) {
    auto authority = url.find("://") + 3;
    auto path = url.find('/', authority);
    auto query = url.find('?', authority);
    if (path == std::string::npos || (query != std::string::npos && query < path)) path = query;
    if (path == std::string::npos) return url + "/" + db;
    auto end = url.find('?', path);
    return url.substr(0, path) + "/" + db + (end == std::string::npos ? "" : url.substr(end));
}

// A database created for one test and dropped (connections included) when it ends.
class PgScratch {
  public:
    explicit PgScratch(const std::string& admin_url) : admin_(admin_url) {
        std::random_device rd;
        name_ = "t_" + std::to_string(::getpid()) + "_" + std::to_string(rd());
        admin_.run("CREATE DATABASE " + name_);
        url_ = with_database(admin_url, name_);
    }
    ~PgScratch() {
        try {
            admin_.run("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        } catch (...) {
        }
    }
    const std::string& url() const { return url_; }

  private:
    pg::Connection admin_;
    std::string name_, url_;
};

// One engine under test: open() gives a store on the same database every time (reopen).
class Engine {
  public:
    explicit Engine(const std::string& kind) : kind_(kind) {
        if (kind_ == "postgres") pg_ = std::make_unique<PgScratch>(pg_test_url());
    }
    bool is_postgres() const { return kind_ == "postgres"; }
    std::unique_ptr<Store> open() {
        if (pg_) return open_postgres_store(pg_->url());
        return open_sqlite_store(sqlite_path());
    }
    std::string sqlite_path() const { return (dir_.path / "t.db").string(); }
    const std::string& pg_url() const { return pg_->url(); }

  private:
    std::string kind_;
    TempDir dir_;
    std::unique_ptr<PgScratch> pg_;
};

inline std::string engine_name(const ::testing::TestParamInfo<std::string>& i) {
    return i.param;
}

}  // namespace essaim::store::test_support
