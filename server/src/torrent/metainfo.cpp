#include "torrent/metainfo.hpp"

#include "torrent/bencode.hpp"
#include "torrent/error.hpp"
#include "util/crypto.hpp"
#include "util/strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <unordered_set>

namespace essaim::torrent {
namespace {

// The rules below follow what libtorrent 2.0.8 (inside qBittorrent 4.5) does with the same file;
// they were checked against python3-libtorrent on the fuzz corpus: nothing accepted here is
// refused by libtorrent, and what both accept gets the same hashes and the same file list. The
// deliberate difference: where libtorrent would silently rewrite a path (dropping "." or "..",
// a '/' or '\\', a bidi control; replacing a control character or invalid UTF-8 with '_';
// truncating a long name; renaming a case-insensitive duplicate to "a.1.txt") or pick one of two
// conflicting keys (`files` and `length`), we refuse the file. Accepting it would show users a
// file list that is not qBittorrent's, and links built from it would miss the files on disk.

[[noreturn]] void fail(std::string_view what) {
    throw TorrentError("invalid_torrent",
                       fmt::format("Le fichier .torrent est invalide : {}.", what));
}

constexpr std::int64_t kBlockSize = 16 * 1024;
// libtorrent: piece length <= INT_MAX / 2; a file must have fewer than INT_MAX / 2 blocks.
constexpr std::int64_t kMaxPieceLength = std::numeric_limits<std::int32_t>::max() / 2;
constexpr std::int64_t kMaxFileSize =
    kBlockSize * (std::numeric_limits<std::int32_t>::max() / 2) - 1;
// libtorrent truncates longer path elements (keeping the extension); refuse them instead.
constexpr std::size_t kMaxElementBytes = 240;
// A whole path must fit Linux's PATH_MAX, or qBittorrent could not create the file anyway.
constexpr std::size_t kMaxPathBytes = 4096;
// All paths together. A v2 tree repeats its folders in every file's path, so a 16 MiB file of
// deep, tiny entries could otherwise expand into gigabytes of path strings.
constexpr std::size_t kMaxTotalPathBytes = 64u << 20;

std::string quoted(std::string_view s) {
    // For messages only: show short, valid UTF-8 without control characters; otherwise nothing.
    if (s.size() > 80 || !str::is_valid_utf8(s) || std::any_of(s.begin(), s.end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x20;
        }))
        return std::string();
    return fmt::format(" « {} »", s);
}

// Directional overrides (U+202A..U+202E, U+200E, U+200F) make "exe.avi" display as "iva.exe";
// libtorrent strips them from paths.
bool has_bidi_control(std::string_view s) {
    for (std::size_t i = 0; i + 2 < s.size(); ++i) {
        auto a = static_cast<unsigned char>(s[i]), b = static_cast<unsigned char>(s[i + 1]),
             c = static_cast<unsigned char>(s[i + 2]);
        if (a == 0xE2 && b == 0x80 && ((c >= 0xAA && c <= 0xAE) || c == 0x8E || c == 0x8F))
            return true;
    }
    return false;
}

void check_path_element(std::string_view e) {
    if (e.empty()) fail("un nom de fichier ou de dossier est vide");
    if (e == "." || e == "..")
        fail(fmt::format("le chemin contient « {} », ce qui est interdit", e));
    if (e.size() > kMaxElementBytes)
        fail(fmt::format("un nom de fichier dépasse {} octets", kMaxElementBytes));
    for (char c : e) {
        if (c == '/' || c == '\\')
            fail(fmt::format("le nom{} contient un séparateur de chemin", quoted(e)));
        if (static_cast<unsigned char>(c) < 0x20)
            fail("un nom de fichier contient un caractère de contrôle");
    }
    if (!str::is_valid_utf8(e)) fail("un nom de fichier n'est pas de l'UTF-8 valide");
    if (has_bidi_control(e))
        fail("un nom de fichier contient un caractère d'inversion du sens d'écriture");
}

const Value* find_string(const Value& dict, std::string_view key) {
    const Value* v = dict.find(key);
    return v && v->is_string() ? v : nullptr;
}

// `length` of a file entry: a non-negative integer libtorrent can address.
std::int64_t file_length(const Value& entry) {
    const Value* len = entry.find("length");
    if (!len) fail("la taille (length) d'un fichier est absente");
    if (!len->is_int()) fail("la taille (length) d'un fichier n'est pas un entier");
    if (len->integer < 0) fail("la taille d'un fichier est négative");
    if (len->integer > kMaxFileSize) fail("un fichier est trop grand");
    return len->integer;
}

std::int64_t add_size(std::int64_t total, std::int64_t size) {
    if (size > std::numeric_limits<std::int64_t>::max() - total)
        fail("la taille totale dépasse la limite");
    return total + size;
}

bool attr_has(const Value& entry, char flag) {
    const Value* attr = find_string(entry, "attr");
    return attr && attr->string.find(flag) != std::string_view::npos;
}

// Counts the bytes of the paths built so far, and checks each against the limits above.
class PathBudget {
  public:
    static void check_length(const std::string& path) {
        if (path.size() > kMaxPathBytes)
            fail(fmt::format("un chemin dépasse {} octets", kMaxPathBytes));
    }
    void charge(const std::string& path) {
        check_length(path);
        used_ += path.size();
        if (used_ > kMaxTotalPathBytes) fail("la liste des fichiers est trop volumineuse");
    }

