#include "store/settings_view.hpp"

#include "util/strings.hpp"

namespace essaim::store {

std::string text(Store& s, const settings::Key& k) {
    // allow_private_targets: "webhook_allow_private" was its name before issue 16.
    if (&k == &settings::allow_private_targets && !s.setting(std::string(k.name)))
        if (auto old = s.setting(std::string("webhook_allow_private"))) return *old;
    return s.setting(std::string(k.name)).value_or(std::string(k.fallback));
}

bool flag(Store& s, const settings::Key& k) {
    return text(s, k) == "true";
}

std::int64_t number(Store& s, const settings::Key& k) {
    if (auto n = str::parse_uint(text(s, k)); n && *n >= k.min && *n <= k.max) return *n;
    return str::parse_uint(k.fallback).value_or(0);
}

bool is_set(Store& s, const settings::Key& k) {
    return !s.setting(std::string(k.name)).value_or("").empty();
}

void write(Store& s, const settings::Key& k, std::string_view value) {
    s.set_setting(std::string(k.name), settings::checked(k, value));
}

}  // namespace essaim::store
