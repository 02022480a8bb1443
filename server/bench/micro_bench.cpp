// Micro-benchmarks of the pure hot paths (Google Benchmark), run by `make bench`:
// Jackett JSON → results (2,000 results, target < 50 ms), JWT check, registry list body, and the
// proxy sign-in's check every request makes.
#include "api/torrent_views.hpp"
#include "auth/jwt.hpp"
#include "auth/proxy_auth.hpp"
#include "jackett/results.hpp"
#include "qbt/registry.hpp"

#include <benchmark/benchmark.h>
#include <boost/json.hpp>

#include <memory>
#include <mutex>
#include <string>

namespace {

std::string jackett_json(int n) {
    boost::json::array results;
    for (int i = 0; i < n; ++i)
        results.push_back(boost::json::object{
            {"FirstSeen", "0001-01-01T00:00:00"},
            {"Tracker", "YGGtorrent"},
            {"TrackerId", "yggtorrent"},
            {"TrackerType", "semi-private"},
            {"CategoryDesc", "Movies, Movies/HD"},
            {"BlackholeLink", nullptr},
            {"Title", "Le Fabuleux Destin d'Amélie Poulain (2001) FRENCH 1080p BluRay x264 " +
                          std::to_string(i)},
            {"Guid", "https://example.org/t/" + std::to_string(i)},
            {"Link",
             "http://127.0.0.1:9117/dl/yggtorrent/?jackett_apikey=k&path=Q2ZESjh5Z2cx&file=x"},
            {"Details", "https://example.org/t/" + std::to_string(i)},
            {"PublishDate", "2024-11-02T21:14:05+01:00"},
            {"Category", boost::json::array{2000, 2040, 102183}},
            {"Size", 4831838208LL},
            {"Files", 3},
            {"Grabs", 3817},
            {"Description", nullptr},
            {"Imdb", 211915},
            {"Seeders", i % 500},
            {"Peers", 4},
            {"InfoHash", nullptr},
            {"MagnetUri", nullptr},
            {"DownloadVolumeFactor", 1.0},
            {"UploadVolumeFactor", 1.0},
            {"Gain", 684.0}});
    return boost::json::serialize(
        boost::json::object{{"Results", results}, {"Indexers", boost::json::array{}}});
}

void BM_JackettParseSort2000(benchmark::State& state) {
    auto body = jackett_json(2000);
    for (auto _ : state) {
        auto r = essaim::jackett::parse_results(body);
        essaim::jackett::sort_by_seeders(r.results);
        benchmark::DoNotOptimize(r);
    }
    state.SetLabel(std::to_string(body.size() / 1024) + " KiB of JSON");
}
BENCHMARK(BM_JackettParseSort2000)->Unit(benchmark::kMillisecond);

void BM_JwtDecode(benchmark::State& state) {
    auto token = essaim::auth::jwt_encode({42, 1, "session-id-123456", 1000, 4102444800},
                                          "a-32-byte-secret-key-for-bench!!");
    for (auto _ : state)
        benchmark::DoNotOptimize(
            essaim::auth::jwt_decode(token, "a-32-byte-secret-key-for-bench!!", 2000));
}
BENCHMARK(BM_JwtDecode);

// Each request asks whether a trusted proxy names someone else (auth/sessions.cpp): the settings
// are handed out under a lock. Side by side: a copy of them per request (before) and the shared
// snapshot (now), with proxy sign-in configured (five trusted ranges) and a request from
// outside them — the common case behind a proxy.
essaim::auth::ProxyAuth proxy_settings() {
    return {"remote-user",
            essaim::net::parse_cidrs("10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fd00::/8, "
                                     "127.0.0.1/32")};
}

essaim::http::Request outside_request() {
    essaim::http::Request req;
    req.remote_ip = "203.0.113.7";
    req.headers = {{"remote-user", "alice"}, {"cookie", "essaim_session=x"}};
    return req;
}

void BM_ProxyCheckCopy(benchmark::State& state) {
    std::mutex mu;
    auto settings = proxy_settings();
    auto req = outside_request();
    for (auto _ : state) {
        essaim::auth::ProxyAuth p;
        {
            std::lock_guard lock(mu);
            p = settings;
        }
        benchmark::DoNotOptimize(essaim::auth::proxy_user(p, req));
    }
}
BENCHMARK(BM_ProxyCheckCopy);

void BM_ProxyCheckSnapshot(benchmark::State& state) {
    std::mutex mu;
    auto settings = std::make_shared<const essaim::auth::ProxyAuth>(proxy_settings());
    auto req = outside_request();
    for (auto _ : state) {
        std::shared_ptr<const essaim::auth::ProxyAuth> p;
        {
            std::lock_guard lock(mu);
            p = settings;
        }
        benchmark::DoNotOptimize(essaim::auth::proxy_user(*p, req));
    }
}
BENCHMARK(BM_ProxyCheckSnapshot);

}  // namespace
