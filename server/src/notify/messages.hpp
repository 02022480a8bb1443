// What e-mails and webhooks carry. Pure functions (tested without a network).
//
// Webhook body (documented in docs/api-notifications.md): Gotify's message format, which ntfy's
// and most generic JSON receivers accept too —
//   {"title":"essaim","message":"« x » est entièrement téléchargé.","priority":5,
//    "extras":{"essaim":{"event":"completed","torrent":{"hash","name"},"url":…,"at":unix}}}
#pragma once

#include "store/store.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace essaim::notify {

std::string webhook_body(const store::Notification& n, std::string_view base_url);
// A complete RFC 5322 message (UTF-8, quoted-printable-free: base64 body, encoded subject).
std::string email_message(std::string_view from, std::string_view to, const store::Notification& n,
                          std::string_view base_url, std::int64_t now);
std::string email_subject(const store::Notification& n);
// Seconds before attempt `attempts + 1` (after `attempts` failures): 10 s, 30 s, 90 s, 270 s.
std::int64_t backoff_seconds(std::int64_t attempts);
inline constexpr std::int64_t kMaxAttempts = 5;

}  // namespace essaim::notify
