#include "download/file_access.hpp"

#include "download/paths.hpp"

namespace essaim::download {
namespace {

std::string joined(std::string_view save_path, std::string_view rel) {
    std::string out(save_path);
    while (out.size() > 1 && out.back() == '/') out.pop_back();
    if (out != "/") out += '/';
    out.append(rel);
    return out;
}

}  // namespace

std::string allowed_dir(std::string_view storage_root, std::string_view owner_folder,
                        Placement placement) {
    switch (placement) {
        case Placement::user_folder:
            return user_dir(storage_root, owner_folder);
        case Placement::shared: {
            std::string r(storage_root);
            while (r.size() > 1 && r.back() == '/') r.pop_back();
            return r;
        }
        default:
            return {};
    }
}

FileVerdict check_file(std::string_view root, std::string_view allowed, std::string_view save_path,
                       std::string_view file_path, std::int64_t size, double progress) {
    FileVerdict v;
    if (allowed.empty() || !is_clean_relative(file_path) ||
        !path_inside(allowed, joined(save_path, file_path))) {
        v.refusal = FileRefusal::outside;
        return v;
    }
    auto rel = relative_inside(root, joined(save_path, file_path));
    // "~…" is the prefix of another server's files in direct mode (download/settings.hpp): a
    // torrent of the shared root (before per-user folders) named so gets no link.
    if (!rel || rel->empty() || !is_clean_relative(*rel) || rel->front() == '~') {
        v.refusal = FileRefusal::outside;
        return v;
    }
    if (progress < 1.0) {
        v.refusal = FileRefusal::incomplete;
        return v;
    }
    if (size <= 0) {
        v.refusal = FileRefusal::empty;
        return v;
    }
    v.rel = std::move(*rel);
    return v;
}

bool folder_allowed(std::string_view allowed, std::string_view save_path, std::string_view folder) {
    return !allowed.empty() && is_clean_relative(folder) &&
           path_inside(allowed, joined(save_path, folder));
}

const char* refusal_message(FileRefusal r) {
    switch (r) {
        case FileRefusal::incomplete:
            return "Ce fichier n'est pas encore entièrement téléchargé.";
        case FileRefusal::empty:
            return "Ce fichier est vide : il n'y a rien à télécharger.";
        case FileRefusal::outside:
            return "Les fichiers de ce torrent ne sont pas dans le dossier de son propriétaire : "
                   "un administrateur doit d'abord le déplacer.";
        default:
            return "";
    }
}

}  // namespace essaim::download
