#include "auth/oidc_accounts.hpp"

#include "auth/denied.hpp"
#include "auth/oidc_login.hpp"

#include <boost/json.hpp>

namespace essaim::auth {

Resolved account_for(store::Store& s, const std::string& issuer, const IdToken& token,
                     const OidcAccounts& rules, std::int64_t now, const FolderInUse& in_use) {
    Resolved r;
    if (auto id = s.user_for_identity(issuer, token.sub)) {
        auto u = s.user_by_id(*id);
        if (!u) throw Denied(Denied::Kind::forbidden, "oidc_no_account", "Compte introuvable.");
        r.user = *u;
    } else {
        if (!rules.auto_create)
            throw Denied(Denied::Kind::forbidden, "oidc_no_account",
                         "Aucun compte essaim n'est lié à cette identité : demandez à un "
                         "administrateur de lier votre compte.");
        std::optional<std::int64_t> group;
        if (auto name = map_group(token.claims, rules.group_claim, rules.group_map)) {
            auto g = s.group_by_name(*name);
            if (!g)
                throw Denied(
                    Denied::Kind::invalid, "unknown_group",
                    "Le groupe « " + *name + " » de la correspondance des groupes n'existe pas.");
            group = g->id;
        }
        auto text = [&](const char* k) -> std::optional<std::string> {
            const auto* v = token.claims.if_contains(k);
            if (!v || !v->is_string() || v->as_string().empty()) return std::nullopt;
            return std::string(v->as_string());
        };
        NewAccount a;
        a.username = username_for(
            token.claims, [&](const std::string& n) { return s.user_by_username(n).has_value(); });
        // Nobody knows this password: the account signs in through the provider (an
        // administrator may set one later for a password sign-in).
        a.password = generate_password() + generate_password();
        a.display_name = text("name");
        const auto* verified = token.claims.if_contains("email_verified");
        if (verified && verified->is_bool() && verified->as_bool()) a.email = text("email");
        a.group_id = group;
        r.user = create_account(s, a, in_use);
        try {
            s.link_identity({r.user.id, issuer, token.sub, now, std::nullopt});
            r.created = true;
        } catch (const store::Conflict&) {
            // The same first login finished in another request meanwhile: its account wins.
            s.delete_user(r.user.id);
            auto id = s.user_for_identity(issuer, token.sub);
            auto u = id ? s.user_by_id(*id) : std::nullopt;
            if (!u) throw;
            r.user = *u;
        }
    }
    if (r.user.disabled)
        throw Denied(Denied::Kind::forbidden, "account_disabled", "Ce compte est désactivé.");
    s.touch_identity(issuer, token.sub, now);
    return r;
}

}  // namespace essaim::auth
