#include "app/bootstrap.hpp"

#include "api/errors.hpp"
#include "auth/password.hpp"
#include "auth/validation.hpp"
#include "store/pg_store.hpp"
#include "util/crypto.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace essaim::app {
namespace fs = std::filesystem;

void ensure_data_dir(const std::string& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw std::runtime_error("impossible de créer le dossier de données " + dir + " : " +
                                 ec.message());
    ::chmod(dir.c_str(), 0700);
}

std::string load_or_create_secret(const config::Config& cfg) {
    if (!cfg.secret.empty()) {
        if (cfg.secret.size() < 32)
            throw std::runtime_error("ESSAIM_SECRET doit contenir au moins 32 caractères");
        return cfg.secret;
    }
    auto path = fs::path(cfg.data_dir) / "secret.key";
    if (fs::exists(path)) {
        std::ifstream in(path, std::ios::binary);
        std::string key((std::istreambuf_iterator<char>(in)), {});
        if (key.size() < 32)
            throw std::runtime_error(path.string() + " est trop court (32 octets minimum)");
        return key;
    }
    auto key = crypto::random_bytes(32);
    auto tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        ::chmod(tmp.c_str(), 0600);
        out.write(key.data(), static_cast<std::streamsize>(key.size()));
        if (!out) throw std::runtime_error("impossible d'écrire " + tmp.string());
    }
    fs::rename(tmp, path);
    return key;
}

std::unique_ptr<store::Store> open_store(const config::Config& cfg, bool migrate) {
    std::unique_ptr<store::Store> store;
    if (store::pg::is_postgres_url(cfg.database_url)) {
        store = store::open_postgres_store(cfg.database_url, migrate);
    } else {
        auto path = cfg.sqlite_path();
        auto parent = fs::path(path).parent_path();
        if (!parent.empty()) fs::create_directories(parent);
        store = store::open_sqlite_store(path, migrate);
    }
    if (migrate)
        store->set_cipher(std::make_shared<store::SettingsCipher>(load_or_create_secret(cfg)));
    return store;
}

std::string generate_password() {
    return crypto::random_token(15);
}

std::optional<Credentials> ensure_first_admin(store::Store& s) {
    if (s.count_users() > 0) return std::nullopt;
    Credentials c{"admin", generate_password()};
    create_account(s, c.username, c.password, "admin", "Administrateurs");
    return c;
}

std::int64_t create_account(store::Store& s, const std::string& username,
                            const std::string& password, const std::string& role,
                            const std::string& group_name) {
    std::string name;
    try {
        name = auth::validate_username(username);
        auth::validate_password(password);
    } catch (const api::ApiError& e) {
        throw std::runtime_error(e.what());
    }
    auto group = s.group_by_name(group_name);
    if (!group) throw std::runtime_error("groupe inconnu : « " + group_name + " »");
    try {
        auto id = s.create_user(
            {name, name, std::nullopt, auth::hash_password(password), role, group->id});
        s.audit({std::nullopt, "cli", role == "admin" ? "admin.create" : "user.create", "user",
                 std::to_string(id), "{}", ""});
        return id;
    } catch (const store::Conflict&) {
        throw std::runtime_error("le nom d'utilisateur « " + name + " » est déjà pris");
    }
}

void reset_password(store::Store& s, const std::string& username, const std::string& password) {
    try {
        auth::validate_password(password);
    } catch (const api::ApiError& e) {
        throw std::runtime_error(e.what());
    }
    auto u = s.user_by_username(username);
    if (!u) throw std::runtime_error("utilisateur inconnu : « " + username + " »");
    s.set_password(u->id, auth::hash_password(password), true);
    s.delete_user_sessions(u->id, "");
    s.audit({std::nullopt, "cli", "user.password_reset", "user", std::to_string(u->id), "{}", ""});
}

}  // namespace essaim::app
