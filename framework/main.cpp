// rollproof: turns rollout claims into evidence (see `rollproof --help`).
#include <iostream>
#include <string>
#include <vector>

#include "rollproof/framework/cli.hpp"

int main(int argc, char** argv) {
  return rollproof::framework::cli_main(std::vector<std::string>(argv, argv + argc), std::cout,
                                        std::cerr);
}