  private:
    std::size_t used_ = 0;
};

struct V1Entry {
    FileEntry file;
    bool padding = false;
};

// v1 `files` list: each entry is {length, path: [elements]} (path.utf-8 preferred, like
// libtorrent); padding files (BEP 47 attr "p", or BitComet's "_____padding_file_") are kept here
// with padding = true so that piece counts stay right. A path under ".pad/" WITHOUT the "p"
// attribute is an ordinary file for libtorrent (it is downloaded and written to disk): treating
// it as padding would hide its size from the quota checks.
std::vector<V1Entry> v1_files(const Value& files, const std::string& root, PathBudget& budget) {
    if (!files.is_list()) fail("la liste des fichiers (files) n'est pas une liste");
    if (files.list.empty()) fail("la liste des fichiers (files) est vide");
    std::vector<V1Entry> out;
    out.reserve(files.list.size());
    for (const Value& entry : files.list) {
        if (!entry.is_dict()) fail("une entrée de la liste des fichiers n'est pas un dictionnaire");
        V1Entry e;
        e.file.size = file_length(entry);
        const Value* path = entry.find("path.utf-8");
        if (!path || !path->is_list()) path = entry.find("path");
        if (!path) fail("le chemin (path) d'un fichier est absent");
        if (!path->is_list() || path->list.empty())
            fail("le chemin (path) d'un fichier n'est pas une liste non vide");
        e.file.path = root;
        for (const Value& element : path->list) {
            if (!element.is_string()) fail("un élément de chemin n'est pas une chaîne");
            check_path_element(element.string);
            e.file.path += '/';
            e.file.path += element.string;
            PathBudget::check_length(e.file.path);  // before it grows any further
        }
        budget.charge(e.file.path);
        e.padding =
            attr_has(entry, 'p') || e.file.path.find("_____padding_file_") != std::string::npos;
        out.push_back(std::move(e));
    }
    return out;
}

// v2 `file tree`: nested dictionaries of path elements; a file is a node whose only key is ""
// and whose value holds `length` and (when not empty) the 32-byte `pieces root`.
class FileTreeWalker {
  public:
    FileTreeWalker(const std::string& name, bool v1_has_file_list, PathBudget& budget)
        : name_(name), v1_has_file_list_(v1_has_file_list), budget_(budget) {}

    std::vector<std::pair<FileEntry, std::string_view>> walk(const Value& tree) {
        if (!tree.is_dict()) fail("l'arbre des fichiers (file tree) n'est pas un dictionnaire");
        node(tree, name_, true);
        return std::move(files_);
    }

  private:
    static bool is_leaf(const Value& v) { return v.dict.size() == 1 && v.dict[0].first.empty(); }

    void node(const Value& dir, const std::string& path, bool top) {
        for (const auto& [key, child] : dir.dict) {
            if (!child.is_dict())
                fail("une entrée de l'arbre des fichiers n'est pas un dictionnaire");
            check_path_element(key);
            const bool leaf = is_leaf(child);
            // libtorrent: a lone file at the top of the tree of a torrent without a v1 file
            // list is a single-file torrent, and its path has no root folder.
            const bool single = top && leaf && !v1_has_file_list_ && dir.dict.size() == 1;
            std::string p = single ? std::string(key) : path + '/' + std::string(key);
            budget_.charge(p);
            if (leaf)
                file(child.dict[0].second, std::move(p));
            else
                node(child, p, false);  // depth is bounded by the decoder's nesting limit
        }
    }

    void file(const Value& meta, std::string path) {
        if (!meta.is_dict()) fail("la description d'un fichier n'est pas un dictionnaire");
        // libtorrent refuses padding files in a v2 tree: v2 aligns files by itself.
        if (attr_has(meta, 'p')) fail("l'arbre des fichiers contient un fichier de remplissage");
        FileEntry f{std::move(path), file_length(meta)};
        std::string_view root;
        if (const Value* r = meta.find("pieces root")) {
            if (!r->is_string() || r->string.size() != 32)
                fail("l'empreinte racine (pieces root) d'un fichier est invalide");
            root = r->string;
        }
        if (f.size > 0 &&
            (root.empty() || std::all_of(root.begin(), root.end(), [](char c) { return c == 0; })))
            fail("l'empreinte racine (pieces root) d'un fichier est absente");
        files_.emplace_back(std::move(f), root);
    }

