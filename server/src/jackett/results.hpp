// Jackett's manual-search JSON (/api/v2.0/indexers/all/results) → essaim's own result shape.
// Pure, fuzzed. Jackett writes PascalCase keys, nulls for unknown numbers, numbers as ints or
// floats, dates in three ISO forms; `Link`/`Poster`/`BlackholeLink` carry the API key in clear,
// so they stay on the server (SearchResult::link is never serialised for the browser).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace essaim::jackett {

struct SearchResult {
    std::string title, tracker, tracker_id, tracker_type, category_desc, details_url;
    std::vector<std::int64_t> categories;
    std::optional<std::int64_t> size, seeders, leechers, grabs, files;
    std::optional<std::int64_t> published;  // Unix seconds
    std::optional<double> download_factor, upload_factor;
    std::string info_hash;  // 40 hex lower case, or empty
    // Server side only (contain the Jackett API key or lead to it):
    std::string link;
    std::string magnet;
};

struct IndexerStatus {
    std::string id, name;
    bool ok = false;
    std::int64_t results = 0;
    std::int64_t elapsed_ms = 0;
    std::string error;  // first line of Jackett's exception text, without the stack trace
};

struct SearchResponse {
    std::vector<SearchResult> results;
    std::vector<IndexerStatus> indexers;
};

// Throws std::invalid_argument (French message) when the body is not Jackett's JSON shape.
// Results without a title or without any link/magnet are skipped. At most `max_results` kept.
SearchResponse parse_results(std::string_view body, std::size_t max_results = 5000);

// "2024-11-02T21:14:05+01:00", "…Z", "2023-06-18T00:00:00" (no offset: taken as UTC), optional
// fraction. nullopt for anything else (including Jackett's "0001-01-01T00:00:00" placeholder).
std::optional<std::int64_t> parse_date(std::string_view s);

// Seeders descending (unknown last), then publication date, newest first.
void sort_by_seeders(std::vector<SearchResult>& r);

}  // namespace essaim::jackett
