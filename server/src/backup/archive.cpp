#include "backup/archive.hpp"

#include "util/crypto.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>

namespace essaim::backup {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr std::size_t kBlock = 64 * 1024;
constexpr std::size_t kMaxManifest = 1 << 20;

class Sha256 {
  public:
    Sha256() : ctx_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
        if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
            throw std::runtime_error("SHA-256 indisponible");
    }
    void update(const void* p, std::size_t n) { EVP_DigestUpdate(ctx_.get(), p, n); }
    std::string hex() {
        unsigned char out[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        EVP_DigestFinal_ex(ctx_.get(), out, &n);
        return crypto::hex_encode(std::string_view(reinterpret_cast<const char*>(out), n));
    }

  private:
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

struct Summary {
    std::uint64_t size = 0;
    std::string sha256;
};

Summary summarize(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("impossible de lire " + path);
    Sha256 h;
    Summary s;
    std::string buf(kBlock, '\0');
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        auto n = static_cast<std::size_t>(in.gcount());
        h.update(buf.data(), n);
        s.size += n;
    }
    s.sha256 = h.hex();
    return s;
}

using Archive = std::unique_ptr<struct archive, int (*)(struct archive*)>;
using Entry = std::unique_ptr<archive_entry, void (*)(archive_entry*)>;

std::string error_of(struct archive* a) {
    const char* e = archive_error_string(a);
    return e ? e : "erreur inconnue";
}

void write_entry(struct archive* a, const std::string& name, std::uint64_t size,
                 const std::function<void()>& body) {
    Entry e(archive_entry_new(), &archive_entry_free);
    archive_entry_set_pathname(e.get(), name.c_str());
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(size));
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0600);
    archive_entry_set_mtime(e.get(), ::time(nullptr), 0);
    if (archive_write_header(a, e.get()) != ARCHIVE_OK)
        throw std::runtime_error("écriture de l'archive impossible : " + error_of(a));
    body();
}

void write_bytes(struct archive* a, const char* p, std::size_t n) {
    if (n && archive_write_data(a, p, n) != static_cast<la_ssize_t>(n))
        throw std::runtime_error("écriture de l'archive impossible : " + error_of(a));
}

}  // namespace

bool safe_member_name(const std::string& name) {
    if (name.empty() || name.front() == '/' || name.size() > 1024) return false;
    std::size_t start = 0;
    while (start <= name.size()) {
        auto end = name.find('/', start);
        if (end == std::string::npos) end = name.size();
        auto part = std::string_view(name).substr(start, end - start);
        if (part.empty() || part == "." || part == "..") return false;
        if (part.find('\0') != std::string_view::npos || part.find('\\') != std::string_view::npos)
            return false;
        start = end + 1;
    }
    return true;
}

