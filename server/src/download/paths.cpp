#include "download/paths.hpp"

#include "http/message.hpp"
#include "util/strings.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <memory>
#include <vector>

namespace essaim::download {
namespace {

std::string strip_trailing_slashes(std::string_view p) {
    while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
    return std::string(p);
}

std::optional<std::string> real_path(const std::string& p) {
    std::unique_ptr<char, decltype(&std::free)> r(::realpath(p.c_str(), nullptr), &std::free);
    if (!r) return std::nullopt;
    return std::string(r.get());
}

bool inside(const std::string& real_root, const std::string& real) {
    if (real_root == "/") return true;
    return real.size() > real_root.size() && real.compare(0, real_root.size(), real_root) == 0 &&
           real[real_root.size()] == '/';
}

std::optional<std::string> resolve(const std::string& root, std::string_view rel, bool dir) {
    if (root.empty()) return std::nullopt;
    auto real_root = real_path(root);
    if (!real_root) return std::nullopt;
    std::string full = strip_trailing_slashes(root);
    if (!rel.empty()) {
        if (!is_clean_relative(rel)) return std::nullopt;
        full += '/';
        full.append(rel);
    } else if (!dir) {
        return std::nullopt;
    }
    auto real = real_path(full);
    if (!real) return std::nullopt;
    if (!rel.empty() && !inside(*real_root, *real)) return std::nullopt;
    struct stat st {};
    if (::stat(real->c_str(), &st) != 0) return std::nullopt;
    if (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) return std::nullopt;
    return real;
}

}  // namespace

std::optional<std::string> normalize_uri(std::string_view raw_path) {
    auto decoded = http::percent_decode(raw_path, false);
    if (!decoded || decoded->empty() || decoded->front() != '/') return std::nullopt;
    if (decoded->find('\0') != std::string::npos) return std::nullopt;
    std::vector<std::string_view> out;
    std::string_view d = *decoded;
    bool trailing = d.size() > 1 && d.back() == '/';
    for (auto seg : str::split(d.substr(1), '/')) {
        if (seg.empty() || seg == ".") continue;
        if (seg == "..") {
            if (out.empty()) return std::nullopt;
            out.pop_back();
            continue;
        }
        out.push_back(seg);
    }
    std::string r;
    for (auto seg : out) {
        r += '/';
        r.append(seg);
    }
    if (r.empty() || trailing) r += '/';
    return r;
}

bool is_clean_relative(std::string_view rel) {
    if (rel.empty() || rel.front() == '/' || rel.find('\0') != std::string_view::npos) return false;
    for (auto seg : str::split(rel, '/'))
        if (seg.empty() || seg == "." || seg == "..") return false;
    return true;
}

std::optional<std::string> relative_to_root(std::string_view root, std::string_view save_path,
                                            std::string_view file_name) {
    if (root.empty() || root.front() != '/' || save_path.empty() || save_path.front() != '/')
        return std::nullopt;
    auto r = strip_trailing_slashes(root);
    auto s = strip_trailing_slashes(save_path);
    std::string rel_dir;
    if (s == r) {
        rel_dir.clear();
    } else if (r == "/") {
        rel_dir = s.substr(1);
    } else if (s.size() > r.size() && s.compare(0, r.size(), r) == 0 && s[r.size()] == '/') {
        rel_dir = s.substr(r.size() + 1);
    } else {
        return std::nullopt;
    }
    std::string rel =
        rel_dir.empty() ? std::string(file_name) : rel_dir + "/" + std::string(file_name);
    if (!is_clean_relative(rel)) return std::nullopt;
    return rel;
}

int open_beneath(const std::string& root, std::string_view rel) {
    if (root.empty() || !is_clean_relative(rel)) return -1;
    int dir = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return -1;
    auto segs = str::split(rel, '/');
    for (std::size_t i = 0; i < segs.size(); ++i) {
        std::string seg(segs[i]);
        bool last = i + 1 == segs.size();
        int flags = O_CLOEXEC | O_NOFOLLOW | (last ? O_RDONLY : (O_RDONLY | O_DIRECTORY));
        int next = ::openat(dir, seg.c_str(), flags);
        ::close(dir);
        if (next < 0) return -1;
        dir = next;
    }
    struct stat st {};
    if (::fstat(dir, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(dir);
        return -1;
    }
    return dir;
}

bool exists_on_disk(const std::string& path) {
    struct stat st {};
    return !path.empty() && ::lstat(path.c_str(), &st) == 0;
}

std::optional<std::string> resolve_under_root(const std::string& root, std::string_view rel) {
    return resolve(root, rel, false);
}

std::optional<std::string> resolve_dir_under_root(const std::string& root, std::string_view rel) {
    return resolve(root, rel, true);
}

}  // namespace essaim::download
