// What the database URL (Config::database_url) says: which engine, and how to show it without
// its password (logs, error messages, the CLI).
#pragma once

#include <string>
#include <string_view>

namespace essaim::config {

// postgresql:// or postgres:// (a libpq URI) selects PostgreSQL; anything else is SQLite.
bool is_postgres_url(std::string_view url);
// "postgresql://user:secret@host/db?password=x" → "postgresql://user:***@host/db?password=***":
// what may be shown in logs and error messages.
std::string redact_url(std::string_view url);
// `message` with every password written in `url` replaced by "***".
std::string scrub_secrets(std::string message, std::string_view url);

}  // namespace essaim::config
