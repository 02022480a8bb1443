#include "auth/limits.hpp"

#include "auth/denied.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <cstdio>

namespace essaim::auth {
namespace json = boost::json;

namespace {

constexpr const char* kIntKeys[] = {"max_torrents",      "max_active",     "max_torrent_size",
                                    "quota_bytes",       "download_limit", "upload_limit",
                                    "seeding_time_limit"};

std::optional<std::int64_t>* int_field(Limits& l, std::string_view k) {
    if (k == "max_torrents") return &l.max_torrents;
    if (k == "max_active") return &l.max_active;
    if (k == "max_torrent_size") return &l.max_torrent_size;
    if (k == "quota_bytes") return &l.quota_bytes;
    if (k == "download_limit") return &l.download_limit;
    if (k == "upload_limit") return &l.upload_limit;
    if (k == "seeding_time_limit") return &l.seeding_time_limit;
    return nullptr;
}

const std::optional<std::int64_t>* int_field(const Limits& l, std::string_view k) {
    return int_field(const_cast<Limits&>(l), k);
}

}  // namespace

Limits parse_limits(std::string_view text) {
    Limits l;
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) return l;
    for (const auto& [k, val] : v.as_object()) {
        if (auto* f = int_field(l, k); f && val.is_int64() && val.as_int64() >= 0)
            *f = val.as_int64();
        if (k == "ratio_limit" && val.is_number()) l.ratio_limit = val.to_number<double>();
        if (k == "active_policy" && val.is_string())
            l.queue_when_busy = val.as_string() != "refuse";
    }
    return l;
}

json::object limits_json(const Limits& l) {
    json::object o;
    for (const char* k : kIntKeys) {
        const auto* f = int_field(l, k);
        o[k] = *f ? json::value(**f) : json::value(nullptr);
    }
    o["ratio_limit"] = l.ratio_limit ? json::value(*l.ratio_limit) : json::value(nullptr);
    o["active_policy"] = l.queue_when_busy ? "queue" : "refuse";
    return o;
}

Limits limits_from_request(const json::value& v) {
    if (!v.is_object())
        throw Denied(Denied::Kind::invalid, "invalid_limits", "Les limites doivent être un objet.",
                     "limits");
    Limits l;
    for (const auto& [key, val] : v.as_object()) {
        std::string field = "limits." + std::string(key);
        if (auto* f = int_field(l, key)) {
            if (val.is_null()) continue;
            if (!val.is_int64() || val.as_int64() < 0)
                throw Denied(Denied::Kind::invalid, "invalid_limits",
                             "Indiquez un nombre entier positif, ou rien pour illimité.", field);
            *f = val.as_int64();
        } else if (key == "ratio_limit") {
            if (val.is_null()) continue;
            if (!val.is_number() || val.to_number<double>() < 0 ||
                !std::isfinite(val.to_number<double>()))
                throw Denied(Denied::Kind::invalid, "invalid_limits",
                             "Le ratio doit être un nombre positif, ou rien pour illimité.", field);
            l.ratio_limit = val.to_number<double>();
        } else if (key == "active_policy") {
            if (!val.is_string() || (val.as_string() != "queue" && val.as_string() != "refuse"))
                throw Denied(Denied::Kind::invalid, "invalid_limits",
                             "Politique inconnue (« queue » ou « refuse »).", field);
            l.queue_when_busy = val.as_string() == "queue";
        } else {
            throw Denied(Denied::Kind::invalid, "invalid_limits", "Cette limite n'existe pas.",
                         field);
        }
    }
    return l;
}

std::string french_size(std::int64_t bytes) {
    static const char* units[] = {"o", "Ko", "Mo", "Go", "To", "Po"};
    double v = static_cast<double>(bytes);
    int i = 0;
    while (v >= 1024 && i < 5) {
        v /= 1024;
        ++i;
    }
    char buf[32];
    if (i == 0)
        std::snprintf(buf, sizeof buf, "%lld %s", static_cast<long long>(bytes), units[0]);
    else
        std::snprintf(buf, sizeof buf, "%.1f %s", v, units[i]);
    std::string s = buf;
    if (auto dot = s.find('.'); dot != std::string::npos) s[dot] = ',';
    return s;
}

std::optional<Refusal> check_add(const Limits& l, const Usage& u, std::optional<std::int64_t> size,
                                 AddVerdict& verdict) {
    verdict = AddVerdict::add;
    if (l.max_torrents && u.torrents >= *l.max_torrents)
        return Refusal{"limit_torrents",
                       "Vous avez atteint le nombre maximal de torrents de votre "
                       "groupe (" +
                           std::to_string(*l.max_torrents) +
                           ") : supprimez-en un pour en ajouter un autre."};
    if (size && l.max_torrent_size && *size > *l.max_torrent_size)
        return Refusal{"limit_size", "Ce torrent fait " + french_size(*size) +
                                         " : votre groupe limite un torrent à " +
                                         french_size(*l.max_torrent_size) + "."};
    if (size && l.quota_bytes && u.disk_used + *size > *l.quota_bytes)
        return Refusal{"limit_quota",
                       "Ce torrent (" + french_size(*size) +
                           ") dépasserait votre quota : " + french_size(u.disk_used) +
                           " utilisés sur " + french_size(*l.quota_bytes) + "."};
    if (l.max_active && u.active >= *l.max_active) {
        if (!l.queue_when_busy)
            return Refusal{"limit_active",
                           "Vous avez déjà " + std::to_string(u.active) +
                               " téléchargements en cours, le maximum de votre groupe : "
                               "attendez qu'un se termine."};
        verdict = AddVerdict::add_stopped;
    }
    return std::nullopt;
}

std::optional<Refusal> check_size_known(const Limits& l, const Usage& u, std::int64_t size) {
    if (l.max_torrent_size && size > *l.max_torrent_size)
        return Refusal{"limit_size", "Ce torrent fait " + french_size(size) +
                                         " : votre groupe limite un torrent à " +
                                         french_size(*l.max_torrent_size) + ". Il a été arrêté."};
    if (l.quota_bytes && u.disk_used > *l.quota_bytes)
        return Refusal{"limit_quota", "Ce torrent (" + french_size(size) +
                                          ") dépasse votre quota : " + french_size(u.disk_used) +
                                          " sur " + french_size(*l.quota_bytes) +
                                          ". Il a été arrêté."};
    return std::nullopt;
}

}  // namespace essaim::auth
