// Accounts — the one place they are created, given a new password and disabled: registration,
// an administrator's form, the first start and the CLI all come here, so the rules (validation,
// password hash, default group, the user's own folder, sessions ended) are written once. (What
// becomes of a deleted user's torrents is qBittorrent's side: qbt/ownership.hpp.)
// Blocking (argon2id, ~70 ms): call it from the worker pool or the CLI, never an I/O thread.
#pragma once

#include "store/store.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace essaim::auth {

struct NewAccount {
    std::string username;
    std::string password;
    std::optional<std::string> display_name;  // absent or blank: the user name
    std::optional<std::string> email;         // absent or empty: none
    std::string role = "user";                // "user" | "admin"
    // Absent: the registration group (setting default_group, else "Utilisateurs").
    std::optional<std::int64_t> group_id;
};

// Names in use outside the users table (something on disk or in qBittorrent under the download
// root): the new user's folder must not be one of them.
using FolderInUse = std::function<bool(const std::string&)>;

// Validates every field (auth::Denied invalid, naming the field), hashes the password, picks the
// user's folder (download/layout.hpp), inserts the row. Throws Denied conflict `username_taken`,
// invalid `unknown_group`. Returns the new user as the store reads it.
store::User create_account(store::Store& s, const NewAccount& a, const FolderInUse& in_use = {});

// Sets a new password (checked like at creation; `field` names it in a refusal) and ends every
// session of the user, on every device: tokens issued before stop working (token_version).
void set_password(store::Store& s, std::int64_t user_id, const std::string& password,
                  const char* field = "password");

// Disables (every session ends at once) or enables the account.
void set_disabled(store::Store& s, std::int64_t user_id, bool disabled);

// A generated password: 20 characters of the base64url alphabet.
std::string generate_password();

}  // namespace essaim::auth
