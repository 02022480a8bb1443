// First-start chores shared by `serve` and the CLI: data directory, secret key, first admin,
// account creation outside the HTTP API.
#pragma once

#include "config/config.hpp"
#include "store/store.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace essaim::app {

// Writes `content` into `path`, created (or tightened) with mode 0600 before the first byte.
// Throws std::runtime_error (French) when it cannot.
void write_private_file(const std::string& path, std::string_view content);

// mkdir -p with mode 0700 (the directory holds the secret key and the database).
void ensure_data_dir(const std::string& dir);

// cfg.secret when set, else the content of data_dir/secret.key, created (0600, 32 random
// bytes) on first start.
std::string load_or_create_secret(const config::Config& cfg);

std::unique_ptr<store::Store> open_store(const config::Config& cfg, bool migrate = true);

struct Credentials {
    std::string username;
    std::string password;
};

// When the database has no user: creates the administrator "admin" with a generated password
// and returns it (the caller prints it once; it is never logged).
std::optional<Credentials> ensure_first_admin(store::Store& s);

// Creates an account through auth::create_account (validated like registration). Throws
// std::runtime_error with a French message (name taken, weak password, unknown group).
std::int64_t create_account(store::Store& s, const std::string& username,
                            const std::string& password, const std::string& role,
                            const std::string& group_name);

// Sets a new password, ends every session of that user. Throws when the user does not exist.
void reset_password(store::Store& s, const std::string& username, const std::string& password);

}  // namespace essaim::app
