// The settings an administrator changes at run time (the `settings` table of the database): the
// one list of their keys, with each one's type, the value it has while unset, how a new value is
// checked, whether it is a secret (sealed at rest, never returned), and who may read it. The
// admin API, the CLI (`essaim settings`), start-up seeding and every reader go through it, so a
// default or a rule is written once. Pure: no store here (store/settings_view.hpp reads and
// writes typed values).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace essaim::settings {

enum class Type {
    text,    // trimmed
    secret,  // sealed at rest (store/settings_cipher.hpp), never returned, at least min_length
    flag,    // "true" | "false" ("1", "0", "oui", "non" accepted)
    number,  // decimal integer in [min, max]
    url,     // "" or http(s)://… without spaces
    path,    // "" or an absolute path without a ".." segment
    email,   // "" or an address with an '@'
};

enum class Reader {
    everyone,  // shown before sign-in (GET /api/instance)
    admin,     // Réglages, `essaim settings`
    server,    // kept by essaim for itself (qBittorrent's default save path, the managed flag)
};

struct Key {
    std::string_view name;  // the key in the settings table
    Type type;
    std::string_view fallback;  // the value while unset
    Reader reader = Reader::admin;
    std::int64_t min = 0, max = 0;  // numbers
    std::size_t min_length = 0;     // secrets
};

inline constexpr Key site_name{"site_name", Type::text, "essaim", Reader::everyone};
inline constexpr Key registration_open{"registration_open", Type::flag, "true", Reader::everyone};
// The group new accounts join, by name (the admin API shows and takes its id).
inline constexpr Key default_group{"default_group", Type::text, "Utilisateurs"};
// Add by URL and webhooks may reach loopback/private/link-local addresses (issue 16).
inline constexpr Key allow_private_targets{"allow_private_targets", Type::flag, "false"};
// Tools (the qBittorrent-compatible API's auth/login) may sign in with the account's password,
// not only with an API token.
inline constexpr Key api_password_login{"api_password_login", Type::flag, "false"};
inline constexpr Key qbt_url{"qbt_url", Type::url, ""};
inline constexpr Key qbt_username{"qbt_username", Type::text, ""};
inline constexpr Key qbt_password{"qbt_password", Type::secret, ""};
inline constexpr Key qbt_managed{"qbt_managed", Type::flag, "false", Reader::server};
inline constexpr Key qbt_save_path{"qbt_save_path", Type::path, "", Reader::server};
inline constexpr Key jackett_url{"jackett_url", Type::url, ""};
inline constexpr Key jackett_api_key{"jackett_api_key", Type::secret, ""};
inline constexpr Key jackett_timeout{"jackett_timeout", Type::number, "30", Reader::admin, 1, 300};
inline constexpr Key download_base_url{"download_base_url", Type::url, ""};
inline constexpr Key download_root{"download_root", Type::path, ""};
inline constexpr Key download_secret{"download_secret", Type::secret, "", Reader::admin, 0, 0, 16};
inline constexpr Key download_ttl{"download_ttl", Type::number, "21600",
                                  Reader::admin,  60,           30LL * 24 * 3600};
inline constexpr Key download_bind_ip{"download_bind_ip", Type::flag, "false"};
inline constexpr Key download_direct{"download_direct", Type::flag, "false"};
inline constexpr Key smtp_host{"smtp_host", Type::text, ""};
inline constexpr Key smtp_port{"smtp_port", Type::number, "587", Reader::admin, 1, 65535};
inline constexpr Key smtp_username{"smtp_username", Type::text, ""};
inline constexpr Key smtp_password{"smtp_password", Type::secret, ""};
inline constexpr Key smtp_from{"smtp_from", Type::email, ""};
inline constexpr Key smtp_starttls{"smtp_starttls", Type::flag, "true"};
inline constexpr Key smtp_verify_tls{"smtp_verify_tls", Type::flag, "true"};
// Single sign-on (issue 22): an OpenID Connect provider, off while oidc_issuer is empty. The
// issuer must be https:// unless allow_private_targets (a provider on the LAN or loopback).
inline constexpr Key oidc_issuer{"oidc_issuer", Type::url, ""};
inline constexpr Key oidc_client_id{"oidc_client_id", Type::text, ""};
inline constexpr Key oidc_client_secret{"oidc_client_secret", Type::secret, ""};
inline constexpr Key oidc_scopes{"oidc_scopes", Type::text, "openid profile email"};
// The claim holding the provider's groups, and "groupe-du-fournisseur = Groupe essaim" lines.
inline constexpr Key oidc_group_claim{"oidc_group_claim", Type::text, "groups"};
inline constexpr Key oidc_group_map{"oidc_group_map", Type::text, ""};
// A first login without a linked account creates one (else only linked accounts sign in).
inline constexpr Key oidc_auto_create{"oidc_auto_create", Type::flag, "false"};
// "Se connecter avec <nom>" on the sign-in page.
inline constexpr Key oidc_display_name{"oidc_display_name", Type::text, "", Reader::everyone};
// Passwords sign in (false: only break_glass_admin may, everyone else through the provider).
inline constexpr Key local_login{"local_login", Type::flag, "true", Reader::everyone};
inline constexpr Key break_glass_admin{"break_glass_admin", Type::text, ""};
// A reverse proxy that authenticates (forward auth): the header naming the user, honoured only
// on connections from trusted_proxies (CIDR list, comma or space separated). Off while empty.
inline constexpr Key proxy_auth_header{"proxy_auth_header", Type::text, ""};
inline constexpr Key proxy_auth_trusted_proxies{"proxy_auth_trusted_proxies", Type::text, ""};

// Every key, in the order `essaim settings` lists them.
const std::vector<const Key*>& all();
// The key named `name`, or nullptr. "webhook_allow_private" (its name before issue 16) is
// allow_private_targets.
const Key* find(std::string_view name);
bool is_secret(std::string_view name);

// A value refused by its key's rule: `code` for the API (invalid_url, invalid_number, …), a
// French message.
struct Invalid : std::runtime_error {
    Invalid(std::string code, const std::string& french) : std::runtime_error(french), code(code) {}
    std::string code;
};
// The value as stored: trimmed, flags as "true"/"false", numbers in decimal. Throws Invalid.
std::string checked(const Key& k, std::string_view value);

}  // namespace essaim::settings
