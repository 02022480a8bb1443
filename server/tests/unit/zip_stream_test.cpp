#include "download/zip_stream.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace essaim::download;
namespace fs = std::filesystem;

namespace {

class TempDir {
  public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "essaim-zip-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp");
        path_ = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

void write_file(const fs::path& p, const std::string& content) {
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    ASSERT_TRUE(out.good()) << p;
}

std::string read_whole(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
    return s;
}

// Every byte of the stream, read in `chunk`-sized calls. Checks that size() is exact.
std::string drain(ZipStream& z, std::size_t chunk) {
    std::string out;
    std::vector<char> buf(chunk);
    for (;;) {
        std::size_t got = z.read(buf.data(), chunk);
        EXPECT_LE(got, chunk);
        if (got == 0) break;
        out.append(buf.data(), got);
    }
    EXPECT_EQ(z.read(buf.data(), chunk), 0u);  // stays at the end
    EXPECT_EQ(out.size(), z.size());
    return out;
}

int run(const std::string& cmd) {
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string quote(const fs::path& p) {
    return "'" + p.string() + "'";  // temp paths never contain a quote
}

// Regular files under `dir`, by '/'-separated relative name.
std::map<std::string, std::string> read_tree(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) {
            out[e.path().lexically_relative(dir).generic_string()] = read_whole(e.path());
        }
    }
    return out;
}

// Python's zipfile: testzip() (CRC of every member), flags, zip64 extras, entry count, extraction.
constexpr const char* kPythonCheck = R"py(
import sys, zipfile
arc, out, mode, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with zipfile.ZipFile(arc) as z:
    assert z.testzip() is None
    infos = z.infolist()
    assert len(infos) == count, (len(infos), count)
    for zi in infos:
        assert zi.compress_type == zipfile.ZIP_STORED, zi.filename
        assert zi.flag_bits & 0x08, zi.filename
        assert zi.flag_bits & 0x800, zi.filename
        has64 = zi.extra[:2] == b"\x01\x00"
        assert has64 == (mode == "zip64"), (zi.filename, zi.extra)
    if out != "-":
        z.extractall(out)
)py";

struct Fixture {
    TempDir tmp;
    fs::path src;
    std::map<std::string, std::string> files;  // archive name -> content

    Fixture() {
        src = tmp.path() / "MonDossier";
        fs::create_directories(src);
        add("vide.txt", "");
        add("petit.bin", random_bytes(5000, 1));
        add("Été à la plage 🏖️.txt", "sable chaud\n");
        add("sous dossier/a.txt", "a\n");
        add("sous dossier/imbriqué/données.dat", random_bytes(3 * 4096 + 1, 2));
        add(".caché", "x");
        fs::create_directories(src / "dossier vide");
        fs::create_symlink("petit.bin", src / "lien");
        fs::create_symlink("sous dossier", src / "lien dossier");
        fs::create_symlink("/etc/passwd", src / "sous dossier/évasion");
        if (::mkfifo((src / "tube").c_str(), 0600) != 0) throw std::runtime_error("mkfifo");
        fs::create_directories(tmp.path() / "checks");
        write_file(tmp.path() / "checks/check.py", kPythonCheck);
    }
    void add(const std::string& rel, const std::string& content) {
        write_file(src / rel, content);
        files["MonDossier/" + rel] = content;
    }
    // Writes the archive, checks it with Python and unzip, and compares both extractions.
    void verify(const std::string& archive, const std::string& mode) {
        const auto zip = tmp.path() / ("checks/archive-" + mode + ".zip");
        write_file(zip, archive);
        const auto py_out = tmp.path() / ("checks/py-" + mode);
        const auto unzip_out = tmp.path() / ("checks/unzip-" + mode);
        EXPECT_EQ(run("python3 " + quote(tmp.path() / "checks/check.py") + " " + quote(zip) + " " +
                      quote(py_out) + " " + mode + " " + std::to_string(files.size())),
                  0);
        EXPECT_EQ(run("unzip -tq " + quote(zip) + " >/dev/null"), 0);
        EXPECT_EQ(run("LC_ALL=C.UTF-8 unzip -q " + quote(zip) + " -d " + quote(unzip_out)), 0);
        EXPECT_EQ(read_tree(py_out), files);
        EXPECT_EQ(read_tree(unzip_out), files);
    }
};