    const std::string& name_;
    bool v1_has_file_list_;
    PathBudget& budget_;
    std::vector<std::pair<FileEntry, std::string_view>> files_;
};

std::int64_t piece_count(std::int64_t total, std::int64_t piece_length) {
    return total / piece_length + (total % piece_length != 0 ? 1 : 0);
}

// BEP 52 `piece layers` (top level): for a file larger than a piece, the SHA-256 of each piece,
// keyed by the file's pieces root. As in libtorrent 2.0, they are optional (a client can fetch
// them from peers, as for a magnet) and a file may have none, but what is there must be well
// formed: 32-byte keys, strings of whole hashes, and the right count for a file we know.
void check_piece_layers(const Value* layers,
                        const std::vector<std::pair<FileEntry, std::string_view>>& tree,
                        std::int64_t piece_length) {
    if (!layers || !layers->is_dict()) return;
    std::unordered_map<std::string_view, std::string_view> by_root;  // not files × layers
    for (const auto& [root, layer] : layers->dict) {
        if (root.size() != 32 || !layer.is_string() || layer.string.size() % 32 != 0)
            fail("une couche de pièces (piece layers) est mal formée");
        by_root.emplace(root, layer.string);
    }
    for (const auto& [f, root] : tree) {
        if (f.size <= piece_length) continue;
        auto it = by_root.find(root);
        if (it != by_root.end() &&
            static_cast<std::int64_t>(it->second.size()) != piece_count(f.size, piece_length) * 32)
            fail(fmt::format("la couche de pièces du fichier{} n'a pas la bonne taille",
                             quoted(f.path)));
    }
}

// Two files whose paths differ only by ASCII case, or a file that is also a folder: libtorrent
// renames one of them ("a.1.txt"), so our list would not be qBittorrent's. The paths are walked
// as a tree stored in one flat map (key: parent node id + lower-case element), which costs time
// linear in the total length of the paths, however deep or numerous they are.
void reject_path_collisions(const std::vector<FileEntry>& files) {
    struct Node {
        std::size_t id;
        bool is_file;
    };
    std::unordered_map<std::string, Node> nodes;
    for (const auto& f : files) {
        std::size_t parent = 0;  // the root
        std::string_view rest = f.path;
        while (true) {
            auto slash = rest.find('/');
            const bool last = slash == std::string_view::npos;
            std::string key = std::to_string(parent);
            key += '/';
            key += str::to_lower(rest.substr(0, slash));
            auto [it, inserted] = nodes.try_emplace(std::move(key), Node{nodes.size() + 1, last});
            if (!inserted && last && it->second.is_file)
                fail(fmt::format("deux fichiers portent le même nom{}", quoted(f.path)));
            if (!inserted && (last || it->second.is_file))
                fail("un fichier porte le même nom qu'un dossier");
            if (last) break;
            parent = it->second.id;
            rest.remove_prefix(slash + 1);
        }
    }
}

void collect_trackers(const Value& top, MetaInfo& m) {
    std::unordered_set<std::string> seen;
    auto add = [&](const Value& v) {
        if (!v.is_string()) return;  // trackers are informative: skip junk, don't fail
        std::string url(str::trim(v.string));
        if (url.empty() || !str::is_valid_utf8(url) ||
            std::any_of(url.begin(), url.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
            return;
        if (seen.insert(url).second) m.trackers.push_back(std::move(url));
    };
    if (const Value* a = top.find("announce")) add(*a);
    if (const Value* list = top.find("announce-list"); list && list->is_list())
        for (const Value& tier : list->list)
            if (tier.is_list())
                for (const Value& url : tier.list) add(url);
}

}  // namespace

std::string qbt_id_from(const std::string& v1_hex, const std::string& v2_hex) {
    return v2_hex.empty() ? v1_hex : v2_hex.substr(0, 40);
}

std::string MetaInfo::qbt_id() const {
    return qbt_id_from(info_hash_v1, info_hash_v2);
}

MetaInfo parse_torrent(std::string_view bytes) {
    const Value top = bdecode(bytes);
    if (!top.is_dict()) fail("le contenu n'est pas un dictionnaire");
    const Value* info = top.find("info");
    if (!info) fail("le dictionnaire « info » est absent");
    if (!info->is_dict()) fail("« info » n'est pas un dictionnaire");

    MetaInfo m;

    // Version: BEP 52 `meta version` 2 in the info dictionary; libtorrent ignores values < 2 and
    // refuses anything above 2.
    bool v2 = false;
    if (const Value* mv = info->find("meta version")) {
        if (!mv->is_int()) fail("« meta version » n'est pas un entier");
        if (mv->integer > 2)
            fail(fmt::format("version de métadonnées {} non prise en charge", mv->integer));
        v2 = mv->integer == 2;
    }
    const Value* file_tree = info->find("file tree");
    if (v2 && !file_tree) fail("l'arbre des fichiers (file tree) d'un torrent v2 est absent");
    if (!v2 && file_tree) fail("« file tree » sans « meta version » 2");
    const Value* files = info->find("files");
    const Value* length = info->find("length");
    if (files && length) fail("« files » et « length » sont présents à la fois");
    const bool v1 = files || length;
    if (!v1 && !v2) fail("ni liste de fichiers (files) ni taille (length)");
    m.version = v1 && v2 ? Version::hybrid : v2 ? Version::v2 : Version::v1;

    const Value* pl = info->find("piece length");
    if (!pl) fail("la taille des pièces (piece length) est absente");
    if (!pl->is_int() || pl->integer <= 0 || pl->integer > kMaxPieceLength)
        fail("la taille des pièces (piece length) est invalide");
    // BEP 52: "It must be a power of two and at least 16KiB."
    if (v2 && (pl->integer < kBlockSize || (pl->integer & (pl->integer - 1)) != 0))
        fail("la taille des pièces d'un torrent v2 doit être une puissance de 2 d'au moins 16 Kio");
    m.piece_length = pl->integer;

    const Value* name = find_string(*info, "name.utf-8");
    if (!name) name = find_string(*info, "name");
    if (!name) fail("le nom (name) est absent");
    check_path_element(name->string);
    m.name = std::string(name->string);

    // v1 file list (with padding entries), then the v2 tree; a hybrid must describe the same
    // files in both, or v1 and v2 peers would not be downloading the same thing.
    PathBudget budget;
    std::vector<V1Entry> v1_list;
    std::int64_t v1_total = 0;  // padding included: it is what the SHA-1 pieces cover
    if (files) {
        v1_list = v1_files(*files, m.name, budget);
    } else if (length) {
        v1_list.push_back({FileEntry{m.name, file_length(*info)}, false});
    }
    for (const auto& e : v1_list) v1_total = add_size(v1_total, e.file.size);

    if (v1) {
        const Value* pieces = info->find("pieces");
        if (!pieces) fail("les empreintes des pièces (pieces) sont absentes");
        if (!pieces->is_string() || pieces->string.size() % 20 != 0)
            fail("les empreintes des pièces (pieces) sont mal formées");
        if (static_cast<std::int64_t>(pieces->string.size() / 20) !=
            piece_count(v1_total, m.piece_length))
            fail("le nombre d'empreintes de pièces ne correspond pas à la taille des fichiers");
        for (auto& e : v1_list)
            if (!e.padding) m.files.push_back(e.file);
    }

    if (v2) {
        auto tree = FileTreeWalker(m.name, files != nullptr, budget).walk(*file_tree);
        if (v1) {
            // Same files in the same order, and every v1 file starts on a piece boundary (which
            // is what v2's implicit alignment means).
            std::size_t k = 0;
            std::int64_t offset = 0;
            bool same = true;
            for (const auto& e : v1_list) {
                if (!e.padding) {
                    same = same && k < tree.size() && tree[k].first.path == e.file.path &&
                           tree[k].first.size == e.file.size &&
                           (e.file.size == 0 || offset % m.piece_length == 0);
                    ++k;
                }
                offset += e.file.size;
            }
            if (!same || k != tree.size())
                fail("les listes de fichiers v1 et v2 ne correspondent pas");
        } else {
            for (const auto& [f, _] : tree) m.files.push_back(f);
        }

        check_piece_layers(top.find("piece layers"), tree, m.piece_length);
    }

    if (m.files.empty()) fail("le torrent ne contient aucun fichier");
    for (const auto& f : m.files) m.total_size = add_size(m.total_size, f.size);
    if (m.total_size == 0) fail("le torrent ne contient aucune donnée (taille totale nulle)");
    // libtorrent indexes pieces with an int.
    if (piece_count(std::max(m.total_size, v1_total), m.piece_length) >=
        std::numeric_limits<std::int32_t>::max())
        fail("le torrent a trop de pièces");
    reject_path_collisions(m.files);

    // The infohashes are digests of the info dictionary exactly as it appears in the file.
    if (v1) m.info_hash_v1 = crypto::hex_encode(crypto::sha1(info->raw));
    if (v2) m.info_hash_v2 = crypto::hex_encode(crypto::sha256(info->raw));

    if (const Value* p = info->find("private"); p && p->is_int()) m.is_private = p->integer != 0;
    const Value* comment = find_string(top, "comment.utf-8");
    if (!comment) comment = find_string(top, "comment");
    if (comment) m.comment = str::to_valid_utf8(comment->string);
    collect_trackers(top, m);
    return m;
}

}  // namespace essaim::torrent
