#include "jackett/results.hpp"

#include "torrent/magnet.hpp"
#include "util/strings.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace essaim::jackett {
namespace json = boost::json;

namespace {

std::optional<std::int64_t> opt_int(const json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v->as_uint64());
    if (v->is_double() && v->as_double() >= -9e18 && v->as_double() <= 9e18)
        return static_cast<std::int64_t>(v->as_double());
    return std::nullopt;
}

std::optional<double> opt_double(const json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_double()) return v->as_double();
    if (v->is_int64()) return static_cast<double>(v->as_int64());
    if (v->is_uint64()) return static_cast<double>(v->as_uint64());
    return std::nullopt;
}

std::string text(const json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    if (!v || !v->is_string()) return {};
    return str::to_valid_utf8(std::string_view(v->as_string()));
}

bool is_hex40(const std::string& s) {
    return s.size() == 40 &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c); });
}

int digits(std::string_view s, std::size_t pos, std::size_t n, bool& ok) {
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (i >= s.size() || s[i] < '0' || s[i] > '9') {
            ok = false;
            return 0;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::optional<std::int64_t> parse_date(std::string_view s) {
    bool ok = true;
    if (s.size() < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return std::nullopt;
    int y = digits(s, 0, 4, ok), mo = digits(s, 5, 2, ok), d = digits(s, 8, 2, ok);
    int h = digits(s, 11, 2, ok), mi = digits(s, 14, 2, ok), se = digits(s, 17, 2, ok);
    if (!ok || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return std::nullopt;
    std::size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    }
    std::int64_t offset = 0;
    if (pos < s.size()) {
        if (s[pos] == 'Z' && pos + 1 == s.size()) {
        } else if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
            int oh = digits(s, pos + 1, 2, ok), om = digits(s, pos + 4, 2, ok);
            if (!ok || oh > 14 || om > 59) return std::nullopt;
            offset = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
        } else {
            return std::nullopt;
        }
    }
    return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
           h * 3600 + mi * 60 + se - offset;
}

SearchResponse parse_results(std::string_view body, std::size_t max_results) {
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if (ec || !v.is_object())
        throw std::invalid_argument("Jackett a renvoyé une réponse illisible (JSON attendu).");
    const auto& root = v.as_object();
    auto* results = root.if_contains("Results");
    if (!results || !results->is_array())
        throw std::invalid_argument("Réponse de Jackett inattendue : pas de liste « Results ».");
    SearchResponse out;
    for (const auto& item : results->as_array()) {
        if (out.results.size() >= max_results) break;
        if (!item.is_object()) continue;
        const auto& o = item.as_object();
        SearchResult r;
        r.title = text(o, "Title");
        r.link = text(o, "Link");
        r.magnet = text(o, "MagnetUri");
        // Jackett leaves a magnet Link unchanged: treat it as the magnet.
        if (r.magnet.empty() && r.link.rfind("magnet:", 0) == 0) std::swap(r.magnet, r.link);
        if (r.title.empty() || (r.link.empty() && r.magnet.empty())) continue;
        r.tracker = text(o, "Tracker");
        r.tracker_id = text(o, "TrackerId");
        r.tracker_type = text(o, "TrackerType");
        r.category_desc = text(o, "CategoryDesc");
        r.details_url = text(o, "Details");
        if (r.details_url.rfind("http://", 0) != 0 && r.details_url.rfind("https://", 0) != 0)
            r.details_url.clear();
        if (auto* c = o.if_contains("Category"); c && c->is_array())
            for (const auto& id : c->as_array())
                if (id.is_int64()) r.categories.push_back(id.as_int64());
        r.size = opt_int(o, "Size");
        r.seeders = opt_int(o, "Seeders");
        r.leechers = opt_int(o, "Peers");  // Jackett's JSON Peers are leechers (Peers - Seeders)
        r.grabs = opt_int(o, "Grabs");
        r.files = opt_int(o, "Files");
        r.download_factor = opt_double(o, "DownloadVolumeFactor");
        r.upload_factor = opt_double(o, "UploadVolumeFactor");
        r.published = parse_date(text(o, "PublishDate"));
        r.info_hash = str::to_lower(text(o, "InfoHash"));
        if (!is_hex40(r.info_hash)) r.info_hash.clear();
        // Many indexers give only the magnet: its btih is the same hash.
        if (r.info_hash.empty() && !r.magnet.empty()) try {
                r.info_hash = torrent::parse_magnet(r.magnet).info_hash_v1;
            } catch (const std::exception&) {
                // A magnet qBittorrent would refuse too: no hash to compare, added as given.
            }
        out.results.push_back(std::move(r));
    }
    if (auto* idx = root.if_contains("Indexers"); idx && idx->is_array()) {
        for (const auto& item : idx->as_array()) {
            if (!item.is_object()) continue;
            const auto& o = item.as_object();
            IndexerStatus s;
            s.id = text(o, "ID");
            s.name = text(o, "Name");
            s.ok = opt_int(o, "Status").value_or(0) == 2;
            s.results = opt_int(o, "Results").value_or(0);
            s.elapsed_ms = opt_int(o, "ElapsedTime").value_or(0);
            auto err = text(o, "Error");
            s.error = err.substr(0, err.find('\n'));  // the stack trace stays out
            // "Jackett.Common.IndexerException: Exception (cpasbien): A task was canceled." →
            // keep the reason only; the indexer's name is shown beside it.
            if (auto p = s.error.find("Exception (");
                p != std::string::npos && s.error.find("Jackett.") == 0)
                if (auto q = s.error.find("): ", p); q != std::string::npos)
                    s.error = s.error.substr(q + 3);
            if (s.error.size() > 300) s.error.resize(300);
            if (s.name.empty()) s.name = s.id.empty() ? "(indexeur inconnu)" : s.id;
            out.indexers.push_back(std::move(s));
        }
    }
    return out;
}

void sort_by_seeders(std::vector<SearchResult>& r) {
    std::stable_sort(r.begin(), r.end(), [](const SearchResult& a, const SearchResult& b) {
        auto sa = a.seeders.value_or(-1), sb = b.seeders.value_or(-1);
        if (sa != sb) return sa > sb;
        return a.published.value_or(0) > b.published.value_or(0);
    });
}

}  // namespace essaim::jackett