std::uint32_t le32(const std::string& s, std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
    return v;
}
std::uint16_t le16(const std::string& s, std::size_t at) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                      (static_cast<unsigned char>(s[at + 1]) << 8));
}

// The test fixtures' planning: every regular file under `dir` (symlinks and special files
// skipped), sorted by name. essaim itself never walks a folder: it plans from a torrent's file
// list (api/files_api.cpp); the tests only need entries for real files.
void walk(const fs::path& dir, const std::string& name_prefix, std::vector<ZipEntry>& out) {
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto& path = it->path();
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0) continue;
        std::string name = name_prefix + path.filename().string();
        std::replace(name.begin() + static_cast<std::ptrdiff_t>(name_prefix.size()), name.end(),
                     '\\', '_');
        if (S_ISDIR(st.st_mode))
            walk(path, name + "/", out);
        else if (S_ISREG(st.st_mode))
            out.push_back({std::move(name), path.string(), static_cast<std::uint64_t>(st.st_size),
                           static_cast<std::int64_t>(st.st_mtime)});
    }
    if (ec) throw std::runtime_error("walk: " + ec.message());
}

std::vector<ZipEntry> entries_for_directory(const std::string& dir, const std::string& prefix) {
    std::vector<ZipEntry> out;
    walk(fs::path(dir), prefix, out);
    std::sort(out.begin(), out.end(),
              [](const ZipEntry& a, const ZipEntry& b) { return a.name < b.name; });
    return out;
}

}  // namespace

TEST(ZipEntries, SkipsSymlinksAndSpecialFilesAndSorts) {
    Fixture f;
    auto entries = entries_for_directory(f.src.string(), "MonDossier/");
    std::vector<std::string> names;
    for (const auto& e : entries) {
        names.push_back(e.name);
        EXPECT_EQ(e.size, f.files.at(e.name).size()) << e.name;
        EXPECT_EQ(fs::path(e.path), f.src / e.name.substr(std::string("MonDossier/").size()));
        EXPECT_GT(e.mtime, 0);
    }
    // Byte order of the whole relative name: '.' (0x2E) < 'p' < 's' < 'v' < 0xC3 ('É').
    std::vector<std::string> expected = {
        "MonDossier/.caché",
        "MonDossier/petit.bin",
        "MonDossier/sous dossier/a.txt",
        "MonDossier/sous dossier/imbriqué/données.dat",
        "MonDossier/vide.txt",
        "MonDossier/Été à la plage 🏖️.txt",
    };
    EXPECT_EQ(names, expected);
}

// Entries with a root are opened beneath it without following links: a symlink planted where
// a torrent's file should be is refused, even one pointing inside the root.
TEST(ZipStream, RootedEntryRefusesSymlinks) {
    TempDir tmp;
    write_file(tmp.path() / "root/mine/a.txt", "abc");
    write_file(tmp.path() / "root/other/secret.bin", "secret");
    fs::create_directories(tmp.path() / "root/mine/d");
    fs::create_symlink(tmp.path() / "root/other/secret.bin", tmp.path() / "root/mine/link.bin");
    fs::create_directory_symlink(tmp.path() / "root/other", tmp.path() / "root/mine/d/up");
    const auto root = (tmp.path() / "root").string();
    char buf[4096];
    {
        ZipStream ok({{"x/a.txt", "mine/a.txt", 3, 0, root}});
        std::string out;
        while (std::size_t n = ok.read(buf, sizeof buf)) out.append(buf, n);
        EXPECT_NE(out.find("abc"), std::string::npos);
    }
    for (const char* rel : {"mine/link.bin", "mine/d/up/secret.bin"}) {
        SCOPED_TRACE(rel);
        ZipStream z({{"x/s.bin", rel, 6, 0, root}});
        bool threw = false;
        try {
            while (z.read(buf, sizeof buf) > 0) {
            }
        } catch (const std::runtime_error&) {
            threw = true;
        }
        EXPECT_TRUE(threw);
    }
}

