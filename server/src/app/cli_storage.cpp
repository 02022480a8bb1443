#include "app/cli_storage.hpp"

#include "download/settings.hpp"
#include "qbt/client.hpp"
#include "qbt/mover.hpp"
#include "qbt/registry.hpp"

#include <boost/asio.hpp>

#include <iostream>

namespace essaim::app {
namespace asio = boost::asio;

namespace {

// The CLI's own view of qBittorrent: maindata applied to a registry, as the sync loop does.
struct Watch {
    qbt::Client& client;
    qbt::Registry& registry;
    std::int64_t rid = 0;

    asio::awaitable<void> poll() {
        auto md = co_await client.maindata(rid);
        if (!md.is_object()) throw std::runtime_error("réponse inattendue de qBittorrent");
        registry.apply(md.as_object());
        if (auto* r = md.as_object().if_contains("rid"); r && r->is_int64()) rid = r->as_int64();
    }
};

const char* status_fr(const std::string& s) {
    if (s == "done") return "déplacé";
    if (s == "failed") return "échec";
    if (s == "moving") return "en cours…";
    return "en attente";
}

asio::awaitable<int> move_all(store::Store& store, qbt::Client& client) {
    qbt::Registry registry(store);
    auto root = download::load_settings(store).storage_root;
    registry.set_storage_root(root);
    registry.load();
    Watch watch{client, registry};
    co_await watch.poll();
    if (root.empty()) {
        root = co_await client.default_save_path();
        while (root.size() > 1 && root.back() == '/') root.pop_back();
        registry.set_storage_root(root);
    }
    auto items = qbt::StorageMover::plan(*registry.snapshot(), root, {});
    std::cout << "Dossier racine : " << (root.empty() ? "(inconnu)" : root) << "\n";
    if (items.empty()) {
        std::cout << "Aucun torrent à déplacer : tous sont dans le dossier de leur propriétaire.\n";
        co_return 0;
    }
    std::cout << items.size() << " torrent(s) à déplacer dans le dossier de leur propriétaire.\n";
    qbt::StorageMover mover(registry, client);
    auto ex = co_await asio::this_coro::executor;
    std::size_t n = 0;
    co_await mover.run(
        items,
        [&watch, ex]() -> asio::awaitable<void> {
            asio::steady_timer t(ex, std::chrono::milliseconds(500));
            co_await t.async_wait(asio::use_awaitable);
            co_await watch.poll();
        },
        [&n, total = items.size()](const qbt::MoveItem& i) {
            if (i.status == "moving") ++n;
            std::cout << "[" << n << "/" << total << "] " << i.name << " → " << i.to << " : "
                      << status_fr(i.status)
                      << (i.message.empty() ? std::string() : " (" + i.message + ")") << "\n";
        });
    std::size_t done = 0, failed = 0;
    for (const auto& i : items) (i.status == "done" ? done : failed) += 1;
    std::cout << "Bilan : " << done << " déplacé(s), " << failed << " échec(s).\n";
    co_return failed ? 1 : 0;
}

}  // namespace

int cmd_storage(store::Store& store, const std::vector<std::string>& args) {
    if (args.size() != 1 || args[0] != "move-to-user-folders") {
        std::cerr << "Utilisation : essaim storage move-to-user-folders\n";
        return 2;
    }
    auto conn = qbt::connection_of(store);
    if (conn.url.empty()) {
        std::cerr << "essaim : aucun serveur qBittorrent n'est configuré.\n";
        return 1;
    }
    asio::io_context ioc;
    qbt::Counters counters;
    qbt::Client client(ioc.get_executor(), counters);
    client.set_connection(conn);
    int rc = 1;
    asio::co_spawn(ioc, move_all(store, client), [&](std::exception_ptr e, int result) {
        if (!e) {
            rc = result;
            return;
        }
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            std::cerr << "essaim : " << ex.what() << "\n";
        }
    });
    ioc.run();
    return rc;
}

}  // namespace essaim::app
