#include "qbt/servers.hpp"

#include "settings/table.hpp"
#include "store/settings_view.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include <algorithm>

namespace essaim::qbt {
namespace asio = boost::asio;
using namespace std::chrono_literals;

std::vector<store::Server> read_servers(store::Store& store) {
    auto list = store.servers();
    for (auto& s : list) {
        if (s.id != 1) continue;
        auto c = connection_of(store);
        s.url = c.url;
        s.username = c.username;
        s.password = c.password;
        auto d = download::load_settings(store);
        s.download_root = d.root;
        s.download_base_url = d.direct ? "" : d.base_url;
    }
    return list;
}

Connection connection_of(const store::Server& s) {
    auto url = s.url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return {url, s.username, s.password};
}

namespace {
// The loop's coroutine holds its loop: a stopped loop lives until its coroutine ends.
asio::awaitable<void> run_loop(std::shared_ptr<SyncLoop> loop) {
    co_await loop->run();
}
}  // namespace

Servers::Servers(asio::any_io_executor ex, store::Store& store, Registry& registry,
                 Counters& counters)
    : ex_(ex), store_(store), registry_(registry), counters_(counters), watch_timer_(ex) {}

Servers::~Servers() = default;

void Servers::start() {
    reload();
    watch();
}

void Servers::stop() {
    stopping_ = true;
    asio::post(ex_, [this] { watch_timer_.cancel(); });
    std::lock_guard lock(mu_);
    for (auto& [id, slot] : slots_)
        if (slot.loop) slot.loop->stop();
}

void Servers::watch() {
    watch_timer_.expires_after(5s);
    watch_timer_.async_wait([this](boost::system::error_code ec) {
        if (ec || stopping_) return;
        try {
            reload();
        } catch (const std::exception& e) {
            spdlog::warn("serveurs qBittorrent : liste non relue : {}", e.what());
        }
        watch();
    });
}

void Servers::reload() {
    apply_list(read_servers(store_));
}

void Servers::apply_list(std::vector<store::Server> list) {
    std::vector<std::int64_t> ids, to_start;
    std::vector<Registry::ServerInfo> infos;
    std::vector<std::pair<std::int64_t, std::string>> roots;
    {
        std::lock_guard lock(mu_);
        for (const auto& s : list) {
            ids.push_back(s.id);
            auto& slot = slots_[s.id];
            if (!slot.client) slot.client = std::make_unique<Client>(ex_, counters_);
            bool disabled = s.state == "disabled";
            infos.push_back({s.id, s.name, disabled});
            if (disabled) {
                if (slot.loop) {
                    slot.loop->stop();
                    slot.loop.reset();
                }
            } else if (!slot.loop && !stopping_) {
                to_start.push_back(s.id);
            }
            auto root = s.download_root.empty() ? slot.default_root : s.download_root;
            if (s.id == 1) root = download::load_settings(store_).storage_root;
            roots.emplace_back(s.id, root);
        }
        // Removed servers: their loops stop; the clients stay (a coroutine may hold one).
        for (auto& [id, slot] : slots_)
            if (std::find(ids.begin(), ids.end(), id) == ids.end() && slot.loop) {
                slot.loop->stop();
                slot.loop.reset();
            }
        list_ = std::move(list);
    }
    // The registry knows the servers (names, disabled ones) before their loops first answer.
    registry_.set_servers(infos);
    for (auto& [id, root] : roots) registry_.set_storage_root(id, root);
    std::lock_guard lock(mu_);
    for (auto id : to_start)
        if (auto& slot = slots_[id]; !slot.loop && !stopping_) start_loop(id, slot);
}

void Servers::start_loop(std::int64_t id, Slot& slot) {
    auto connection = [this, id]() -> Connection {
        if (id == 1) return connection_of(store_);  // the settings, read each round as always
        std::lock_guard lock(mu_);
        for (const auto& s : list_)
            if (s.id == id) return connection_of(s);
        return {};
    };
    slot.loop = std::make_shared<SyncLoop>(ex_, id, connection, *slot.client, registry_);
    if (leading_) slot.loop->set_gate(leading_, remote_poke_);
    if (on_maindata_ || on_link_) slot.loop->set_publisher(on_maindata_, on_link_);
    asio::co_spawn(ex_, run_loop(slot.loop), asio::detached);
}

std::vector<store::Server> Servers::list() const {
    std::lock_guard lock(mu_);
    return list_;
}

std::optional<store::Server> Servers::find(std::int64_t id) const {
    std::lock_guard lock(mu_);
    for (const auto& s : list_)
        if (s.id == id) return s;
    return std::nullopt;
}

Client& Servers::client(std::int64_t id) {
    std::lock_guard lock(mu_);
    auto it = slots_.find(id);
    bool listed = false, disabled = false;
    for (const auto& s : list_)
        if (s.id == id) {
            listed = true;
            disabled = s.state == "disabled";
        }
    if (it == slots_.end() || !it->second.client || !listed)
        throw QbtError(FailKind::unconfigured, "Ce serveur qBittorrent n'existe plus.");
    if (disabled) throw QbtError(FailKind::disabled, user_message(FailKind::disabled));
    return *it->second.client;
}

Client& Servers::home_client() {
    std::lock_guard lock(mu_);
    auto& slot = slots_[1];
    if (!slot.client) slot.client = std::make_unique<Client>(ex_, counters_);
    return *slot.client;
}

download::Settings Servers::downloads(std::int64_t id) const {
    auto base = download::load_settings(store_);
    if (id == 1) return base;
    auto s = find(id);
    if (!s) return download::Settings{};
    return download::server_settings(base, id, s->download_root, s->download_base_url);
}

std::string Servers::direct_root(std::int64_t id) const {
    auto s = find(id);
    if (!s || id == 1 || !s->download_base_url.empty()) return {};
    auto root = s->download_root;
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    return root;
}

asio::awaitable<std::string> Servers::storage_root(std::int64_t id) {
    std::string root;
    if (id == 1) {
        root = download::load_settings(store_).storage_root;
    } else if (auto s = find(id)) {
        root = s->download_root;
        if (root.empty()) {
            std::lock_guard lock(mu_);
            root = slots_[id].default_root;
        }
    }
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    if (!root.empty()) co_return root;
    // No download root: users' folders go under qBittorrent's default save path, asked once
    // and remembered (the registry places torrents against it).
    root = co_await client(id).default_save_path();
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    if (root.empty() || root.front() != '/') co_return std::string();
    if (id == 1) {
        store::write(store_, settings::qbt_save_path, root);
    } else {
        std::lock_guard lock(mu_);
        slots_[id].default_root = root;
    }
    registry_.set_storage_root(id, root);
    co_return root;
}

std::vector<Candidate> Servers::candidates(const Snapshot& snap) const {
    std::map<std::int64_t, std::int64_t> held;
    for (const auto& e : snap.entries)
        if (!e.removed && e.row_id) ++held[e.server];
    std::vector<Candidate> out;
    for (const auto& s : list()) {
        Candidate c;
        c.id = s.id;
        c.active = s.state == "active";
        const auto* l = snap.server_link(s.id);
        c.configured = !s.url.empty();
        c.answering =
            c.configured && !(l && (l->link == LinkState::down || l->link == LinkState::disabled));
        c.free_space = l ? l->state.free_space_on_disk : -1;
        c.torrents = held[s.id];
        out.push_back(c);
    }
    return out;
}

void Servers::poke(std::int64_t id) {
    std::lock_guard lock(mu_);
    if (auto it = slots_.find(id); it != slots_.end() && it->second.loop) it->second.loop->poke();
}

void Servers::poke_all() {
    std::lock_guard lock(mu_);
    for (auto& [id, slot] : slots_)
        if (slot.loop) slot.loop->poke();
}

void Servers::set_gate(std::function<bool()> leading, std::function<void()> remote_poke) {
    std::lock_guard lock(mu_);
    leading_ = std::move(leading);
    remote_poke_ = std::move(remote_poke);
    for (auto& [id, slot] : slots_)
        if (slot.loop) slot.loop->set_gate(leading_, remote_poke_);
}

void Servers::set_publisher(SyncLoop::MaindataSink on_maindata, SyncLoop::LinkSink on_link) {
    std::lock_guard lock(mu_);
    on_maindata_ = std::move(on_maindata);
    on_link_ = std::move(on_link);
    for (auto& [id, slot] : slots_)
        if (slot.loop) slot.loop->set_publisher(on_maindata_, on_link_);
}

void Servers::request_full(std::int64_t id) {
    std::lock_guard lock(mu_);
    if (auto it = slots_.find(id); it != slots_.end() && it->second.loop)
        it->second.loop->request_full();
}

}  // namespace essaim::qbt
