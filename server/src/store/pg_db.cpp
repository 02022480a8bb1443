// PostgreSQL under the store: a pool of connections (pg.hpp) opened on demand, because
// PostgreSQL serves concurrent readers and writers itself. A lease lasts one store call (one
// transaction at most); a connection lost, or left inside a transaction, is closed when it comes
// back and the next lease opens a fresh one.
#include "store/db.hpp"
#include "store/pg.hpp"

#include <condition_variable>
#include <mutex>

namespace essaim::store::db {
namespace {

class PgDb final : public Database {
  public:
    PgDb(std::string url, std::size_t size)
        : Database(Engine::postgres), url_(std::move(url)), size_(size ? size : 1) {
        idle_.push_back(std::make_unique<pg::Connection>(url_));  // fails the start, not a call
    }

    Lease lease() override {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
        if (!idle_.empty()) {
            Lease c(idle_.back().release(), Release{this});
            idle_.pop_back();
            return c;
        }
        ++open_;
        lock.unlock();
        try {
            return Lease(new pg::Connection(url_), Release{this});
        } catch (...) {
            lock.lock();
            --open_;
            cv_.notify_one();
            throw;
        }
    }

    bool changed_elsewhere() override { return false; }

  protected:
    void release(Conn& conn) noexcept override {
        std::unique_ptr<pg::Connection> c(static_cast<pg::Connection*>(&conn));
        bool idle = c->idle();
        std::lock_guard lock(mu_);
        if (idle)
            idle_.push_back(std::move(c));
        else
            --open_;
        cv_.notify_one();
    }

  private:
    std::string url_;
    std::size_t size_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<pg::Connection>> idle_;
    std::size_t open_ = 1;
};

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& url, std::size_t pool_size) {
    return std::make_unique<PgDb>(url, pool_size);
}

}  // namespace essaim::store::db
