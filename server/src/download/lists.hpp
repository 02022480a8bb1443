// "Télécharger tout": the signed links of several files as something a download manager reads.
// Metalink 4 (RFC 5854: aria2c -M, DownThemAll, JDownloader keep the folder layout from `name`)
// and a plain list (one URL per line: wget -i, curl, aria2c -i).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace essaim::download {

struct ListedFile {
    std::string name;  // path inside the download (folder layout kept), UTF-8
    std::optional<std::int64_t> size;
    std::string url;
};

std::string metalink4(const std::vector<ListedFile>& files);
std::string url_list(const std::vector<ListedFile>& files);

}  // namespace essaim::download
