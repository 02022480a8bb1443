#include "qbt/managed.hpp"

#include "store/settings_cipher.hpp"
#include "util/crypto.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace essaim::qbt {
namespace fs = std::filesystem;
namespace {

std::uint16_t free_loopback_port() {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) throw std::runtime_error("socket() a échoué");
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(s);
        throw std::runtime_error("aucun port libre sur 127.0.0.1");
    }
    ::close(s);
    return ntohs(a.sin_port);
}

bool port_accepts(std::uint16_t port) {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return false;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(s);
    return ok;
}

bool alive(pid_t pid) {
    return pid > 0 && ::kill(pid, 0) == 0;
}

bool is_our_qbittorrent(pid_t pid, const std::string& profile) {
    std::ifstream cmd("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
    std::string line((std::istreambuf_iterator<char>(cmd)), {});
    return line.find("qbittorrent-nox") != std::string::npos &&
           line.find("--profile=" + profile) != std::string::npos;
}

bool find_in_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    if (!path) return false;
    std::string p(path);
    std::size_t start = 0;
    while (start <= p.size()) {
        auto end = p.find(':', start);
        auto dir = p.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!dir.empty() && ::access((dir + "/" + name).c_str(), X_OK) == 0) return true;
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return false;
}

struct State {
    std::string username, password;
    std::uint16_t webui_port = 0, bt_port = 0;
    bool created = false;          // new credentials: qBittorrent.conf must be written again
    bool stored_in_clear = false;  // read from an older version's file: to be sealed
};

// The password is stored sealed with essaim's secret key (like the secrets in the database):
// the state file alone does not give qBittorrent away. A password in clear (an older version)
// is read once and sealed on the next save; one that no longer opens (secret key replaced)
// means new credentials.
State load_or_create_state(const fs::path& file, const store::SettingsCipher& cipher) {
    State st;
    if (fs::exists(file)) {
        std::ifstream in(file);
        std::string text((std::istreambuf_iterator<char>(in)), {});
        boost::system::error_code ec;
        auto v = boost::json::parse(text, ec);
        if (!ec && v.is_object()) {
            auto& o = v.as_object();
            auto s = [&](const char* k) {
                auto* x = o.if_contains(k);
                return x && x->is_string() ? std::string(x->as_string()) : std::string();
            };
            auto n = [&](const char* k) {
                auto* x = o.if_contains(k);
                return x && x->is_int64() ? static_cast<std::uint16_t>(x->as_int64())
                                          : std::uint16_t{0};
            };
            auto stored = s("password");
            auto password = store::SettingsCipher::is_sealed(stored)
                                ? cipher.open(stored).value_or("")
                                : stored;
            st = {s("username"), password, n("webui_port"),
                  n("bt_port"),  false,    !store::SettingsCipher::is_sealed(stored)};
            if (!st.username.empty() && !st.password.empty() && st.webui_port && st.bt_port)
                return st;
        }
    }
    st = State{};
    st.created = true;
    st.username = "essaim";
    st.password = crypto::random_token(18);
    st.webui_port = free_loopback_port();
    st.bt_port = free_loopback_port();
    return st;
}

void save_state(const fs::path& file, const State& st, const store::SettingsCipher& cipher) {
    boost::json::object o{{"username", st.username},
                          {"password", cipher.seal(st.password)},
                          {"webui_port", st.webui_port},
                          {"bt_port", st.bt_port}};
    auto tmp = file;
    tmp += ".tmp";
    {
        // Created 0600 (not chmod'ed after being written).
        int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) throw std::runtime_error("impossible d'écrire " + tmp.string());
        ::close(fd);
        std::ofstream out(tmp, std::ios::trunc);
        out << boost::json::serialize(o) << "\n";
    }
    fs::rename(tmp, file);
}

void write_conf(const fs::path& profile, const State& st, const fs::path& save_path,
                const std::string& network) {
    auto conf_dir = profile / "qBittorrent" / "config";
    fs::create_directories(conf_dir);
    auto hash = qbittorrent_password_hash(st.password, crypto::random_bytes(16));
    std::ofstream c(conf_dir / "qBittorrent.conf", std::ios::trunc);
    c << "[LegalNotice]\nAccepted=true\n\n[BitTorrent]\n";
    c << "Session\\Port=" << st.bt_port << "\n";
    c << "Session\\DefaultSavePath=" << save_path.string() << "\n";
    c << "Session\\TempPathEnabled=false\n";
    c << "Session\\QueueingSystemEnabled=false\n";
    if (network == "loopback") {
        // Offline test profile: peers on 127.0.0.1 only, and several peers share that address.
        c << "Session\\Interface=lo\nSession\\InterfaceName=lo\nSession\\InterfaceAddress=127.0.0."
             "1\n";
        c << "Session\\MultiConnectionsPerIp=true\nSession\\DHTEnabled=false\n";
        c << "Session\\LSDEnabled=false\nSession\\PeXEnabled=false\n";
    }
    c << "\n[Network]\nPortForwardingEnabled=false\n\n[Preferences]\n";
    c << "General\\Locale=en\nConnection\\UPnP=false\nWebUI\\Enabled=true\n";
    c << "WebUI\\Address=127.0.0.1\nWebUI\\Port=" << st.webui_port << "\n";
    c << "WebUI\\UseUPnP=false\nWebUI\\LocalHostAuth=true\n";
    c << "WebUI\\Username=" << st.username << "\n";
    c << "WebUI\\Password_PBKDF2=\"" << hash << "\"\n";
    if (!c) throw std::runtime_error("impossible d'écrire la configuration de qBittorrent");
}

}  // namespace

