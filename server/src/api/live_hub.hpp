// GET /api/ws: live torrent updates. Each browser gets, after connecting, the full list it may
// see, then only the changes it may see (filtered by the same policy as the REST list), pushed
// as the sync loop publishes them — no extra request to qBittorrent per browser.
// Slow consumers are disconnected (bounded queue); sessions are re-checked every 30 s so a
// logout or a disabled account closes the socket.
#pragma once

#include "api/context.hpp"
#include "http/server.hpp"
#include "qbt/registry.hpp"

#include <memory>
#include <mutex>
#include <unordered_set>

namespace essaim::api {

class LiveHub : public http::WebSocketEndpoint, public std::enable_shared_from_this<LiveHub> {
  public:
    explicit LiveHub(const Context& ctx);
    void attach();  // subscribes to the registry
    std::optional<http::Response> authorize(const http::Request& req,
                                            std::shared_ptr<void>& state) override;
    boost::asio::awaitable<void> run(http::WebSocket ws, std::shared_ptr<void> state) override;
    std::size_t clients() const;

    struct Client;

  private:
    void on_change(const qbt::Change& c);
    const Context& ctx_;
    mutable std::mutex mu_;
    std::unordered_set<std::shared_ptr<Client>> clients_;
    std::shared_ptr<const qbt::Snapshot> last_;
};

}  // namespace essaim::api