TEST(ZipEntries, BackslashInFileNameIsReplaced) {
    TempDir tmp;
    write_file(tmp.path() / "a\\..\\b.txt", "x");
    auto entries = entries_for_directory(tmp.path().string(), "d/");
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].name, "d/a_.._b.txt");
    EXPECT_NO_THROW(ZipStream{entries});
}

TEST(ZipStream, ValidArchiveForPythonAndUnzip) {
    Fixture f;
    for (bool zip64 : {false, true}) {
        SCOPED_TRACE(zip64 ? "force_zip64" : "normal");
        std::string reference;
        for (std::size_t chunk : {1, 7, 4096, 1 << 20}) {
            ZipStream z(entries_for_directory(f.src.string(), "MonDossier/"), zip64);
            const auto expected_size = z.size();
            auto archive = drain(z, chunk);
            EXPECT_EQ(archive.size(), expected_size) << chunk;
            if (reference.empty()) {
                reference = archive;
            } else {
                EXPECT_EQ(archive, reference) << "chunk " << chunk;
            }
        }
        // End of archive: EOCD, preceded by the zip64 locator only in zip64 mode.
        ASSERT_GE(reference.size(), 42u);
        const auto eocd = reference.size() - 22;
        EXPECT_EQ(le32(reference, eocd), 0x06054b50u);
        EXPECT_EQ(le32(reference, eocd - 20) == 0x07064b50u, zip64);
        if (zip64) {
            EXPECT_EQ(le16(reference, eocd + 10), 0xFFFF);  // entries: see the zip64 record
            EXPECT_EQ(le32(reference, eocd + 16), 0xFFFFFFFFu);
        } else {
            EXPECT_EQ(le16(reference, eocd + 10), static_cast<std::uint16_t>(f.files.size()));
            EXPECT_EQ(reference.find(std::string("PK\x06\x06", 4)), std::string::npos);
        }
        // First local header: data descriptor + UTF-8 flags, CRC 0, real sizes (or zip64 marks).
        EXPECT_EQ(le32(reference, 0), 0x04034b50u);
        EXPECT_EQ(le16(reference, 6), 0x0808);
        EXPECT_EQ(le16(reference, 8), 0);  // stored
        EXPECT_EQ(le32(reference, 14), 0u);
        EXPECT_EQ(le32(reference, 18), zip64 ? 0xFFFFFFFFu : 1u);  // ".caché" holds "x"
        f.verify(reference, zip64 ? "zip64" : "plain");
    }
}

TEST(ZipStream, EmptyArchive) {
    TempDir tmp;
    for (bool zip64 : {false, true}) {
        ZipStream z({}, zip64);
        auto archive = drain(z, 3);
        EXPECT_EQ(archive.size(), zip64 ? 22u + 76u : 22u);
        const auto zip = tmp.path() / "empty.zip";
        write_file(zip, archive);
        EXPECT_EQ(run("python3 -c 'import zipfile,sys; assert zipfile.ZipFile(sys.argv[1])"
                      ".namelist() == []' " +
                      quote(zip)),
                  0);
    }
}

TEST(ZipStream, MoreThan65535EntriesUsesZip64End) {
    TempDir tmp;
    write_file(tmp.path() / "v", "");
    write_file(tmp.path() / "u", "u");
    std::vector<ZipEntry> entries;
    const std::size_t count = 70000;
    for (std::size_t i = 0; i < count; ++i) {
        bool one = i % 1000 == 0;
        entries.push_back({"d/f" + std::to_string(i), (tmp.path() / (one ? "u" : "v")).string(),
                           one ? 1u : 0u, 1700000000});
    }
    ZipStream z(std::move(entries));
    auto archive = drain(z, 65536);
    const auto eocd = archive.size() - 22;
    EXPECT_EQ(le32(archive, eocd - 20), 0x07064b50u);
    EXPECT_EQ(le16(archive, eocd + 10), 0xFFFF);
    EXPECT_EQ(le32(archive, eocd + 16), le32(archive, eocd - 20 + 8) - le32(archive, eocd + 12));
    const auto zip = tmp.path() / "many.zip";
    const auto script = tmp.path() / "check.py";
    write_file(zip, archive);
    write_file(script, kPythonCheck);
    EXPECT_EQ(
        run("python3 " + quote(script) + " " + quote(zip) + " - plain " + std::to_string(count)),
        0);
    EXPECT_EQ(run("unzip -tq " + quote(zip) + " >/dev/null"), 0);
}

