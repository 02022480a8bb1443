// Sends the queued e-mails and webhooks (the `deliveries` outbox) on a thread of its own:
// SMTP through libcurl (STARTTLS when configured), webhooks as a JSON POST through essaim's
// HTTP client — to public addresses only unless store::allow_private_targets, checked on the
// very address connected to (http/client.hpp). A failure is retried with backoff
// (notify/messages.hpp), then marked failed with its French reason, which the user sees on
// their account page: generic ("adresse refusée", "webhook inaccessible", "a répondu 500"),
// never a resolved address or port (those go to the log).
#pragma once

#include "store/store.hpp"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace essaim::notify {

struct SmtpSettings {
    std::string host, username, password, from;
    int port = 587;
    bool starttls = true;
    bool verify_tls = true;
    static SmtpSettings load(store::Store& s);
    bool configured() const { return !host.empty() && !from.empty(); }
};

// Sends one message. Throws std::runtime_error with a French reason.
void send_email(const SmtpSettings& smtp, const std::string& to, const std::string& message);
// Connects, says EHLO, STARTTLS and logs in as send_email would, then NOOP: sends nothing
// (`essaim doctor`). Throws std::runtime_error with a French reason.
void check_smtp(const SmtpSettings& smtp);

class Dispatcher {
  public:
    // `retry_base`: seconds before the first retry (then ×3 each time); 0 retries at once
    // (tests: ESSAIM_NOTIFY_RETRY_SECONDS).
    Dispatcher(store::Store& store, std::string base_url, std::int64_t retry_base = 10)
        : store_(store), base_url_(std::move(base_url)), retry_base_(retry_base) {}
    ~Dispatcher() { stop(); }
    void start();
    void poke();
    void stop();
    // Several instances (app/cluster.hpp): only one reads the outbox, so that an e-mail is
    // not sent by two instances at once. Unset: always active. Set before start().
    void set_active(std::function<bool()> f) { active_ = std::move(f); }

  private:
    void loop();
    void send(const store::Delivery& d);  // throws std::runtime_error (French)

    store::Store& store_;
    std::string base_url_;
    std::int64_t retry_base_;
    std::function<bool()> active_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false, poked_ = false;
    std::thread thread_;
};

}  // namespace essaim::notify
