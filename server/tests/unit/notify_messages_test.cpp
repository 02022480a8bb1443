#include "net/address.hpp"
#include "notify/messages.hpp"
#include "util/crypto.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

using namespace essaim;

namespace {
store::Notification note() {
    return {7,     1,           "completed",
            "abc", "Film été",  "« Film été » est entièrement téléchargé.",
            1000,  std::nullopt};
}
}  // namespace

TEST(NotifyMessages, WebhookBodyIsGotifyShaped) {
    auto v = boost::json::parse(notify::webhook_body(note(), "https://essaim.example/"));
    EXPECT_EQ(v.at("title"), "essaim");
    EXPECT_EQ(v.at("message"), "« Film été » est entièrement téléchargé.");
    EXPECT_EQ(v.at("priority"), 5);
    EXPECT_EQ(v.at("extras").at("essaim").at("url"), "https://essaim.example/torrents/abc");
    EXPECT_EQ(v.at("extras").at("essaim").at("torrent").at("name"), "Film été");
    EXPECT_TRUE(boost::json::parse(notify::webhook_body(note(), ""))
                    .at("extras")
                    .at("essaim")
                    .at("url")
                    .is_null());
}

TEST(NotifyMessages, EmailIsUtf8WithEncodedSubject) {
    auto m = notify::email_message("essaim <noreply@example.org>", "ana@example.org", note(),
                                   "http://h", 0);
    EXPECT_NE(m.find("Subject: =?UTF-8?B?" +
                     crypto::base64_encode("essaim : « Film été » est téléchargé") + "?="),
              std::string::npos);
    EXPECT_NE(m.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
    EXPECT_NE(m.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"), std::string::npos);
    EXPECT_EQ(m.find("\n\n"), std::string::npos);  // CRLF only
}

TEST(NotifyMessages, Backoff) {
    EXPECT_EQ(notify::backoff_seconds(1), 10);
    EXPECT_EQ(notify::backoff_seconds(2), 30);
    EXPECT_EQ(notify::backoff_seconds(4), 270);
}

// Webhook targets are judged by the one address rule (net/address.hpp, net_address_test.cpp):
// what notify::is_private_address refused before issue 16 is still refused.
TEST(NotifyMessages, WebhookTargetsUseTheAddressRule) {
    for (const char* ip :
         {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.1.1",
          "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "100.64.0.1", "nonsense"})
        EXPECT_FALSE(net::is_public(ip)) << ip;
    for (const char* ip : {"8.8.8.8", "172.32.0.1", "1.1.1.1", "2a00:1450::1"})
        EXPECT_TRUE(net::is_public(ip)) << ip;
    EXPECT_FALSE(net::is_public("2001:db8::1"));  // documentation: public before, not now
}
