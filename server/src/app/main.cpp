#include "app/cli.hpp"

int main(int argc, char** argv) {
    return essaim::app::run_cli(argc, argv);
}
