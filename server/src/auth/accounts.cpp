#include "auth/accounts.hpp"

#include "auth/denied.hpp"
#include "auth/password.hpp"
#include "auth/validation.hpp"
#include "download/layout.hpp"
#include "store/builtin.hpp"
#include "store/settings_view.hpp"
#include "util/crypto.hpp"
#include "util/strings.hpp"

namespace essaim::auth {

namespace {

store::Group group_for(store::Store& s, const std::optional<std::int64_t>& id) {
    std::optional<store::Group> g;
    if (id) {
        g = s.group_by_id(*id);
        if (!g)
            throw Denied(Denied::Kind::invalid, "unknown_group", "Ce groupe n'existe pas.",
                         "group_id");
        return *g;
    }
    g = s.group_by_name(store::text(s, settings::default_group));
    if (!g) g = s.group_by_id(store::kUsersGroupId);
    if (!g) throw std::runtime_error("le groupe par défaut « Utilisateurs » n'existe plus");
    return *g;
}

}  // namespace

store::User create_account(store::Store& s, const NewAccount& a, const FolderInUse& in_use) {
    auto username = validate_username(a.username);
    validate_password(a.password);
    auto email = validate_email(a.email.value_or(""));
    auto display = a.display_name && !str::trim(*a.display_name).empty()
                       ? validate_display_name(*a.display_name)
                       : username;
    if (a.role != "user" && a.role != "admin")
        throw Denied(Denied::Kind::invalid, "invalid_role",
                     "Le rôle doit être « user » ou « admin ».", "role");
    auto group = group_for(s, a.group_id);
    if (s.user_by_username(username))
        throw Denied(Denied::Kind::conflict, "username_taken",
                     "Ce nom d'utilisateur est déjà pris.", "username");
    auto folder = download::choose_folder(username, [&](const std::string& name) {
        return s.folder_in_use(name) || (in_use && in_use(name));
    });
    store::NewUser nu{username, display,  email, hash_password(a.password),
                      a.role,   group.id, folder};
    std::int64_t id;
    try {
        id = s.create_user(nu);
    } catch (const store::Conflict&) {
        throw Denied(Denied::Kind::conflict, "username_taken",
                     "Ce nom d'utilisateur est déjà pris.", "username");
    }
    auto user = s.user_by_id(id);
    if (!user) throw std::runtime_error("compte introuvable juste après sa création");
    return *user;
}

void set_password(store::Store& s, std::int64_t user_id, const std::string& password,
                  const char* field) {
    validate_password(password, field);
    s.set_password(user_id, hash_password(password), true);
    s.delete_user_sessions(user_id, "");
}

void set_disabled(store::Store& s, std::int64_t user_id, bool disabled) {
    store::UserUpdate up;
    up.disabled = disabled;
    s.update_user(user_id, up);
    if (disabled) s.delete_user_sessions(user_id, "");
}

std::string generate_password() {
    return crypto::random_token(15);
}

}  // namespace essaim::auth
