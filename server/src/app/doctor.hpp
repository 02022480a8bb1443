// `essaim doctor`: what is wrong with this installation, in French, from the configuration down
// to each service essaim talks to — the configuration, the data dir's owner and permissions,
// the database (schema, integrity, sealed secrets), each qBittorrent (version, credentials, save
// path, same disk as the download root), Jackett, the download links (a signed link to a probe
// file fetched the way a browser would) and e-mail (login, nothing sent). Changes nothing but a
// probe file it removes. Exit code 0 without a problem (warnings allowed), 1 otherwise.
#pragma once

#include "config/config.hpp"

#include <optional>
#include <string>
#include <vector>

namespace essaim::app {

enum class Level { ok, info, warning, problem };

struct Finding {
    std::string section;
    Level level;
    std::string text;
};

std::vector<Finding> diagnose(const config::Config& cfg,
                              const std::optional<std::string>& config_file);
// The report as printed; pure.
std::string format_report(const std::vector<Finding>& findings);

int cmd_doctor(const config::Config& cfg, const std::optional<std::string>& config_file);

}  // namespace essaim::app
