// CSRF protection, "signed double-submit": the csrf_token cookie (readable by the SPA) holds
// HMAC(key, "csrf:" + session id); a mutating request must echo it in X-CSRF-Token. An attacker
// who can plant cookies on a sibling domain still cannot forge a value bound to the victim's
// session, and a cross-site page cannot read the cookie to copy it into the header.
#pragma once

#include <string>
#include <string_view>

namespace essaim::auth {

std::string csrf_token_for(std::string_view session_id, std::string_view key);
bool csrf_valid(std::string_view header_value, std::string_view session_id, std::string_view key);

}  // namespace essaim::auth
