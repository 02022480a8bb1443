// `essaim backup FICHIER` and `essaim restore FICHIER [--force]` (backup/backup.hpp does the
// work): French report on stdout, exit code 0 on success. Restore refuses while an essaim
// answers on the configured address (it would keep serving the replaced database).
#pragma once

#include "config/config.hpp"

#include <string>
#include <vector>

namespace essaim::app {

int cmd_backup(const config::Config& cfg, const std::vector<std::string>& args);
int cmd_restore(const config::Config& cfg, const std::vector<std::string>& args, bool force);

}  // namespace essaim::app
