#include "download/direct.hpp"

#include "download/paths.hpp"
#include "download/signer.hpp"
#include "util/strings.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace essaim::download {
namespace {

// The file being served: one descriptor, read with pread from `offset` for `length` bytes.
class FileSource : public http::BodySource {
  public:
    FileSource(int fd, std::uint64_t offset, std::uint64_t length)
        : fd_(fd), offset_(offset), remaining_(length), length_(length) {}
    ~FileSource() override { ::close(fd_); }
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;

    std::uint64_t size() const override { return length_; }
    std::optional<FileRegion> file_region() const override { return FileRegion{fd_, offset_}; }
    std::size_t read(char* buf, std::size_t n) override {
        if (remaining_ == 0) return 0;
        if (n > remaining_) n = static_cast<std::size_t>(remaining_);
        ssize_t got;
        do {
            got = ::pread(fd_, buf, n, static_cast<off_t>(offset_));
        } while (got < 0 && errno == EINTR);
        if (got <= 0) throw std::runtime_error("Le fichier a changé pendant le téléchargement.");
        offset_ += static_cast<std::uint64_t>(got);
        remaining_ -= static_cast<std::uint64_t>(got);
        return static_cast<std::size_t>(got);
    }

  private:
    int fd_;
    std::uint64_t offset_, remaining_, length_;
};

http::Response invalid_link() {
    return page(403, "Lien invalide",
                "Ce lien de téléchargement n'est pas valide (incomplet ou modifié). Demandez un "
                "nouveau lien depuis la page du torrent.");
}

std::string http_date(std::int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    ::gmtime_r(&tt, &tm);
    std::array<char, 64> buf{};
    std::strftime(buf.data(), buf.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf.data();
}

std::string base_name(std::string_view p) {
    while (!p.empty() && p.back() == '/') p.remove_suffix(1);
    auto slash = p.rfind('/');
    return std::string(slash == std::string_view::npos ? p : p.substr(slash + 1));
}

// `fd`: the file, opened beneath the root without following links (owned from here on).
http::Response serve_file(const http::Request& req, int fd, const std::string& name) {
    if (fd < 0) return page(404, "Fichier introuvable", "Ce fichier n'existe plus sur le serveur.");
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return page(404, "Fichier introuvable", "Ce fichier n'existe plus sur le serveur.");
    }
    auto size = static_cast<std::uint64_t>(st.st_size);
    std::array<char, 64> etag{};
    std::snprintf(etag.data(), etag.size(), "\"%llx-%llx\"",
                  static_cast<unsigned long long>(st.st_mtime),
                  static_cast<unsigned long long>(st.st_size));
    auto last_modified = http_date(st.st_mtime);

    RangeRequest range;
    auto if_range = req.header("if-range");
    if (auto h = req.header("range"); !h.empty())
        if (if_range.empty() || if_range == etag.data() || if_range == last_modified)
            range = parse_range(h, size);

    http::Response r;
    r.set_header("Accept-Ranges", "bytes");
    r.set_header("ETag", etag.data());
    r.set_header("Last-Modified", last_modified);
    r.set_header("Cache-Control", "private, max-age=0");
    r.set_header("Content-Type", std::string(content_type_for(name)));
    r.set_header("Content-Disposition", content_disposition(req.query_param("dl") == "1", name));
    if (range.kind == RangeKind::unsatisfiable) {
        ::close(fd);
        r.status = 416;
        r.set_header("Content-Range", "bytes */" + std::to_string(size));
        r.set_header("Content-Type", "text/plain; charset=utf-8");
        r.body = "Plage demandée hors du fichier.\n";
        return r;
    }
    std::uint64_t offset = 0, length = size;
    if (range.kind == RangeKind::single) {
        r.status = 206;
        offset = range.range.first;
        length = range.range.last - range.range.first + 1;
        r.set_header("Content-Range", "bytes " + std::to_string(range.range.first) + "-" +
                                          std::to_string(range.range.last) + "/" +
                                          std::to_string(size));
    }
    r.stream_body = std::make_shared<FileSource>(fd, offset, length);
    return r;
}

}  // namespace

http::Response page(int status, const std::string& title, const std::string& text) {
    http::Response r;
    r.status = status;
    r.set_header("Content-Type", "text/html; charset=utf-8");
    r.set_header("Cache-Control", "no-store");
    r.body = "<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>" + title +
             " — essaim</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;"
             "margin:4rem auto;padding:0 1rem;color:#1c1917}</style></head><body><h1>" +
             title + "</h1><p>" + text +
             "</p><p><a href=\"/\">Retour à essaim</a></p></body></html>\n";
    return r;
}

