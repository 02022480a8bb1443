#include "api/qbt_probe.hpp"

#include "api/errors.hpp"
#include "settings/table.hpp"

#include <boost/asio.hpp>

namespace essaim::api {
namespace json = boost::json;

std::string checked_url(const std::string& v, const std::string& field) {
    try {
        return settings::checked(settings::qbt_url, v);
    } catch (const settings::Invalid& e) {
        throw ApiError(422, e.code, e.what(), field);
    }
}

const char* fail_code(const qbt::QbtError& e) {
    std::string m = e.what();
    switch (e.kind) {
        case qbt::FailKind::bad_credentials:
            return "bad_credentials";
        case qbt::FailKind::banned:
            return "banned";
        case qbt::FailKind::unconfigured:
            return "not_configured";
        case qbt::FailKind::unreachable:
            return m.find("TLS") != std::string::npos || m.find("https") != std::string::npos
                       ? "tls"
                       : "unreachable";
        default:
            return "protocol";
    }
}

// Runs on the I/O context: the throwaway client lives and dies in this coroutine frame.
boost::asio::awaitable<json::object> probe_qbittorrent(qbt::Connection conn) {
    qbt::Counters counters;
    qbt::Client client(co_await boost::asio::this_coro::executor, counters);
    client.set_connection(conn);
    try {
        auto version = co_await client.app_version();
        auto api = co_await client.api_version();
        auto md = co_await client.maindata(0);
        json::value free = nullptr;
        if (md.is_object())
            if (auto* ss = md.as_object().if_contains("server_state"); ss && ss->is_object())
                if (auto* f = ss->as_object().if_contains("free_space_on_disk")) free = *f;
        co_return json::object{
            {"ok", true},
            {"version", version},
            {"api_version", std::to_string(api.major) + "." + std::to_string(api.minor) + "." +
                                std::to_string(api.patch)},
            {"free_space", free}};
    } catch (const qbt::QbtError& e) {
        co_return json::object{{"ok", false}, {"code", fail_code(e)}, {"message", e.what()}};
    }
}

}  // namespace essaim::api
