// The parameters of a qBittorrent Web API request, wherever the client put them: the query
// string, an application/x-www-form-urlencoded body or a multipart/form-data body (whose file
// parts are the .torrent uploads of torrents/add). Pure, any thread.
#pragma once

#include "http/message.hpp"
#include "http/multipart.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace essaim::qbtapi {

class Form {
  public:
    // Throws std::invalid_argument on a malformed body (a bad escape, a broken multipart).
    // The request must outlive the form (file parts are views into its body).
    explicit Form(const http::Request& req);

    // The last value given for `name`, or nullopt.
    std::optional<std::string> get(std::string_view name) const;
    std::string value_or(std::string_view name, std::string fallback) const;
    // "true" / "false" as qBittorrent reads them; anything else is `fallback`.
    bool flag(std::string_view name, bool fallback = false) const;
    // A signed decimal integer / number; nullopt when absent, throws std::invalid_argument when
    // it is not one (400).
    std::optional<std::int64_t> integer(std::string_view name) const;
    std::optional<double> number(std::string_view name) const;
    const std::vector<http::Part>& files() const { return files_; }

  private:
    void parse_urlencoded(std::string_view s);
    std::vector<std::pair<std::string, std::string>> fields_;
    std::vector<http::Part> files_;
};

}  // namespace essaim::qbtapi
