#include "notify/messages.hpp"

#include "util/crypto.hpp"

#include <boost/json.hpp>

#include <array>
#include <ctime>

namespace essaim::notify {
namespace json = boost::json;

namespace {

std::string torrent_url(const store::Notification& n, std::string_view base_url) {
    if (base_url.empty() || n.torrent_hash.empty()) return {};
    std::string b(base_url);
    while (!b.empty() && b.back() == '/') b.pop_back();
    return b + "/torrents/" + n.torrent_hash;
}

std::string rfc5322_date(std::int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    ::gmtime_r(&tt, &tm);
    std::array<char, 64> buf{};
    std::strftime(buf.data(), buf.size(), "%a, %d %b %Y %H:%M:%S +0000", &tm);
    return buf.data();
}

std::string wrap76(const std::string& b64) {
    std::string out;
    for (std::size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
    return out;
}

}  // namespace

std::string webhook_body(const store::Notification& n, std::string_view base_url) {
    auto url = torrent_url(n, base_url);
    return json::serialize(json::object{
        {"title", "essaim"},
        {"message", n.message},
        {"priority", n.kind == "completed" ? 5 : 7},
        {"extras",
         json::object{
             {"essaim", json::object{{"event", n.kind},
                                     {"torrent", json::object{{"hash", n.torrent_hash},
                                                              {"name", n.torrent_name}}},
                                     {"url", url.empty() ? json::value(nullptr) : json::value(url)},
                                     {"at", n.created_at}}}}}});
}

std::string email_subject(const store::Notification& n) {
    if (n.kind == "completed") return "essaim : « " + n.torrent_name + " » est téléchargé";
    if (n.kind == "limit_stopped") return "essaim : « " + n.torrent_name + " » a été arrêté";
    if (n.kind == "removed") return "essaim : « " + n.torrent_name + " » a été supprimé";
    if (n.kind == "test") return "essaim : e-mail de test";
    return "essaim : « " + n.torrent_name + " » est en erreur";
}

std::string email_message(std::string_view from, std::string_view to, const store::Notification& n,
                          std::string_view base_url, std::int64_t now) {
    std::string body = "Bonjour,\r\n\r\n" + n.message + "\r\n";
    if (auto url = torrent_url(n, base_url); !url.empty())
        body += "\r\nVoir le torrent : " + url + "\r\n";
    body +=
        "\r\n-- \r\nessaim. Vous recevez ce message parce que vous avez activé les notifications "
        "par e-mail sur la page « Mon compte ».\r\n";
    std::string m;
    m += "Date: " + rfc5322_date(now) + "\r\n";
    m += "From: " + std::string(from) + "\r\n";
    m += "To: " + std::string(to) + "\r\n";
    m += "Subject: =?UTF-8?B?" + crypto::base64_encode(email_subject(n)) + "?=\r\n";
    m += "Message-ID: <essaim-" + std::to_string(n.id) + "-" + std::to_string(now) + "@essaim>\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: text/plain; charset=utf-8\r\n";
    m += "Content-Transfer-Encoding: base64\r\n\r\n";
    m += wrap76(crypto::base64_encode(body));
    return m;
}

std::int64_t backoff_seconds(std::int64_t attempts) {
    std::int64_t s = 10;
    for (std::int64_t i = 1; i < attempts && s < 3600; ++i) s *= 3;
    return s;
}

}  // namespace essaim::notify