RangeRequest parse_range(std::string_view h, std::uint64_t size) {
    RangeRequest none;
    auto t = str::trim(h);
    if (!str::starts_with(t, "bytes=")) return none;
    t.remove_prefix(6);
    t = str::trim(t);
    if (t.find(',') != std::string_view::npos) return none;
    auto dash = t.find('-');
    if (dash == std::string_view::npos) return none;
    auto a = str::trim(t.substr(0, dash));
    auto b = str::trim(t.substr(dash + 1));
    RangeRequest r;
    r.kind = RangeKind::single;
    if (a.empty()) {  // suffix: the last n bytes
        auto n = str::parse_uint(b);
        if (!n) return none;
        if (*n == 0 || size == 0) return {RangeKind::unsatisfiable, {}};
        auto len = std::min<std::uint64_t>(static_cast<std::uint64_t>(*n), size);
        r.range = {size - len, size - 1};
        return r;
    }
    auto first = str::parse_uint(a);
    if (!first) return none;
    std::uint64_t last = size == 0 ? 0 : size - 1;
    if (!b.empty()) {
        auto l = str::parse_uint(b);
        if (!l || *l < *first) return none;
        last = std::min<std::uint64_t>(static_cast<std::uint64_t>(*l), last);
    }
    if (static_cast<std::uint64_t>(*first) >= size) return {RangeKind::unsatisfiable, {}};
    r.range = {static_cast<std::uint64_t>(*first), last};
    return r;
}

std::string_view content_type_for(std::string_view name) {
    auto dot = name.rfind('.');
    if (dot == std::string_view::npos) return "application/octet-stream";
    auto ext = str::to_lower(name.substr(dot + 1));
    static const std::pair<const char*, const char*> types[] = {
        {"mp4", "video/mp4"},
        {"m4v", "video/mp4"},
        {"webm", "video/webm"},
        {"mkv", "video/x-matroska"},
        {"ogv", "video/ogg"},
        {"mov", "video/quicktime"},
        {"avi", "video/x-msvideo"},
        {"mp3", "audio/mpeg"},
        {"m4a", "audio/mp4"},
        {"aac", "audio/aac"},
        {"ogg", "audio/ogg"},
        {"oga", "audio/ogg"},
        {"opus", "audio/ogg"},
        {"flac", "audio/flac"},
        {"wav", "audio/wav"},
        {"txt", "text/plain; charset=utf-8"},
        {"nfo", "text/plain; charset=utf-8"},
        {"srt", "text/plain; charset=utf-8"},
        {"vtt", "text/vtt; charset=utf-8"},
        {"pdf", "application/pdf"},
        {"epub", "application/epub+zip"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"png", "image/png"},
        {"gif", "image/gif"},
        {"webp", "image/webp"},
        {"zip", "application/zip"},
        {"iso", "application/octet-stream"},
    };
    for (const auto& [e, t] : types)
        if (ext == e) return t;
    return "application/octet-stream";
}

std::string content_disposition(bool attachment, std::string_view name) {
    std::string ascii;
    for (unsigned char c : name) {
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%' && c != ';')
            ascii += static_cast<char>(c);
        else if (c < 0x80 || (c & 0xC0) == 0xC0)
            ascii += '_';  // one '_' per non-ASCII character, none for continuation bytes
    }
    std::string encoded;
    static constexpr char hex[] = "0123456789ABCDEF";
    for (unsigned char c : name) {
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_' || c == '~';
        if (keep) {
            encoded += static_cast<char>(c);
        } else {
            encoded += '%';
            encoded += hex[c >> 4];
            encoded += hex[c & 15];
        }
    }
    return std::string(attachment ? "attachment" : "inline") + "; filename=\"" + ascii +
           "\"; filename*=UTF-8''" + encoded;
}

http::Response serve_signed(const Settings& s, const RootOf& root_of, const http::Request& req,
                            std::int64_t now) {
    if (req.method != "GET" && req.method != "HEAD") {
        auto r = page(405, "Méthode non autorisée", "Seuls GET et HEAD sont acceptés ici.");
        r.set_header("Allow", "GET, HEAD");
        return r;
    }
    auto uri = normalize_uri(req.path);
    if (uri && str::starts_with(*uri, "/dl/") && server_prefix(std::string_view(*uri).substr(4)))
        ;  // another server's files: its own mode decides (root_of below)
    else if (!s.direct || !s.configured())
        return page(404, "Téléchargement direct désactivé",
                    "Ce serveur essaim ne sert pas les fichiers lui-même.");
    if (!uri)
        return page(400, "Adresse invalide", "Cette adresse de téléchargement est mal formée.");
    if (!str::starts_with(*uri, "/dl/") || s.secret.empty())
        return page(404, "Introuvable", "Cette adresse n'existe pas.");
    auto md5 = req.query_param("md5").value_or("");
    auto expires = req.query_param("expires").value_or("");
    switch (check_link(*uri, md5, expires, s.secret, now,
                       s.bind_ip ? std::string_view(req.remote_ip) : std::string_view())) {
        case LinkCheck::invalid:
            return invalid_link();
        case LinkCheck::expired:
            return page(410, "Lien expiré",
                        "Ce lien de téléchargement a expiré. Générez un nouveau lien depuis la "
                        "page du torrent dans essaim.");
        case LinkCheck::ok:
            break;
    }
    // The signature proves essaim derived this path from a torrent's own file list; opening it
    // without following links keeps a link planted in a folder from leading anywhere else.
    std::string rel = uri->substr(4);
    std::string root = s.root;
    // Another server's files ("/dl/~<id>/…"): served from the root essaim sees for it.
    if (auto other = server_prefix(rel)) {
        root = root_of ? root_of(other->first) : std::string();
        if (root.empty()) return page(404, "Introuvable", "Cette adresse n'existe pas.");
        rel = std::string(other->second);
    }
    return serve_file(req, open_beneath(root, rel), base_name(rel));
}

}  // namespace essaim::download
