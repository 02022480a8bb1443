#include "backup/archive.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace b = essaim::backup;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path p;
    TempDir() {
        std::string t = (fs::temp_directory_path() / "essaim-archive-XXXXXX").string();
        p = ::mkdtemp(t.data());
    }
    ~TempDir() { fs::remove_all(p); }
};

void put(const fs::path& p, const std::string& s) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << s;
}

std::string get(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST(BackupArchive, MemberNamesStayInsideTheTarget) {
    for (const char* ok : {"essaim.db", "qbittorrent/profile/qBittorrent/config/x.conf", "a.b"})
        EXPECT_TRUE(b::safe_member_name(ok)) << ok;
    for (const char* bad :
         {"", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a/.", "a/", "a\\..\\b"})
        EXPECT_FALSE(b::safe_member_name(bad)) << bad;
}

TEST(BackupArchive, RoundTripChecksEveryByte) {
    TempDir t;
    std::string big(300000, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 % 251);
    put(t.p / "src/essaim.db", big);
    put(t.p / "src/key", "0123456789abcdef0123456789abcdef");
    auto archive = (t.p / "a.tar.gz").string();
    b::write_archive(archive, {{"engine", "sqlite"}},
                     {{"essaim.db", (t.p / "src/essaim.db").string()},
                      {"sub/secret.key", (t.p / "src/key").string()}});
    EXPECT_EQ(fs::status(archive).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    fs::create_directory(t.p / "out");
    auto x = b::read_archive(archive, (t.p / "out").string());
    EXPECT_EQ(x.manifest.at("engine").as_string(), "sqlite");
    EXPECT_EQ(x.files, (std::vector<std::string>{"essaim.db", "sub/secret.key"}));
    EXPECT_EQ(get(t.p / "out/essaim.db"), big);
    EXPECT_EQ(get(t.p / "out/sub/secret.key"), "0123456789abcdef0123456789abcdef");

    // Cut anywhere: refused, whatever was already extracted.
    auto bytes = get(archive);
    for (std::size_t cut :
         {bytes.size() - 1, bytes.size() - 20, bytes.size() / 2, std::size_t{30}}) {
        put(t.p / "cut.tar.gz", bytes.substr(0, cut));
        fs::remove_all(t.p / "out2");
        fs::create_directory(t.p / "out2");
        EXPECT_THROW(b::read_archive((t.p / "cut.tar.gz").string(), (t.p / "out2").string()),
                     std::runtime_error)
            << cut;
    }
}

TEST(BackupArchive, WritingRefusesNamesThatCouldNotBeRead) {
    TempDir t;
    put(t.p / "f", "x");
    EXPECT_THROW(
        b::write_archive((t.p / "a.tar.gz").string(), {}, {{"../f", (t.p / "f").string()}}),
        std::invalid_argument);
    EXPECT_THROW(b::write_archive((t.p / "a.tar.gz").string(), {},
                                  {{b::kManifestName, (t.p / "f").string()}}),
                 std::invalid_argument);
    EXPECT_FALSE(fs::exists(t.p / "a.tar.gz"));
    EXPECT_FALSE(fs::exists(t.p / "a.tar.gz.partiel"));
}
