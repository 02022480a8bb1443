#include "notify/dispatcher.hpp"

#include "http/client.hpp"
#include "notify/messages.hpp"
#include "store/settings_view.hpp"
#include "util/clock.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>
#include <boost/asio.hpp>

#include <chrono>
#include <cstring>
#include <ctime>
#include <memory>
#include <stdexcept>

namespace essaim::notify {

namespace {

struct Upload {
    const std::string* data;
    std::size_t pos = 0;
};

std::size_t read_cb(char* buf, std::size_t size, std::size_t n, void* user) {
    auto* u = static_cast<Upload*>(user);
    std::size_t left = u->data->size() - u->pos;
    std::size_t len = std::min(left, size * n);
    std::memcpy(buf, u->data->data() + u->pos, len);
    u->pos += len;
    return len;
}

std::string address_of(const std::string& from) {
    auto lt = from.find('<'), gt = from.find('>');
    if (lt != std::string::npos && gt != std::string::npos && gt > lt)
        return from.substr(lt, gt - lt + 1);
    return "<" + from + ">";
}

}  // namespace

SmtpSettings SmtpSettings::load(store::Store& s) {
    SmtpSettings m;
    m.host = store::text(s, settings::smtp_host);
    m.username = store::text(s, settings::smtp_username);
    m.password = store::text(s, settings::smtp_password);
    m.from = store::text(s, settings::smtp_from);
    m.port = static_cast<int>(store::number(s, settings::smtp_port));
    m.starttls = store::flag(s, settings::smtp_starttls);
    m.verify_tls = store::flag(s, settings::smtp_verify_tls);
    return m;
}

namespace {

using Curl = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

// One SMTP session as the settings describe it: server, STARTTLS, certificate check, login.
Curl smtp_session(const SmtpSettings& smtp, const std::string& url, char* err) {
    Curl curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) throw std::runtime_error("libcurl indisponible");
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (smtp.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!smtp.verify_tls) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!smtp.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, smtp.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, smtp.password.c_str());
    }
    return curl;
}

std::string smtp_url(const SmtpSettings& smtp) {
    return "smtp://" + smtp.host + ":" + std::to_string(smtp.port);
}

}  // namespace

void send_email(const SmtpSettings& smtp, const std::string& to, const std::string& message) {
    if (!smtp.configured())
        throw std::runtime_error("serveur d'e-mail (SMTP) non configuré par l'administrateur");
    std::string url = smtp_url(smtp);
    std::string from = address_of(smtp.from), rcpt = "<" + to + ">";
    curl_slist* rcpts = curl_slist_append(nullptr, rcpt.c_str());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> guard(rcpts, &curl_slist_free_all);
    Upload up{&message};
    char err[CURL_ERROR_SIZE] = {};
    auto curl = smtp_session(smtp, url, err);
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    auto rc = curl_easy_perform(c);
    if (rc != CURLE_OK)
        throw std::runtime_error("envoi de l'e-mail impossible : " +
                                 std::string(err[0] ? err : curl_easy_strerror(rc)));
}

void check_smtp(const SmtpSettings& smtp) {
    if (!smtp.configured())
        throw std::runtime_error("serveur d'e-mail (SMTP) non configuré par l'administrateur");
    std::string url = smtp_url(smtp);
    char err[CURL_ERROR_SIZE] = {};
    auto curl = smtp_session(smtp, url, err);
    // Without a recipient libcurl sends this command after EHLO, STARTTLS and the login.
    curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, "NOOP");
    curl_easy_setopt(curl.get(), CURLOPT_NOBODY, 1L);
    auto rc = curl_easy_perform(curl.get());
    if (rc != CURLE_OK)
        throw std::runtime_error("serveur d'e-mail injoignable ou identifiants refusés : " +
                                 std::string(err[0] ? err : curl_easy_strerror(rc)));
}

void Dispatcher::start() {
    thread_ = std::thread([this] { loop(); });
}

void Dispatcher::poke() {
    std::lock_guard lock(mu_);
    poked_ = true;
    cv_.notify_one();
}

void Dispatcher::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        cv_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
}

void Dispatcher::loop() {
    for (;;) {
        {
            std::unique_lock lock(mu_);
            cv_.wait_for(lock, std::chrono::seconds(retry_base_ > 0 ? 2 : 1),
                         [this] { return stopping_ || poked_; });
            if (stopping_) return;
            poked_ = false;
        }
        if (active_ && !active_()) continue;
        std::vector<store::Delivery> due;
        try {
            due = store_.due_deliveries(util::unix_now(), 20);
        } catch (const std::exception& e) {
            spdlog::warn("notifications : lecture de la file impossible : {}", e.what());
            continue;
        }
        for (const auto& d : due) {
            {
                std::lock_guard lock(mu_);
                if (stopping_) return;
            }
            auto attempts = d.attempts + 1;
            try {
                send(d);
                store_.update_delivery(d.id, "sent", attempts, d.next_at, "", util::unix_now());
            } catch (const std::exception& e) {
                bool last = attempts >= kMaxAttempts;
                store_.update_delivery(
                    d.id, last ? "failed" : "pending", attempts,
                    util::unix_now() + retry_base_ * backoff_seconds(attempts) / 10, e.what(),
                    util::unix_now());
                spdlog::info("notification {} ({}) : échec {}/{} : {}", d.notification_id,
                             d.channel, attempts, kMaxAttempts, e.what());
            }
        }
    }
}

void Dispatcher::send(const store::Delivery& d) {
    if (d.channel == "email") {
        auto smtp = SmtpSettings::load(store_);
        send_email(smtp, d.target,
                   email_message(smtp.from, d.target, d.notification, base_url_, util::unix_now()));
        return;
    }
    http::ClientRequest req;
    req.method = "POST";
    req.url = d.target;
    req.headers = {{"Content-Type", "application/json"}, {"User-Agent", "essaim"}};
    req.body = webhook_body(d.notification, base_url_);
    req.timeout = std::chrono::seconds(10);
    req.max_response_bytes = 64 * 1024;
    // The user chose this address: the client resolves it once, refuses it unless every
    // address is public, and connects to exactly what it checked (no DNS rebinding window).
    req.allow_private = store::flag(store_, settings::allow_private_targets);
    // Its own I/O context: a slow receiver never holds the server's threads, and stopping
    // essaim never waits on an I/O context that is already stopped.
    boost::asio::io_context io;
    auto fut = boost::asio::co_spawn(io, http::fetch(req), boost::asio::use_future);
    io.run();
    auto res = fut.get();
    // The reason is stored for the user (last_error): never the host's addresses or ports, nor
    // whether a port was closed or silent. The details go to the log.
    if (res.status == 0) {
        spdlog::info("webhook de la notification {} : {}", d.notification_id, res.error);
        using F = http::ClientResponse::Failure;
        if (res.failure == F::refused_address)
            throw std::runtime_error(
                "adresse refusée : essaim ne contacte pas les adresses locales ou privées (un "
                "administrateur peut les autoriser dans les réglages)");
        if (res.failure == F::bad_url)
            throw std::runtime_error("adresse de webhook invalide (http:// ou https:// attendu)");
        throw std::runtime_error("webhook inaccessible");
    }
    if (res.status < 200 || res.status >= 300)
        throw std::runtime_error("le webhook a répondu " + std::to_string(res.status));
}

}  // namespace essaim::notify
