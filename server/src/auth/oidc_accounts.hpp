// Which essaim account a provider's identity signs in as (issue 22): the account linked to its
// `sub` at that issuer — never one found by e-mail or name, which a provider's user may choose —
// or, when the administrator allows it, a new account made from the claims (a free name from
// preferred_username, the group the claims map to, else the registration group) and linked.
// A disabled account stays refused: disabling in essaim wins over the provider.
// Errors: Denied forbidden `oidc_no_account` / `account_disabled`, or what account creation
// refuses. Blocking (account creation hashes a password): worker pool or CLI.
#pragma once

#include "auth/accounts.hpp"
#include "auth/id_token.hpp"
#include "store/store.hpp"

#include <string>

namespace essaim::auth {

struct OidcAccounts {
    bool auto_create = false;
    std::string group_claim, group_map;
};

struct Resolved {
    store::User user;
    bool created = false;
};

Resolved account_for(store::Store& s, const std::string& issuer, const IdToken& token,
                     const OidcAccounts& rules, std::int64_t now, const FolderInUse& in_use = {});

}  // namespace essaim::auth
