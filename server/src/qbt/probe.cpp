#include "qbt/probe.hpp"

#include "api/context.hpp"
#include "http/client.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace essaim::qbt {
namespace asio = boost::asio;

namespace {

std::string form_encode(std::string_view v) {
    return boost::urls::encode(v, boost::urls::unreserved_chars);
}

std::string sid_from(const http::ClientResponse& r) {
    for (const auto& c : r.header_all("set-cookie"))
        if (c.rfind("SID=", 0) == 0) return c.substr(4, c.find(';') - 4);
    return {};
}

}  // namespace

asio::awaitable<void> run_probe(store::Store& store, std::atomic<int>& state,
                                std::chrono::milliseconds period) {
    std::string sid, sid_for;
    int last = -1;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (;;) {
        auto url = store.setting("qbt_url").value_or("");
        int now_state = static_cast<int>(api::QbtState::unconfigured);
        std::string why;
        if (!url.empty()) {
            while (!url.empty() && url.back() == '/') url.pop_back();
            auto user = store.setting("qbt_username").value_or("");
            auto pass = store.setting("qbt_password").value_or("");
            if (sid_for != url + "\n" + user) sid.clear();
            http::ClientRequest req{
                "GET", url + "/api/v2/app/version", {}, {}, std::chrono::seconds(5)};
            if (!sid.empty()) req.headers.emplace_back("Cookie", "SID=" + sid);
            auto res = co_await http::fetch(req);
            if (res.status == 403) {
                http::ClientRequest login{
                    "POST",
                    url + "/api/v2/auth/login",
                    {{"Content-Type", "application/x-www-form-urlencoded"}},
                    "username=" + form_encode(user) + "&password=" + form_encode(pass),
                    std::chrono::seconds(5)};
                auto lr = co_await http::fetch(login);
                sid = lr.status == 200 && lr.body == "Ok." ? sid_from(lr) : "";
                sid_for = url + "\n" + user;
                if (!sid.empty()) {
                    req.headers = {{"Cookie", "SID=" + sid}};
                    res = co_await http::fetch(req);
                } else {
                    why = lr.status == 0 ? lr.error : "identifiants refusés (" + lr.body + ")";
                }
            }
            if (res.status == 200)
                now_state = static_cast<int>(api::QbtState::ok);
            else {
                now_state = static_cast<int>(api::QbtState::down);
                if (why.empty())
                    why = res.status == 0 ? res.error : "HTTP " + std::to_string(res.status);
            }
        }
        state.store(now_state);
        if (now_state != last) {
            if (now_state == static_cast<int>(api::QbtState::down))
                spdlog::warn("qBittorrent injoignable : {}", why);
            else if (now_state == static_cast<int>(api::QbtState::ok))
                spdlog::info("qBittorrent joignable ({})", url);
            last = now_state;
        }
        timer.expires_after(period);
        co_await timer.async_wait(asio::use_awaitable);
    }
}

}  // namespace essaim::qbt
