#include "config/config.hpp"

#include <toml++/toml.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace essaim::config {
namespace {

bool parse_bool(const std::string& key, const std::string& v) {
    if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
    if (v == "0" || v == "false" || v == "no" || v == "off") return false;
    throw std::runtime_error("valeur booléenne invalide pour " + key + " : « " + v + " »");
}

long parse_int(const std::string& key, const std::string& v) {
    try {
        std::size_t used = 0;
        long n = std::stol(v, &used);
        if (used == v.size()) return n;
    } catch (const std::exception&) {
    }
    throw std::runtime_error("valeur entière invalide pour " + key + " : « " + v + " »");
}

void from_toml(Config& c, const toml::table& t) {
    auto str = [&](const char* path, std::string& out) {
        if (auto v = t.at_path(path)) {
            if (!v.is_string())
                throw std::runtime_error(std::string("clé ") + path + " : texte attendu");
            out = *v.value<std::string>();
        }
    };
    auto boolean = [&](const char* path, auto& out) {
        if (auto v = t.at_path(path)) {
            if (!v.is_boolean())
                throw std::runtime_error(std::string("clé ") + path + " : booléen attendu");
            out = *v.value<bool>();
        }
    };
    auto integer = [&](const char* path, auto& out) {
        if (auto v = t.at_path(path)) {
            if (!v.is_integer())
                throw std::runtime_error(std::string("clé ") + path + " : entier attendu");
            out = static_cast<std::remove_reference_t<decltype(out)>>(*v.value<std::int64_t>());
        }
    };
    str("listen", c.listen);
    str("data_dir", c.data_dir);
    str("base_url", c.base_url);
    str("web_dir", c.web_dir);
    str("database_url", c.database_url);
    str("secret", c.secret);
    str("log_level", c.log_level);
    integer("threads", c.threads);
    integer("workers", c.workers);
    integer("max_body_bytes", c.max_body_bytes);
    integer("max_upload_bytes", c.max_upload_bytes);
    integer("max_connections", c.max_connections);
    integer("max_connections_per_ip", c.max_connections_per_ip);
    integer("max_websockets_per_user", c.max_websockets_per_user);
    str("qbittorrent.url", c.qbt_url);
    str("qbittorrent.username", c.qbt_username);
    str("qbittorrent.password", c.qbt_password);
    std::optional<bool> managed;
    if (t.at_path("qbittorrent.managed")) {
        bool m = false;
        boolean("qbittorrent.managed", m);
        managed = m;
    }
    if (managed) c.qbt_managed = managed;
    str("qbittorrent.managed_network", c.qbt_managed_network);
    str("jackett.url", c.jackett_url);
    str("jackett.api_key", c.jackett_api_key);
    integer("jackett.timeout", c.jackett_timeout);
    str("downloads.base_url", c.download_base_url);
    str("downloads.root", c.download_root);
    str("downloads.secret", c.download_secret);
    boolean("downloads.direct", c.download_direct);
}

void from_env(Config& c, const Getenv& getenv) {
    auto str = [&](const char* name, std::string& out) {
        if (const char* v = getenv(name)) out = v;
    };
    str("ESSAIM_LISTEN", c.listen);
    str("ESSAIM_DATA_DIR", c.data_dir);
    str("ESSAIM_BASE_URL", c.base_url);
    str("ESSAIM_WEB_DIR", c.web_dir);
    str("ESSAIM_DATABASE_URL", c.database_url);
    str("ESSAIM_SECRET", c.secret);
    str("ESSAIM_LOG_LEVEL", c.log_level);
    if (const char* v = getenv("ESSAIM_THREADS"))
        c.threads = static_cast<int>(parse_int("ESSAIM_THREADS", v));
    if (const char* v = getenv("ESSAIM_MAX_BODY_BYTES"))
        c.max_body_bytes = static_cast<std::size_t>(parse_int("ESSAIM_MAX_BODY_BYTES", v));
    auto count = [&](const char* name, int& out) {
        if (const char* v = getenv(name)) {
            long n = parse_int(name, v);
            if (n < 1 || n > 10'000'000)
                throw std::runtime_error(std::string(name) +
                                         " doit être compris entre 1 et 10000000");
            out = static_cast<int>(n);
        }
    };
    count("ESSAIM_MAX_CONNECTIONS", c.max_connections);
    count("ESSAIM_MAX_CONNECTIONS_PER_IP", c.max_connections_per_ip);
    count("ESSAIM_MAX_WEBSOCKETS_PER_USER", c.max_websockets_per_user);
    str("ESSAIM_QBT_URL", c.qbt_url);
    str("ESSAIM_QBT_USERNAME", c.qbt_username);
    str("ESSAIM_QBT_PASSWORD", c.qbt_password);
    if (const char* v = getenv("ESSAIM_QBT_MANAGED"))
        c.qbt_managed = parse_bool("ESSAIM_QBT_MANAGED", v);
    str("ESSAIM_QBT_MANAGED_NETWORK", c.qbt_managed_network);
    str("ESSAIM_JACKETT_URL", c.jackett_url);
    str("ESSAIM_JACKETT_API_KEY", c.jackett_api_key);
    if (const char* v = getenv("ESSAIM_JACKETT_TIMEOUT"))
        c.jackett_timeout = static_cast<int>(parse_int("ESSAIM_JACKETT_TIMEOUT", v));
    str("ESSAIM_DOWNLOAD_BASE_URL", c.download_base_url);
    str("ESSAIM_DOWNLOAD_ROOT", c.download_root);
    str("ESSAIM_DOWNLOAD_SECRET", c.download_secret);
    if (const char* v = getenv("ESSAIM_DOWNLOAD_DIRECT"))
        c.download_direct = parse_bool("ESSAIM_DOWNLOAD_DIRECT", v);
}

}  // namespace