void write_archive(const std::string& archive_path, json::object info,
                   const std::vector<Member>& members) {
    json::array files;
    std::vector<Summary> sums;
    for (const auto& m : members) {
        if (!safe_member_name(m.name) || m.name == kManifestName)
            throw std::invalid_argument("nom de membre invalide : " + m.name);
        sums.push_back(summarize(m.path));
        files.push_back(json::object{
            {"name", m.name}, {"size", sums.back().size}, {"sha256", sums.back().sha256}});
    }
    info["format"] = kFormat;
    info["files"] = std::move(files);
    auto manifest = json::serialize(info);

    auto tmp = archive_path + ".partiel";
    // 0600 from the start: the archive holds the secret key and the password hashes.
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        throw std::runtime_error("impossible de créer " + tmp + " : " + std::strerror(errno));
    ::fchmod(fd, 0600);
    try {
        Archive a(archive_write_new(), &archive_write_free);
        archive_write_add_filter_gzip(a.get());
        archive_write_set_format_pax_restricted(a.get());
        if (archive_write_open_fd(a.get(), fd) != ARCHIVE_OK)
            throw std::runtime_error("écriture de l'archive impossible : " + error_of(a.get()));
        write_entry(a.get(), kManifestName, manifest.size(),
                    [&] { write_bytes(a.get(), manifest.data(), manifest.size()); });
        std::string buf(kBlock, '\0');
        for (std::size_t i = 0; i < members.size(); ++i) {
            write_entry(a.get(), members[i].name, sums[i].size, [&] {
                std::ifstream in(members[i].path, std::ios::binary);
                std::uint64_t left = sums[i].size;
                while (left > 0 && in) {
                    in.read(buf.data(), static_cast<std::streamsize>(
                                            std::min<std::uint64_t>(buf.size(), left)));
                    auto n = static_cast<std::size_t>(in.gcount());
                    if (n == 0) break;
                    write_bytes(a.get(), buf.data(), n);
                    left -= n;
                }
                if (left != 0)
                    throw std::runtime_error(members[i].path + " a changé pendant la sauvegarde");
            });
        }
        if (archive_write_close(a.get()) != ARCHIVE_OK)
            throw std::runtime_error("écriture de l'archive impossible : " + error_of(a.get()));
        if (::fsync(fd) != 0)
            throw std::runtime_error("écriture de l'archive impossible : " +
                                     std::string(std::strerror(errno)));
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
    ::close(fd);
    fs::rename(tmp, archive_path);
}

Extracted read_archive(const std::string& archive_path, const std::string& into_dir) {
    Archive a(archive_read_new(), &archive_read_free);
    archive_read_support_filter_gzip(a.get());
    archive_read_support_format_tar(a.get());
    auto broken = [&](const std::string& why) {
        return std::runtime_error(
            "archive " + archive_path +
            " refusée (tronquée, altérée ou pas une sauvegarde d'essaim) : " + why);
    };
    if (archive_read_open_filename(a.get(), archive_path.c_str(), kBlock) != ARCHIVE_OK)
        throw broken("lecture impossible (" + error_of(a.get()) + ")");

    Extracted out;
    std::map<std::string, Summary> expected;
    std::set<std::string> seen;
    archive_entry* e = nullptr;
    bool first = true;
    std::string buf(kBlock, '\0');
    int r;
    while ((r = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK) {
        std::string name = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
        if (archive_entry_filetype(e) != AE_IFREG)
            throw broken("« " + name + " » n'est pas un fichier ordinaire");
        if (first) {
            first = false;
            if (name != kManifestName) throw broken("le manifeste manque en tête");
            std::string text;
            la_ssize_t n;
            while ((n = archive_read_data(a.get(), buf.data(), buf.size())) > 0) {
                text.append(buf.data(), static_cast<std::size_t>(n));
                if (text.size() > kMaxManifest) throw broken("manifeste trop grand");
            }
            if (n < 0) throw broken("lecture interrompue (" + error_of(a.get()) + ")");
            boost::system::error_code ec;
            auto v = json::parse(text, ec);
            if (ec || !v.is_object()) throw broken("manifeste illisible");
            out.manifest = v.as_object();
            auto* fmt = out.manifest.if_contains("format");
            if (!fmt || !fmt->is_int64() || fmt->as_int64() != kFormat)
                throw broken("format de sauvegarde inconnu");
            auto* files = out.manifest.if_contains("files");
            if (!files || !files->is_array()) throw broken("liste des fichiers absente");
            for (const auto& f : files->as_array()) {
                const auto* o = f.if_object();
                const json::value *n2 = o ? o->if_contains("name") : nullptr,
                                  *sz = o ? o->if_contains("size") : nullptr,
                                  *h = o ? o->if_contains("sha256") : nullptr;
                if (!n2 || !n2->is_string() || !sz || !sz->is_number() || !h || !h->is_string())
                    throw broken("liste des fichiers illisible");
                std::string fname(n2->as_string());
                if (!safe_member_name(fname) || fname == kManifestName)
                    throw broken("nom de fichier refusé : « " + fname + " »");
                if (!expected
                         .emplace(fname, Summary{sz->to_number<std::uint64_t>(),
                                                 std::string(h->as_string())})
                         .second)
                    throw broken("« " + fname + " » nommé deux fois");
                out.files.push_back(fname);
            }
            continue;
        }
        auto it = expected.find(name);
        if (it == expected.end()) throw broken("fichier inattendu : « " + name + " »");
        if (!seen.insert(name).second) throw broken("« " + name + " » présent deux fois");
        auto target = fs::path(into_dir) / name;
        fs::create_directories(target.parent_path());
        int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
            throw std::runtime_error("impossible d'écrire " + target.string() + " : " +
                                     std::strerror(errno));
        Sha256 h;
        std::uint64_t size = 0;
        la_ssize_t n;
        while ((n = archive_read_data(a.get(), buf.data(), buf.size())) > 0) {
            h.update(buf.data(), static_cast<std::size_t>(n));
            size += static_cast<std::uint64_t>(n);
            if (::write(fd, buf.data(), static_cast<std::size_t>(n)) != n) {
                ::close(fd);
                throw std::runtime_error("impossible d'écrire " + target.string() + " : " +
                                         std::strerror(errno));
            }
        }
        ::close(fd);
        if (n < 0) throw broken("lecture interrompue (" + error_of(a.get()) + ")");
        if (size != it->second.size || h.hex() != it->second.sha256)
            throw broken("« " + name + " » ne correspond pas à son empreinte");
    }
    if (r != ARCHIVE_EOF)
        throw broken(first ? "format non reconnu"
                           : "lecture interrompue (" + error_of(a.get()) + ")");
    if (first) throw broken("archive vide");
    for (const auto& [name, s] : expected)
        if (!seen.count(name)) throw broken("« " + name + " » manque");
    return out;
}

}  // namespace essaim::backup
