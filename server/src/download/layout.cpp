#include "download/layout.hpp"

#include "util/strings.hpp"

namespace essaim::download {
namespace {

std::string_view trim_slashes(std::string_view p) {
    while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
    return p;
}

bool clean_absolute(std::string_view p) {
    if (p.empty() || p.front() != '/' || p.find('\0') != std::string_view::npos) return false;
    for (auto seg : str::split(p.substr(1), '/'))
        if (seg == "." || seg == "..") return false;
    return true;
}

}  // namespace

bool is_folder_name(std::string_view name) {
    // '~' first: the prefix of another server's files in direct mode (download/settings.hpp).
    return !name.empty() && name.size() <= 64 && name != "." && name != ".." && name[0] != '~' &&
           name.find('/') == std::string_view::npos && name.find('\0') == std::string_view::npos;
}

std::string choose_folder(std::string_view username,
                          const std::function<bool(const std::string&)>& taken) {
    std::string base = str::to_lower(username);
    // User names are [A-Za-z0-9._-]{3,32}; anything else (a future rule) becomes '-'.
    for (char& c : base)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            c = '-';
    if (!is_folder_name(base) || base.size() > 48) base = "utilisateur";
    if (!taken || !taken(base)) return base;
    for (int i = 2;; ++i) {
        auto candidate = base + "-" + std::to_string(i);
        if (!taken(candidate)) return candidate;
    }
}

std::string user_dir(std::string_view root, std::string_view folder) {
    if (!clean_absolute(root) || !is_folder_name(folder)) return {};
    auto r = trim_slashes(root);
    return (r == "/" ? std::string() : std::string(r)) + "/" + std::string(folder);
}

std::optional<std::string> relative_inside(std::string_view dir, std::string_view path) {
    if (!clean_absolute(dir) || !clean_absolute(path)) return std::nullopt;
    auto d = trim_slashes(dir);
    auto p = trim_slashes(path);
    if (p == d) return std::string();
    if (d == "/") return std::string(p.substr(1));
    if (p.size() > d.size() && p.compare(0, d.size(), d) == 0 && p[d.size()] == '/')
        return std::string(p.substr(d.size() + 1));
    return std::nullopt;
}

bool path_inside(std::string_view dir, std::string_view path) {
    return relative_inside(dir, path).has_value();
}

bool paths_overlap(std::string_view a, std::string_view b) {
    return path_inside(a, b) || path_inside(b, a);
}

Placement placement_of(std::string_view root, std::string_view owner_folder,
                       std::string_view save_path) {
    if (root.empty() || save_path.empty() || !path_inside(root, save_path))
        return Placement::elsewhere;
    auto mine = user_dir(root, owner_folder);
    if (!mine.empty() && path_inside(mine, save_path)) return Placement::user_folder;
    return Placement::shared;
}

const char* placement_name(Placement p) {
    switch (p) {
        case Placement::user_folder:
            return "user_folder";
        case Placement::shared:
            return "shared";
        default:
            return "elsewhere";
    }
}

std::optional<std::pair<std::int64_t, std::string_view>> server_prefix(std::string_view rel) {
    if (rel.size() < 3 || rel[0] != '~') return std::nullopt;
    auto slash = rel.find('/');
    if (slash == std::string_view::npos || slash < 2 || slash > 19) return std::nullopt;
    std::int64_t id = 0;
    for (auto c : rel.substr(1, slash - 1)) {
        if (c < '0' || c > '9') return std::nullopt;
        id = id * 10 + (c - '0');
    }
    if (id < 2) return std::nullopt;
    return std::pair(id, rel.substr(slash + 1));
}

}  // namespace essaim::download
