#include "http/static_files.hpp"

#include "util/crypto.hpp"
#include "util/strings.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace essaim::http {
namespace fs = std::filesystem;
namespace {

std::string content_type_for(const std::string& path) {
    auto ext = str::to_lower(fs::path(path).extension().string());
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json" || ext == ".map") return "application/json; charset=utf-8";
    if (ext == ".webmanifest") return "application/manifest+json; charset=utf-8";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".webp") return "image/webp";
    if (ext == ".woff2") return "font/woff2";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

}  // namespace

StaticSite::StaticSite(std::string dir) {
    std::error_code ec;
    if (!dir.empty() && fs::is_regular_file(fs::path(dir) / "index.html", ec))
        dir_ = fs::canonical(dir, ec).string();
}

const StaticSite::File* StaticSite::load(const std::string& rel) {
    auto full = fs::path(dir_) / rel;
    struct stat st {};
    if (::stat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
    std::error_code ec;
    auto canon = fs::canonical(full, ec).string();
    if (ec || canon.rfind(dir_ + "/", 0) != 0) return nullptr;  // symlink out of the web dir
    std::lock_guard lock(mu_);
    auto it = cache_.find(rel);
    if (it != cache_.end() && it->second.mtime == static_cast<long long>(st.st_mtime))
        return &it->second;
    std::ifstream in(full, std::ios::binary);
    File f;
    f.body.assign(std::istreambuf_iterator<char>(in), {});
    f.etag = "\"" + crypto::hex_encode(crypto::sha256(f.body)).substr(0, 20) + "\"";
    f.content_type = content_type_for(rel);
    f.mtime = static_cast<long long>(st.st_mtime);
    return &(cache_[rel] = std::move(f));
}

Response StaticSite::file_response(const Request& req, const File& f, bool immutable) const {
    Response r;
    r.set_header("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    r.set_header("ETag", f.etag);
    if (req.header("if-none-match") == f.etag) {
        r.status = 304;
        return r;
    }
    r.status = 200;
    r.set_header("Content-Type", f.content_type);
    r.body = f.body;
    return r;
}

Response StaticSite::not_built() {
    Response r;
    r.status = 503;
    r.set_header("Content-Type", "text/html; charset=utf-8");
    r.body =
        "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>essaim</title>"
        "<p>L'interface web n'est pas construite. Lancez <code>make build</code>, ou indiquez "
        "son dossier avec ESSAIM_WEB_DIR.</p></html>";
    return r;
}

Response StaticSite::serve(const Request& req) {
    Response r;
    if (!available()) return not_built();
    auto decoded = percent_decode(req.path, false);
    bool bad = !decoded || decoded->find('\0') != std::string::npos;
    std::string rel;
    if (!bad) {
        for (auto seg : str::split(*decoded, '/')) {
            if (seg.empty()) continue;
            if (seg == "." || seg == ".." || seg.find('\\') != std::string_view::npos) {
                bad = true;
                break;
            }
            rel += (rel.empty() ? "" : "/") + std::string(seg);
        }
    }
    if (bad) {
        r.status = 400;
        r.set_header("Content-Type", "text/plain; charset=utf-8");
        r.body = "Adresse invalide.";
        return r;
    }
    if (!rel.empty())
        if (const File* f = load(rel)) return file_response(req, *f, rel.rfind("assets/", 0) == 0);
    // A missing hashed asset must not be answered with index.html (the browser would try to
    // run HTML as JavaScript); everything else is a client-side route.
    if (rel.rfind("assets/", 0) == 0) {
        r.status = 404;
        r.set_header("Content-Type", "text/plain; charset=utf-8");
        r.body = "Fichier introuvable.";
        return r;
    }
    const File* index = load("index.html");
    if (!index) return not_built();
    return file_response(req, *index, false);
}

}  // namespace essaim::http