TEST(ZipStream, SizeIsComputedBeforeReadingAndCoversZip64Cases) {
    // Nothing is opened before read(): the paths do not exist.
    const std::uint64_t big = 5ull << 30;
    ZipStream one({{"a", "/nonexistent", big, 0}});
    // local 30+1+20, data, descriptor 24, central 46+1+(4+16), zip64 end 56+20, end 22
    EXPECT_EQ(one.size(), 51 + big + 24 + 67 + 76 + 22);

    const std::uint64_t three = 0xFFFFFFFFull - 10;
    ZipStream two({{"a", "/nonexistent", three, 0}, {"b", "/nonexistent", three, 0}});
    // Sizes fit in 32 bits; the second offset does not: central extra with the offset only.
    EXPECT_EQ(two.size(), 2 * (31 + three + 16) + (47 + 47 + 12) + 76 + 22);

    ZipStream limit({{"a", "/nonexistent", 0xFFFFFFFFull, 0}});  // the marker value itself
    EXPECT_EQ(limit.size(), 51 + 0xFFFFFFFFull + 24 + 67 + 76 + 22);

    ZipStream small({{"a", "/nonexistent", 10, 0}});
    EXPECT_EQ(small.size(), 31 + 10 + 16 + 47 + 22);
    char buf[64];
    EXPECT_EQ(small.read(buf, 31), 31u);                   // the local header
    EXPECT_THROW(small.read(buf, 1), std::runtime_error);  // then the file is missing
}

TEST(ZipStream, FileChangedAfterPlanningThrows) {
    Fixture f;
    auto plan = [&] { return entries_for_directory(f.src.string(), "MonDossier/"); };
    auto expect_throw = [](ZipStream& z, const char* what) {
        SCOPED_TRACE(what);
        char buf[1000];
        bool threw = false;
        try {
            while (z.read(buf, sizeof buf) > 0) {
            }
        } catch (const std::runtime_error& e) {
            threw = true;
            EXPECT_NE(std::string(e.what()).find("fichier"), std::string::npos) << e.what();
        }
        EXPECT_TRUE(threw);
        EXPECT_THROW(z.read(buf, sizeof buf), std::runtime_error);  // stays failed
    };
    const auto target = f.src / "sous dossier/imbriqué/données.dat";
    const auto original = read_whole(target);
    {
        ZipStream z(plan());
        write_file(target, original + "plus");
        expect_throw(z, "longer");
    }
    {
        write_file(target, original);
        ZipStream z(plan());
        write_file(target, original.substr(0, 100));
        expect_throw(z, "shorter");
    }
    {
        write_file(target, original);
        ZipStream z(plan());
        fs::remove(target);
        expect_throw(z, "removed");
    }
    {
        write_file(target, original);
        ZipStream z(plan());
        fs::remove(target);
        fs::create_symlink(f.src / "petit.bin", target);  // swapped for a symlink: not followed
        expect_throw(z, "symlink");
    }
    {
        // Grows while being read: caught once the planned size has been sent.
        fs::remove(target);
        write_file(target, original);
        ZipStream z(plan());
        char buf[4096];
        std::uint64_t total = 0;
        bool threw = false;
        try {
            while (std::size_t got = z.read(buf, sizeof buf)) {
                total += got;
                if (total > 6000 && total < 6000 + sizeof buf) {
                    std::ofstream(target, std::ios::binary | std::ios::app) << "encore";
                }
            }
        } catch (const std::runtime_error&) {
            threw = true;
        }
        EXPECT_TRUE(threw);
    }
}

