#include "notify/notifier.hpp"

#include "util/clock.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/json.hpp>

#include <ctime>

namespace essaim::notify {
namespace asio = boost::asio;

std::string completion_message(const std::string& name) {
    return "« " + name + " » est entièrement téléchargé.";
}

void Notifier::attach() {
    registry_.on_change([this](const qbt::Change& c) { on_change(c); });
}

// Runs under the registry's lock: only picks candidates; the database work is posted.
void Notifier::on_change(const qbt::Change& c) {
    if (active_ && !active_()) return;
    std::vector<Candidate> found;
    std::vector<store::Notification> errors;
    auto look = [&](const qbt::Entry& e) {
        if (!e.owner_id || !e.row_id || e.removed || !e.in_qbt) return;
        if (!e.completion_notified && e.progress >= 1.0 && e.completion_on > 0) {
            std::lock_guard lock(mu_);
            if (!done_.count(e.row_id))
                found.push_back({e.row_id, e.hash, e.name, e.completion_on});
        }
        std::lock_guard lock(mu_);
        if (e.state == "error") {
            if (errored_.insert(e.hash).second)
                errors.push_back({0, *e.owner_id, "error", e.hash, e.name,
                                  "« " + e.name +
                                      " » est en erreur dans qBittorrent (fichiers manquants ou "
                                      "disque plein ?).",
                                  0, std::nullopt});
        } else {
            errored_.erase(e.hash);
        }
    };
    // A full update lists every torrent as changed; a delta only the ones that moved.
    for (const auto& h : c.changed)
        if (const auto* e = c.snapshot->find(h); e && e->hash == h) look(*e);
    if (found.empty() && errors.empty()) return;
    asio::post(ex_, [this, found = std::move(found), errors = std::move(errors)] {
        complete(found);
        for (auto n : errors) notify(std::move(n));
    });
}

void Notifier::complete(const std::vector<Candidate>& found) {
    for (const auto& c : found) {
        {
            std::lock_guard lock(mu_);
            if (!done_.insert(c.row_id).second) continue;
        }
        try {
            auto name = c.name;
            auto n = store_.record_completion(c.row_id, c.completion_on, c.hash, name,
                                              completion_message(name));
            if (n) deliver(*n);
        } catch (const std::exception& e) {
            std::lock_guard lock(mu_);
            done_.erase(c.row_id);  // retried on the next change
            spdlog::warn("notification de fin de téléchargement non enregistrée : {}", e.what());
        }
    }
}

void Notifier::notify(store::Notification n) {
    try {
        deliver(store_.add_notification(n));
    } catch (const std::exception& e) {
        spdlog::warn("notification non enregistrée : {}", e.what());
    }
}

void Notifier::deliver(const store::Notification& n) {
    if (sink_) sink_(n);
    // E-mail and webhook, as the user chose on their account page.
    try {
        auto u = store_.user_by_id(n.user_id);
        if (!u || u->disabled) return;
        bool queued = false;
        auto now = util::unix_now();
        if (u->notify_email && u->email) {
            store_.enqueue_delivery(n.id, u->id, "email", *u->email, now);
            queued = true;
        }
        if (u->webhook_url && !u->webhook_url->empty()) {
            store_.enqueue_delivery(n.id, u->id, "webhook", *u->webhook_url, now);
            queued = true;
        }
        if (queued && on_queued_) on_queued_();
    } catch (const std::exception& e) {
        spdlog::warn("notification {} : envoi e-mail/webhook non programmé : {}", n.id, e.what());
    }
}

}  // namespace essaim::notify
