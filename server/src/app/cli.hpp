// Command line: `essaim [--config FICHIER] <commande> [options]`. Help and messages in French.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace essaim::app {

int run_cli(int argc, char** argv);

// Exposed for tests of the argument parser.
struct Args {
    std::string command = "serve";
    std::optional<std::string> config_file;
    std::optional<std::string> username;
    std::optional<std::string> group;
    std::optional<std::string> url;
    std::optional<std::string> from, to;  // migrate-sqlite-to-postgres
    bool force = false;
    std::vector<std::string> positional;
    bool password_stdin = false;
    bool help = false;
};
// Throws std::runtime_error (French) on unknown options or missing values.
Args parse_args(const std::vector<std::string>& argv);

}  // namespace essaim::app
