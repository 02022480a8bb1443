#include "settings/table.hpp"

#include "util/strings.hpp"

namespace essaim::settings {

const std::vector<const Key*>& all() {
    static const std::vector<const Key*> keys = {&site_name,
                                                 &registration_open,
                                                 &default_group,
                                                 &allow_private_targets,
                                                 &qbt_url,
                                                 &qbt_username,
                                                 &qbt_password,
                                                 &qbt_managed,
                                                 &qbt_save_path,
                                                 &jackett_url,
                                                 &jackett_api_key,
                                                 &jackett_timeout,
                                                 &download_base_url,
                                                 &download_root,
                                                 &download_secret,
                                                 &download_ttl,
                                                 &download_bind_ip,
                                                 &download_direct,
                                                 &smtp_host,
                                                 &smtp_port,
                                                 &smtp_username,
                                                 &smtp_password,
                                                 &smtp_from,
                                                 &smtp_starttls,
                                                 &smtp_verify_tls,
                                                 &api_password_login,
                                                 &oidc_issuer,
                                                 &oidc_client_id,
                                                 &oidc_client_secret,
                                                 &oidc_scopes,
                                                 &oidc_group_claim,
                                                 &oidc_group_map,
                                                 &oidc_auto_create,
                                                 &oidc_display_name,
                                                 &local_login,
                                                 &break_glass_admin,
                                                 &proxy_auth_header,
                                                 &proxy_auth_trusted_proxies};
    return keys;
}

const Key* find(std::string_view name) {
    if (name == "webhook_allow_private") return &allow_private_targets;
    for (const auto* k : all())
        if (k->name == name) return k;
    return nullptr;
}

bool is_secret(std::string_view name) {
    const auto* k = find(name);
    return k && k->type == Type::secret;
}

std::string checked(const Key& k, std::string_view value) {
    std::string v(k.type == Type::secret ? value : str::trim(value));
    switch (k.type) {
        case Type::flag:
            if (v == "1" || v == "oui") v = "true";
            if (v == "0" || v == "non") v = "false";
            if (v != "true" && v != "false")
                throw Invalid("invalid_flag", std::string(k.name) + " vaut true ou false.");
            return v;
        case Type::number: {
            auto n = str::parse_uint(v);
            if (!n || *n < k.min || *n > k.max)
                throw Invalid("invalid_number", "La valeur doit être comprise entre " +
                                                    std::to_string(k.min) + " et " +
                                                    std::to_string(k.max) + ".");
            return std::to_string(*n);
        }
        case Type::url:
            if (!v.empty() && !str::starts_with(v, "http://") && !str::starts_with(v, "https://"))
                throw Invalid("invalid_url", "L'adresse doit commencer par http:// ou https://.");
            if (v.find_first_of(" \t\r\n") != std::string::npos)
                throw Invalid("invalid_url", "L'adresse ne doit pas contenir d'espace.");
            return v;
        case Type::path:
            if (!v.empty() &&
                (v.front() != '/' || v.find("/../") != std::string::npos || v.ends_with("/..")))
                throw Invalid("invalid_path",
                              "Indiquez un chemin absolu (par exemple /srv/qbittorrent).");
            return v;
        case Type::email:
            if (!v.empty() && v.find('@') == std::string::npos)
                throw Invalid("invalid_email",
                              "L'expéditeur doit être une adresse e-mail (essaim@example.org).");
            return v;
        case Type::secret:
            if (!v.empty() && v.size() < k.min_length)
                throw Invalid("secret_too_short", "Le secret doit contenir au moins " +
                                                      std::to_string(k.min_length) +
                                                      " caractères.");
            return v;
        case Type::text:
            if (&k == &site_name && (v.empty() || str::utf8_length(v) > 64))
                throw Invalid("invalid_name", "Donnez un nom de 1 à 64 caractères.");
            return v;
    }
    return v;
}

}  // namespace essaim::settings
