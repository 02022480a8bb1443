// settings/table: the one list of run-time settings — every key found by its name, each value
// checked by its key's rule, secrets known as such.
#include "settings/table.hpp"

#include <gtest/gtest.h>

#include <set>

namespace essaim::settings {
namespace {

std::string code_of(const Key& k, std::string_view value) {
    try {
        checked(k, value);
    } catch (const Invalid& e) {
        return e.code;
    }
    return "";
}

TEST(SettingsTable, EveryKeyIsListedOnceAndFoundByItsName) {
    std::set<std::string_view> names;
    for (const auto* k : all()) {
        EXPECT_TRUE(names.insert(k->name).second) << k->name;
        EXPECT_EQ(find(k->name), k);
        // The value while unset passes its own rule (a fallback that could not be written back
        // would make `essaim settings` refuse what it prints).
        EXPECT_EQ(code_of(*k, k->fallback), "") << k->name;
    }
    EXPECT_EQ(find("no_such_key"), nullptr);
    EXPECT_EQ(find("webhook_allow_private"), &allow_private_targets);  // its name before
}

TEST(SettingsTable, SecretsAreTheSecretTypedKeys) {
    for (auto name : {"qbt_password", "jackett_api_key", "download_secret", "smtp_password"})
        EXPECT_TRUE(is_secret(name)) << name;
    for (auto name : {"qbt_url", "site_name", "smtp_username", "unknown"})
        EXPECT_FALSE(is_secret(name)) << name;
}

TEST(SettingsTable, FlagsAreNormalised) {
    EXPECT_EQ(checked(registration_open, " oui "), "true");
    EXPECT_EQ(checked(registration_open, "1"), "true");
    EXPECT_EQ(checked(registration_open, "non"), "false");
    EXPECT_EQ(checked(registration_open, "false"), "false");
    EXPECT_EQ(code_of(registration_open, "yes"), "invalid_flag");
    EXPECT_EQ(code_of(registration_open, ""), "invalid_flag");
}

TEST(SettingsTable, NumbersStayInTheirRange) {
    EXPECT_EQ(checked(download_ttl, "60"), "60");
    EXPECT_EQ(checked(download_ttl, " 3600 "), "3600");
    EXPECT_EQ(code_of(download_ttl, "59"), "invalid_number");
    EXPECT_EQ(code_of(download_ttl, std::to_string(30LL * 24 * 3600 + 1)), "invalid_number");
    EXPECT_EQ(code_of(download_ttl, "-1"), "invalid_number");
    EXPECT_EQ(code_of(smtp_port, "65536"), "invalid_number");
    EXPECT_EQ(code_of(jackett_timeout, "abc"), "invalid_number");
}

TEST(SettingsTable, UrlsPathsAndAddressesAreChecked) {
    EXPECT_EQ(checked(qbt_url, " http://127.0.0.1:8081 "), "http://127.0.0.1:8081");
    EXPECT_EQ(checked(qbt_url, ""), "");
    EXPECT_EQ(code_of(qbt_url, "ftp://x"), "invalid_url");
    EXPECT_EQ(code_of(qbt_url, "http://a b"), "invalid_url");
    EXPECT_EQ(checked(download_root, "/srv/torrents"), "/srv/torrents");
    EXPECT_EQ(code_of(download_root, "relative/dir"), "invalid_path");
    EXPECT_EQ(code_of(download_root, "/srv/../etc"), "invalid_path");
    EXPECT_EQ(code_of(download_root, "/srv/.."), "invalid_path");
    EXPECT_EQ(code_of(smtp_from, "not-an-address"), "invalid_email");
    EXPECT_EQ(checked(smtp_from, "essaim@example.org"), "essaim@example.org");
}

TEST(SettingsTable, SecretsKeepTheirSpacesAndTheirMinimumLength) {
    EXPECT_EQ(checked(qbt_password, " a b "), " a b ");  // a password is taken as typed
    EXPECT_EQ(code_of(download_secret, "short"), "secret_too_short");
    EXPECT_EQ(checked(download_secret, ""), "");  // unset is allowed
    EXPECT_EQ(checked(download_secret, std::string(16, 'x')), std::string(16, 'x'));
}

TEST(SettingsTable, SiteNameIsOneToSixtyFourCharacters) {
    EXPECT_EQ(code_of(site_name, "   "), "invalid_name");
    EXPECT_EQ(code_of(site_name, std::string(65, 'e')), "invalid_name");
    // Characters, not bytes: 64 accented letters are 128 bytes.
    std::string accents;
    for (int i = 0; i < 64; ++i) accents += "é";
    EXPECT_EQ(checked(site_name, accents), accents);
}

}  // namespace
}  // namespace essaim::settings