std::string Config::sqlite_path() const {
    if (database_url.empty()) return data_dir + "/essaim.db";
    if (database_url.rfind("sqlite://", 0) == 0) return database_url.substr(9);
    // app::open_store sends postgresql:// and postgres:// URLs to the PostgreSQL store.
    if (database_url.rfind("postgres", 0) == 0)
        throw std::runtime_error("ESSAIM_DATABASE_URL désigne PostgreSQL, pas un fichier SQLite");
    return database_url;
}

std::optional<std::string> existing_secret(const Config& cfg) {
    if (!cfg.secret.empty()) return cfg.secret;
    std::ifstream in(cfg.data_dir + "/secret.key", std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), {});
}

Config load(const std::optional<std::string>& file, const Getenv& getenv) {
    Config c;
    if (file) {
        try {
            auto t = toml::parse_file(*file);
            from_toml(c, t);
        } catch (const toml::parse_error& e) {
            throw std::runtime_error("fichier de configuration " + *file +
                                     " illisible : " + std::string(e.description()));
        }
    }
    from_env(c, getenv);
    if (c.qbt_managed_network != "internet" && c.qbt_managed_network != "loopback")
        throw std::runtime_error(
            "qbittorrent.managed_network doit valoir « internet » ou « loopback »");
    if (c.threads < 0 || c.workers < 1) throw std::runtime_error("threads/workers invalides");
    if (c.max_connections < 1 || c.max_connections_per_ip < 1 || c.max_websockets_per_user < 1)
        throw std::runtime_error(
            "max_connections, max_connections_per_ip et max_websockets_per_user doivent être "
            "au moins 1");
    split_host_port(c.listen);
    return c;
}

std::pair<std::string, std::uint16_t> split_host_port(const std::string& listen) {
    std::string host, port;
    if (!listen.empty() && listen.front() == '[') {
        auto close = listen.find(']');
        if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':')
            throw std::runtime_error("adresse d'écoute invalide : « " + listen + " »");
        host = listen.substr(1, close - 1);
        port = listen.substr(close + 2);
    } else {
        auto colon = listen.rfind(':');
        if (colon == std::string::npos)
            throw std::runtime_error("adresse d'écoute invalide (hôte:port attendu) : « " + listen +
                                     " »");
        host = listen.substr(0, colon);
        port = listen.substr(colon + 1);
    }
    long p = -1;
    try {
        std::size_t used = 0;
        p = std::stol(port, &used);
        if (used != port.size()) p = -1;
    } catch (const std::exception&) {
    }
    if (host.empty() || p < 0 || p > 65535)
        throw std::runtime_error("adresse d'écoute invalide : « " + listen + " »");
    return {host, static_cast<std::uint16_t>(p)};
}

std::pair<std::string, std::uint16_t> local_endpoint(const Config& cfg) {
    auto [host, port] = split_host_port(cfg.listen);
    if (host == "0.0.0.0") host = "127.0.0.1";
    if (host == "::") host = "::1";
    return {host, port};
}

std::string local_url(const Config& cfg) {
    auto [host, port] = local_endpoint(cfg);
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return "http://" + host + ":" + std::to_string(port);
}

}  // namespace essaim::config
