#include "auth/validation.hpp"

#include "auth/denied.hpp"
#include "util/strings.hpp"

namespace essaim::auth {

std::string validate_username(const std::string& username) {
    std::string u(str::trim(username));
    bool ok = u.size() >= 3 && u.size() <= 32;
    for (char c : u)
        ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-');
    if (!ok)
        throw Denied(Denied::Kind::invalid, "invalid_username",
                     "Le nom d'utilisateur doit faire de 3 à 32 caractères : lettres sans accent, "
                     "chiffres, point, tiret ou tiret bas.",
                     "username");
    return u;
}

void validate_password(const std::string& password, const char* field) {
    auto n = str::utf8_length(password);
    if (n < kMinPasswordLength)
        throw Denied(Denied::Kind::invalid, "weak_password",
                     "Le mot de passe doit contenir au moins 10 caractères.", field);
    if (password.size() > kMaxPasswordLength)
        throw Denied(Denied::Kind::invalid, "weak_password",
                     "Le mot de passe ne doit pas dépasser 1024 caractères.", field);
}

std::string validate_display_name(const std::string& name) {
    std::string n(str::trim(name));
    auto len = str::utf8_length(n);
    bool control = false;
    for (unsigned char c : n) control = control || c < 0x20 || c == 0x7F;
    if (len < 1 || len > 64 || control)
        throw Denied(Denied::Kind::invalid, "invalid_display_name",
                     "Le nom affiché doit faire de 1 à 64 caractères.", "display_name");
    return n;
}

std::optional<std::string> validate_email(const std::string& email) {
    std::string e(str::trim(email));
    if (e.empty()) return std::nullopt;
    auto at = e.find('@');
    bool ok = e.size() <= 254 && at != std::string::npos && at > 0 &&
              e.find('@', at + 1) == std::string::npos;
    if (ok) {
        auto domain = std::string_view(e).substr(at + 1);
        auto dot = domain.rfind('.');
        ok = dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size();
    }
    for (unsigned char c : e) ok = ok && c > 0x20 && c != 0x7F;
    if (!ok)
        throw Denied(Denied::Kind::invalid, "invalid_email", "L'adresse e-mail n'est pas valide.",
                     "email");
    return e;
}

}  // namespace essaim::auth
