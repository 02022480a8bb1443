// Typed reads and checked writes of the settings table (settings/table.hpp) over a Store: a
// value, or its key's fallback while unset (or unreadable: a number that does not parse reads
// as the fallback). Thread-safe as the Store is.
#pragma once

#include "settings/table.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace essaim::store {

std::string text(Store& s, const settings::Key& k);
bool flag(Store& s, const settings::Key& k);
std::int64_t number(Store& s, const settings::Key& k);
// True when the setting holds a non-empty value (a secret is set).
bool is_set(Store& s, const settings::Key& k);
// Checks the value with its key's rule (throws settings::Invalid), then stores it.
void write(Store& s, const settings::Key& k, std::string_view value);

}  // namespace essaim::store