std::string qbittorrent_password_hash(const std::string& password, const std::string& salt) {
    auto dk = crypto::pbkdf2_sha512(password, salt, 100000, 64);
    return "@ByteArray(" + crypto::base64_encode(salt) + ":" + crypto::base64_encode(dk) + ")";
}

ManagedQbittorrent::ManagedQbittorrent(std::string data_dir, std::string network,
                                       std::shared_ptr<const store::SettingsCipher> cipher)
    : dir_(fs::absolute(fs::path(data_dir) / "qbittorrent").lexically_normal().string()),
      network_(std::move(network)),
      cipher_(std::move(cipher)) {}

ManagedQbittorrent::~ManagedQbittorrent() {
    stop();
}

ManagedInfo ManagedQbittorrent::start(int timeout_seconds) {
    fs::create_directories(dir_);
    ::chmod(dir_.c_str(), 0700);
    auto profile = fs::path(dir_) / "profile";
    auto save_path = fs::path(dir_) / "downloads";
    fs::create_directories(save_path);
    auto state_file = fs::path(dir_) / "essaim-credentials.json";
    auto pid_file = fs::path(dir_) / "qbittorrent.pid";
    auto st = load_or_create_state(state_file, *cipher_);
    bool fresh_conf = !fs::exists(profile / "qBittorrent" / "config" / "qBittorrent.conf") ||
                      !fs::exists(state_file) || st.created;
    if (st.stored_in_clear && !fresh_conf) save_state(state_file, st, *cipher_);

    // Adopt an instance left running by a previous essaim (e.g. after kill -9).
    if (fs::exists(pid_file) && !fresh_conf) {
        std::ifstream in(pid_file);
        pid_t old = -1;
        in >> old;
        if (alive(old) && is_our_qbittorrent(old, profile.string()) &&
            port_accepts(st.webui_port)) {
            pid_ = old;
            own_child_ = false;
            spdlog::info("qBittorrent local déjà lancé (pid {}), réutilisé", pid_);
            return {"http://127.0.0.1:" + std::to_string(st.webui_port), st.username, st.password,
                    save_path.string()};
        }
    }
    if (!find_in_path("qbittorrent-nox"))
        throw std::runtime_error(
            "qbittorrent-nox est introuvable : installez-le (apt-get install qbittorrent-nox) ou "
            "configurez un serveur qBittorrent (ESSAIM_QBT_URL)");
    if (port_accepts(st.webui_port)) {  // someone else took our port since last time
        st.webui_port = free_loopback_port();
        fresh_conf = true;
    }
    if (fresh_conf) {
        save_state(state_file, st, *cipher_);
        write_conf(profile, st, save_path, network_);
    }

    auto log = (fs::path(dir_) / "qbittorrent.log").string();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // Own process group: a Ctrl-C in the terminal reaches essaim, which then stops qBittorrent
    // cleanly, instead of killing both at once.
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    std::string a0 = "qbittorrent-nox", a1 = "--profile=" + profile.string(),
                a2 = "--webui-port=" + std::to_string(st.webui_port);
    char* argv[] = {a0.data(), a1.data(), a2.data(), nullptr};
    pid_t pid = -1;
    int rc = posix_spawnp(&pid, "qbittorrent-nox", &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0)
        throw std::runtime_error("impossible de lancer qbittorrent-nox : " +
                                 std::string(strerror(rc)));
    pid_ = pid;
    own_child_ = true;
    {
        std::ofstream out(pid_file, std::ios::trunc);
        out << pid_ << "\n";
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
    while (!port_accepts(st.webui_port)) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("qbittorrent-nox s'est arrêté au démarrage (voir " + log +
                                     ")");
        }
        if (std::chrono::steady_clock::now() > deadline) {
            stop();
            throw std::runtime_error("qbittorrent-nox ne répond pas (voir " + log + ")");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    spdlog::info("qBittorrent local lancé (pid {}, WebUI 127.0.0.1:{})", pid_, st.webui_port);
    return {"http://127.0.0.1:" + std::to_string(st.webui_port), st.username, st.password,
            save_path.string()};
}

void ManagedQbittorrent::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
        if (own_child_) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) break;
        } else if (!alive(pid_)) {
            break;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            if (own_child_) ::waitpid(pid_, nullptr, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::error_code ec;
    fs::remove(fs::path(dir_) / "qbittorrent.pid", ec);
    spdlog::info("qBittorrent local arrêté");
    pid_ = -1;
}

}  // namespace essaim::qbt
