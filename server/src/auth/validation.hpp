// Account field rules. Each function returns the cleaned value or throws auth::Denied (invalid, 422
// in the API) with the field name and a French message.
#pragma once

#include <optional>
#include <string>

namespace essaim::auth {

constexpr std::size_t kMinPasswordLength = 10;
constexpr std::size_t kMaxPasswordLength = 1024;

std::string validate_username(const std::string& username);  // 3–32 of [A-Za-z0-9._-]
void validate_password(const std::string& password, const char* field = "password");
std::string validate_display_name(const std::string& name);  // trimmed, 1–64 code points
// Trimmed; "" means no e-mail (nullopt).
std::optional<std::string> validate_email(const std::string& email);

}  // namespace essaim::auth