TEST(ZipStream, RejectsUnsafeNames) {
    const std::vector<std::string> bad_names = {"",
                                                "/abs",
                                                "a/../b",
                                                "..",
                                                "./a",
                                                "a//b",
                                                "a/",
                                                "a\\b",
                                                std::string("a\0b", 3),
                                                std::string(70000, 'x')};
    for (const auto& bad : bad_names) {
        EXPECT_THROW(ZipStream({{bad, "/nonexistent", 0, 0}}), std::invalid_argument) << bad;
    }
}

TEST(ZipStream, DosTimeIsLocalAndClamped) {
    auto header_time = [](std::int64_t mtime) {
        ZipStream z({{"a", "/nonexistent", 0, mtime}});
        char buf[31];
        EXPECT_EQ(z.read(buf, sizeof buf), sizeof buf);
        std::string s(buf, sizeof buf);
        return std::pair<int, int>(le16(s, 10), le16(s, 12));  // time, date
    };
    std::tm tm{};
    tm.tm_year = 2001 - 1900;
    tm.tm_mon = 1;
    tm.tm_mday = 3;
    tm.tm_hour = 4;
    tm.tm_min = 5;
    tm.tm_sec = 7;
    tm.tm_isdst = -1;
    const auto t = static_cast<std::int64_t>(std::mktime(&tm));
    EXPECT_EQ(header_time(t), std::make_pair((4 << 11) | (5 << 5) | 3, (21 << 9) | (2 << 5) | 3));
    EXPECT_EQ(header_time(0).second, (0 << 9) | (1 << 5) | 1);  // 1970 -> 1980-01-01
    EXPECT_EQ(header_time(0).first, 0);
    EXPECT_EQ(header_time(-5), header_time(0));
    const auto max = std::make_pair((23 << 11) | (59 << 5) | 29, (127 << 9) | (12 << 5) | 31);
    EXPECT_EQ(header_time(std::int64_t{1} << 40), max);  // far future -> 2107-12-31 23:59:58
    EXPECT_EQ(header_time(INT64_MAX), max);
}

// A real > 4 GiB member, from a sparse file (the archive is written sparse too). Slow: reads
// 5 GiB several times. Run with ESSAIM_ZIP_BIG_TEST=1.
TEST(ZipStream, RealZip64WithSparseFile) {
    if (!std::getenv("ESSAIM_ZIP_BIG_TEST")) GTEST_SKIP() << "set ESSAIM_ZIP_BIG_TEST=1";
    TempDir tmp;
    const auto dir = tmp.path() / "Gros";
    write_file(dir / "avant.txt", "avant\n");
    write_file(dir / "énorme.bin", "début");
    ASSERT_EQ(::truncate((dir / "énorme.bin").c_str(), (5ll << 30) + 3), 0);
    write_file(dir / "zz après.txt", "après\n");
    ZipStream z(entries_for_directory(dir.string(), "Gros/"));
    const auto zip = tmp.path() / "big.zip";
    int fd = ::open(zip.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(fd, 0);
    std::vector<char> buf(1 << 20);
    std::uint64_t total = 0;
    while (std::size_t got = z.read(buf.data(), buf.size())) {
        bool zero = std::all_of(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(got),
                                [](char c) { return c == 0; });
        if (zero) {
            ASSERT_GE(::lseek(fd, static_cast<off_t>(got), SEEK_CUR), 0);
        } else {
            ASSERT_EQ(::write(fd, buf.data(), got), static_cast<ssize_t>(got));
        }
        total += got;
    }
    ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(total)), 0);
    ::close(fd);
    EXPECT_EQ(total, z.size());
    EXPECT_EQ(run("unzip -tq " + quote(zip)), 0);
    EXPECT_EQ(run("python3 -c 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); "
                  "assert z.testzip() is None; assert z.read(\"Gros/zz après.txt\") == "
                  "\"après\\n\".encode(); "
                  "assert z.getinfo(\"Gros/énorme.bin\").file_size == (5<<30)+3' " +
                  quote(zip)),
              0);
}
