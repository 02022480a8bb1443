#include "download/settings.hpp"

#include "download/signer.hpp"
#include "http/message.hpp"
#include "store/settings_view.hpp"

namespace essaim::download {
namespace {

std::string with_origin(std::string_view path, std::string_view origin) {
    std::string o(origin);
    while (!o.empty() && o.back() == '/') o.pop_back();
    return o + std::string(path);
}

}  // namespace

std::string Settings::uri_prefix() const {
    std::string_view b = base_url;
    if (auto scheme = b.find("://"); scheme != std::string_view::npos) {
        auto slash = b.find('/', scheme + 3);
        b = slash == std::string_view::npos ? std::string_view("/") : b.substr(slash);
    }
    if (auto q = b.find_first_of("?#"); q != std::string_view::npos) b = b.substr(0, q);
    auto dec = http::percent_decode(b, false);
    std::string p = dec ? *dec : std::string(b);
    if (p.empty() || p.front() != '/') p.insert(p.begin(), '/');
    if (p.back() != '/') p.push_back('/');
    return p;
}

Settings load_settings(store::Store& st) {
    Settings s;
    s.direct = store::flag(st, settings::download_direct);
    s.base_url = s.direct ? "/dl/" : store::text(st, settings::download_base_url);
    if (!s.base_url.empty() && s.base_url.back() != '/') s.base_url.push_back('/');
    s.root = store::text(st, settings::download_root);
    while (s.root.size() > 1 && s.root.back() == '/') s.root.pop_back();
    s.storage_root = s.root.empty() ? store::text(st, settings::qbt_save_path) : s.root;
    while (s.storage_root.size() > 1 && s.storage_root.back() == '/') s.storage_root.pop_back();
    s.secret = store::text(st, settings::download_secret);
    s.ttl = store::number(st, settings::download_ttl);
    s.bind_ip = store::flag(st, settings::download_bind_ip);
    return s;
}

Settings server_settings(const Settings& base, std::int64_t id, const std::string& download_root,
                         const std::string& download_base_url) {
    Settings s = base;
    s.root = download_root;
    while (s.root.size() > 1 && s.root.back() == '/') s.root.pop_back();
    s.storage_root = s.root;
    s.direct = download_base_url.empty();
    s.base_url = s.direct ? "/dl/~" + std::to_string(id) + "/" : download_base_url;
    if (!s.base_url.empty() && s.base_url.back() != '/') s.base_url.push_back('/');
    return s;
}

Link file_link(const Settings& s, std::string_view rel, std::int64_t now, std::string_view origin,
               std::string_view ip) {
    Link l;
    l.expires = now + s.ttl;
    auto uri = s.uri_prefix() + std::string(rel);
    auto path = signed_path(uri, l.expires, s.secret, s.bind_ip ? ip : std::string_view());
    if (s.base_url.find("://") != std::string::npos) {
        // Keep the scheme and authority of base_url; the path comes from the signed URI.
        auto slash = s.base_url.find('/', s.base_url.find("://") + 3);
        l.url = s.base_url.substr(0, slash) + path;
    } else {
        l.url = with_origin(path, origin);
    }
    return l;
}

std::string nginx_snippet(const Settings& s, std::string_view secret_shown) {
    auto prefix = s.uri_prefix();
    std::string root = s.root.empty() ? "/chemin/des/telechargements/qbittorrent" : s.root;
    std::string out;
    out += "# essaim — liens de téléchargement signés (nginx, module secure_link).\n";
    out += "# Généré à partir des réglages d'essaim : régénérez-le s'ils changent.\n\n";
    out += "# 1) Dans le bloc http { } :\n";
    out += "map $arg_dl $essaim_disposition { default \"\"; \"1\" \"attachment\"; }\n\n";
    out += "# 2) Dans le bloc server { } qui répond à " +
           (s.base_url.empty() ? std::string("l'adresse de base") : s.base_url) + " :\n";
    out += "location " + prefix + " {\n";
    out += "    secure_link $arg_md5,$arg_expires;\n";
    out += "    secure_link_md5 \"$secure_link_expires$uri" +
           std::string(s.bind_ip ? "$remote_addr" : "") + " " + std::string(secret_shown) + "\";\n";
    out += "    if ($secure_link = \"\")  { return 403; }   # signature absente ou fausse\n";
    out += "    if ($secure_link = \"0\") { return 410; }   # lien expiré\n";
    out += "    error_page 403 @essaim_invalide;\n";
    out += "    error_page 410 @essaim_expire;\n";
    out += "    error_page 404 @essaim_introuvable;\n";
    out += "    add_header Content-Disposition $essaim_disposition;   # &dl=1 : téléchargement\n";
    out += "    disable_symlinks on;                 # aucun lien symbolique suivi\n";
    out += "    autoindex off;\n";
    out += "    alias " + root + "/;   # barre finale obligatoire (location et alias)\n";
    out += "}\n";
    auto page = [&](const char* name, int code, const char* text) {
        out += "location " + std::string(name) +
               " {\n    default_type text/plain;\n    charset utf-8;\n    return " +
               std::to_string(code) + " \"" + text + "\\n\";\n}\n";
    };
    page("@essaim_invalide", 403,
         "essaim : ce lien de téléchargement n'est pas valide. Demandez un nouveau lien dans "
         "essaim.");
    page("@essaim_expire", 410,
         "essaim : ce lien de téléchargement a expiré. Générez un nouveau lien dans essaim.");
    page("@essaim_introuvable", 404,
         "essaim : ce fichier n'existe plus sur le serveur (torrent supprimé ou déplacé ?).");
    return out;
}

}  // namespace essaim::download
