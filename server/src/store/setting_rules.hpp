// Settings read in more than one module, with their defaults and aliases: one place each.
#pragma once

#include "store/store.hpp"

namespace essaim::store {

// general.allow_private_targets (key "allow_private_targets", default false): only then may
// add-by-URL and webhooks reach loopback, private and link-local addresses (a LAN tracker, a
// Gotify on the LAN). "webhook_allow_private", its name before issue 16, still counts.
inline bool allow_private_targets(Store& s) {
    if (auto v = s.setting("allow_private_targets")) return *v == "true";
    return s.setting("webhook_allow_private").value_or("false") == "true";
}

}  // namespace essaim::store
