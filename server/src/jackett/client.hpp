// Jackett client: manual search (/api/v2.0/indexers/all/results, JSON) and the indexer list
// (Torznab t=indexers, which accepts the API key; the JSON indexer list needs Jackett's UI
// cookie). essaim's own timeout applies (Jackett itself waits up to 100 s per indexer).
#pragma once

#include "http/client.hpp"
#include "jackett/results.hpp"
#include "store/store.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace essaim::jackett {

struct Settings {
    std::string url;  // http(s)://host:port (no trailing slash)
    std::string api_key;
    std::chrono::seconds timeout{30};
};

class JackettError : public std::runtime_error {
  public:
    JackettError(std::string code, int status, const std::string& french)
        : std::runtime_error(french), code(std::move(code)), status(status) {}
    std::string
        code;  // jackett_not_configured, jackett_unreachable, jackett_auth_failed, jackett_timeout
    int status;  // HTTP status essaim answers with
};

// The Jackett the settings describe (jackett_url, jackett_api_key, jackett_timeout).
Settings settings_of(store::Store& s);

// The sentence users read for an error code: never Jackett's address, its text or the key
// (the exception's own message, with details, is for the log and the admin's "Tester").
std::string user_message(const std::string& code);

boost::asio::awaitable<SearchResponse> search(Settings s, std::string query,
                                              std::vector<int> categories, std::string indexer);
boost::asio::awaitable<std::vector<std::pair<std::string, std::string>>> indexers(Settings s);

// Torznab <indexers> XML → (id, title) pairs. Pure.
std::vector<std::pair<std::string, std::string>> parse_torznab_indexers(std::string_view xml);

}  // namespace essaim::jackett
