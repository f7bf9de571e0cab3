#pragma once
// The `rollproof` command line: run, list, validate, merge (CLI11).

#include <iosfwd>
#include <string>
#include <vector>

namespace rollproof::framework {

// Parses `argv` and runs the subcommand; returns the exit code (0 ok, 1 failed, 2 invalid input
// or usage, 3 infrastructure failed).
[[nodiscard]] int cli_main(const std::vector<std::string>& argv, std::ostream& out,
                           std::ostream& err);

}  // namespace rollproof::framework
