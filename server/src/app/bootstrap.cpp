#include "app/bootstrap.hpp"

#include "api/errors.hpp"
#include "auth/accounts.hpp"
#include "auth/password.hpp"
#include "auth/validation.hpp"
#include "config/database_url.hpp"
#include "download/layout.hpp"
#include "download/paths.hpp"
#include "download/settings.hpp"
#include "store/audit.hpp"
#include "store/builtin.hpp"
#include "store/store.hpp"
#include "util/crypto.hpp"
#include "util/strings.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace essaim::app {
namespace fs = std::filesystem;

namespace {

// Creates `path` empty with mode 0600 from the start (an ofstream would create it with the
// umask's 0644 and leave a window before a chmod), or tightens an existing file to 0600.
void make_private_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::fchmod(fd, 0600);
        ::close(fd);
    }
}

}  // namespace

void write_private_file(const std::string& path, std::string_view content) {
    make_private_file(path);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) throw std::runtime_error("impossible d'écrire " + path);
}

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
    if (auto key = config::existing_secret(cfg)) {
        if (key->size() < 32)
            throw std::runtime_error(path.string() + " est trop court (32 octets minimum)");
        return *key;
    }
    auto key = crypto::random_bytes(32);
    auto tmp = path;
    tmp += ".tmp";
    write_private_file(tmp.string(), key);
    fs::rename(tmp, path);
    return key;
}

std::unique_ptr<store::Store> open_store(const config::Config& cfg, bool migrate) {
    std::unique_ptr<store::Store> store;
    if (config::is_postgres_url(cfg.database_url)) {
        store = store::open_postgres_store(cfg.database_url, migrate);
    } else {
        auto path = cfg.sqlite_path();
        auto parent = fs::path(path).parent_path();
        if (!parent.empty()) fs::create_directories(parent);
        // The database holds password hashes and sessions: readable by essaim's user only.
        // SQLite gives its -wal and -shm files the database file's permissions.
        if (path != ":memory:") {
            make_private_file(path);
            for (const char* suffix : {"-wal", "-shm"})
                if (fs::exists(path + suffix)) ::chmod((path + suffix).c_str(), 0600);
        }
        store = store::open_sqlite_store(path, migrate);
    }
    if (migrate)
        store->set_cipher(std::make_shared<store::SettingsCipher>(load_or_create_secret(cfg)));
    return store;
}

std::optional<Credentials> ensure_first_admin(store::Store& s) {
    if (s.count_users() > 0) return std::nullopt;
    Credentials c{"admin", auth::generate_password()};
    create_account(s, c.username, c.password, "admin", store::kAdminsGroupName);
    return c;
}

std::int64_t create_account(store::Store& s, const std::string& username,
                            const std::string& password, const std::string& role,
                            const std::string& group_name) {
    auto group = s.group_by_name(group_name);
    if (!group) throw std::runtime_error("groupe inconnu : « " + group_name + " »");
    // Outside the server nothing knows qBittorrent's torrents; what is on disk under the root
    // (when this machine sees it) is checked.
    auto root = download::load_settings(s).storage_root;
    try {
        auto u = auth::create_account(
            s, {username, password, std::nullopt, std::nullopt, role, group->id},
            [&](const std::string& name) {
                return download::exists_on_disk(download::user_dir(root, name));
            });
        store::audit(s, store::Actor::system("cli"),
                     role == "admin" ? "admin.create" : "user.create", "user",
                     std::to_string(u.id));
        return u.id;
    } catch (const auth::Denied& e) {
        if (e.code == "username_taken")
            throw std::runtime_error("le nom d'utilisateur « " + std::string(str::trim(username)) +
                                     " » est déjà pris");
        throw std::runtime_error(e.what());
    }
}

void reset_password(store::Store& s, const std::string& username, const std::string& password) {
    auto u = s.user_by_username(username);
    if (!u) throw std::runtime_error("utilisateur inconnu : « " + username + " »");
    try {
        auth::set_password(s, u->id, password);
    } catch (const auth::Denied& e) {
        throw std::runtime_error(e.what());
    }
    store::audit(s, store::Actor::system("cli"), "user.password_reset", "user",
                 std::to_string(u->id));
}

}  // namespace essaim::app
