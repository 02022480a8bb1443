// `essaim storage move-to-user-folders`: moves every torrent still in the shared download folder
// (added before per-user folders) into its owner's folder, through the configured qBittorrent
// (which must be running), printing each torrent's progress and a report. The same mover as the
// admin page (qbt/mover.hpp). Exit code 0 when every torrent moved (or none had to), 1 when one
// failed or qBittorrent cannot be reached.
#pragma once

#include "store/store.hpp"

#include <string>
#include <vector>

namespace essaim::app {

int cmd_storage(store::Store& store, const std::vector<std::string>& args);

}  // namespace essaim::app
