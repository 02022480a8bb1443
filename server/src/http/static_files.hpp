// Serves the built SPA: hashed assets under /assets/ with a one-year immutable cache, every
// other existing file with no-cache + ETag, and index.html for any other GET path (history-API
// fallback, so /compte reloads work). Paths are decoded and checked: no "..", no NUL, nothing
// outside the web directory. Files are small; they are read once and kept in memory.
#pragma once

#include "http/message.hpp"

#include <mutex>
#include <string>
#include <unordered_map>

namespace essaim::http {

class StaticSite {
  public:
    explicit StaticSite(std::string dir);
    bool available() const { return !dir_.empty(); }
    const std::string& dir() const { return dir_; }
    Response serve(const Request& req);

  private:
    struct File {
        std::string body;
        std::string etag;
        std::string content_type;
        long long mtime = 0;
    };
    const File* load(const std::string& rel);  // relative path, already checked; nullptr if absent
    static Response not_built();
    Response file_response(const Request& req, const File& f, bool immutable) const;

    std::string dir_;
    std::mutex mu_;
    std::unordered_map<std::string, File> cache_;
};

}  // namespace essaim::http
