#include "app/cli_backup.hpp"

#include "backup/backup.hpp"

#include <boost/asio.hpp>
#include <boost/json.hpp>

#include <ctime>
#include <iostream>
#include <stdexcept>

namespace essaim::app {
namespace {

namespace json = boost::json;

std::string plural(std::int64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n > 1 ? many : one);
}

std::string summary(const backup::Counts& c) {
    return plural(c.users, "compte", "comptes") + ", " + plural(c.groups, "groupe", "groupes") +
           ", " + plural(c.torrents, "torrent", "torrents") + ", " +
           plural(c.settings, "réglage", "réglages") + ", " +
           plural(c.servers, "serveur qBittorrent", "serveurs qBittorrent");
}

std::string date_of(const json::object& manifest) {
    const auto* v = manifest.if_contains("created_at");
    if (!v || !v->is_int64()) return "date inconnue";
    std::time_t t = v->as_int64();
    std::tm tm{};
    ::localtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%d/%m/%Y à %H:%M", &tm);
    return buf;
}

// True when something accepts connections on the configured listen address.
bool listening(const config::Config& cfg) {
    try {
        auto [host, port] = config::local_endpoint(cfg);
        boost::asio::io_context ioc;
        boost::asio::ip::tcp::socket s(ioc);
        boost::system::error_code ec;
        s.connect({boost::asio::ip::make_address(host), port}, ec);
        return !ec;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

int cmd_backup(const config::Config& cfg, const std::vector<std::string>& args) {
    if (args.size() != 1)
        throw std::runtime_error("indiquez le fichier à écrire : essaim backup FICHIER.tar.gz");
    auto r = backup::make_backup(cfg, args[0]);
    std::cout << "Sauvegarde écrite : " << args[0] << " (" << r.bytes << " octets, droits 0600)\n"
              << "  " << summary(r.counts) << "\n"
              << "  base " << std::string(r.manifest.at("engine").as_string()) << ", schéma "
              << r.manifest.at("schema_version").as_int64() << ", essaim " << ESSAIM_VERSION
              << "\n";
    if (r.manifest.at("secret_key").as_string() == "archive")
        std::cout << "  La clé secrète est dans l'archive : gardez-la en lieu sûr.\n";
    else
        std::cout << "  La clé secrète vient de ESSAIM_SECRET et n'est pas dans l'archive : "
                     "conservez-la à part, la restauration en aura besoin.\n";
    return 0;
}

int cmd_restore(const config::Config& cfg, const std::vector<std::string>& args, bool force) {
    if (args.size() != 1)
        throw std::runtime_error("indiquez l'archive à restaurer : essaim restore FICHIER.tar.gz");
    if (listening(cfg))
        throw std::runtime_error("un serveur répond sur " + cfg.listen +
                                 " : arrêtez essaim avant de restaurer (systemctl stop essaim)");
    auto r = backup::restore_backup(cfg, args[0], force);
    std::cout << "Sauvegarde du " << date_of(r.manifest) << " restaurée dans " << cfg.data_dir
              << "\n  " << summary(r.counts) << "\n  schéma " << r.schema_from;
    if (r.schema_to != r.schema_from)
        std::cout << " → " << r.schema_to << " (migrations appliquées)";
    std::cout << "\n  " << plural(r.secrets_checked, "secret vérifié", "secrets vérifiés")
              << (r.key_restored ? " avec la clé secrète restaurée" : " avec la clé en vigueur")
              << "\n";
    for (const auto& k : r.kept_aside) std::cout << "  Ancien fichier gardé : " << k << "\n";
    return 0;
}

}  // namespace essaim::app
