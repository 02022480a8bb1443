#include "auth/oidc_accounts.hpp"
#include "auth/denied.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace a = essaim::auth;
namespace store = essaim::store;
namespace json = boost::json;

namespace {

const std::string kIss = "https://id.example.org";

a::IdToken id(std::string sub, json::object claims = {}) {
    claims["sub"] = sub;
    return {std::move(sub), std::move(claims)};
}

std::string code_of(store::Store& s, const a::IdToken& t, const a::OidcAccounts& rules) {
    try {
        a::account_for(s, kIss, t, rules, 1000);
        return "ok";
    } catch (const a::Denied& e) {
        return e.code;
    }
}

}  // namespace

TEST(OidcAccounts, OnlyALinkedSubjectSignsInUnlessCreationIsAllowed) {
    auto s = store::open_sqlite_store(":memory:");
    auto g = s->group_by_name("Utilisateurs");
    auto alice =
        s->create_user({"alice", "Alice", std::string("alice@example.org"), "h", "user", g->id});
    // Same e-mail, same name at the provider: still not Alice's account (never by e-mail).
    auto lookalike = id("sub-x", {{"preferred_username", "alice"},
                                  {"email", "alice@example.org"},
                                  {"email_verified", true}});
    EXPECT_EQ(code_of(*s, lookalike, {}), "oidc_no_account");
    EXPECT_EQ(s->count_users(), 1);
    // Linked by an administrator: that subject is Alice.
    s->link_identity({alice, kIss, "sub-a", 1, std::nullopt});
    auto r = a::account_for(*s, kIss, id("sub-a"), {}, 1000);
    EXPECT_EQ(r.user.id, alice);
    EXPECT_FALSE(r.created);
    EXPECT_EQ(s->identities(alice)[0].last_login_at, 1000);
    // Disabled in essaim: refused whatever the provider says.
    a::set_disabled(*s, alice, true);
    EXPECT_EQ(code_of(*s, id("sub-a"), {}), "account_disabled");
}

TEST(OidcAccounts, CreationNamesMapsTheGroupAndLinksOnce) {
    auto s = store::open_sqlite_store(":memory:");
    auto users = s->group_by_name("Utilisateurs");
    s->create_user({"alice", "Alice", std::nullopt, "h", "user", users->id});
    a::OidcAccounts rules{true, "groups", "admins = Administrateurs\nfamille = Utilisateurs"};
    auto t = id("sub-new", {{"preferred_username", "alice"},
                            {"name", "Alice Martin"},
                            {"email", "am@example.org"},
                            {"email_verified", true},
                            {"groups", json::array{"admins"}}});
    auto r = a::account_for(*s, kIss, t, rules, 1000);
    EXPECT_TRUE(r.created);
    EXPECT_EQ(r.user.username, "alice2");  // "alice" is someone else
    EXPECT_EQ(r.user.display_name, "Alice Martin");
    EXPECT_EQ(r.user.email, "am@example.org");
    EXPECT_EQ(r.user.group_id, s->group_by_name("Administrateurs")->id);
    // The second login reuses it.
    auto again = a::account_for(*s, kIss, t, rules, 2000);
    EXPECT_FALSE(again.created);
    EXPECT_EQ(again.user.id, r.user.id);
    EXPECT_EQ(s->count_users(), 2);
    // An unverified e-mail is not copied; no mapped group: the registration group.
    auto u = a::account_for(*s, kIss,
                            id("sub-3", {{"preferred_username", "bob"},
                                         {"email", "bob@example.org"},
                                         {"groups", json::array{"autres"}}}),
                            rules, 1000);
    EXPECT_FALSE(u.user.email);
    EXPECT_EQ(u.user.group_id, users->id);
    // A map naming a group essaim does not have: a clear refusal, no account.
    rules.group_map = "admins = Inexistant";
    EXPECT_EQ(code_of(*s, id("sub-4", {{"groups", "admins"}}), rules), "unknown_group");
    EXPECT_EQ(s->count_users(), 3);
}
