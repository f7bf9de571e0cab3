#pragma once
// Loads scenario files with toml++ and validates them, reporting every problem with file:line:col.

#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rollproof/common/diagnostic.hpp"
#include "rollproof/framework/scenario.hpp"

namespace rollproof::framework {

// Reads and validates one scenario file; on failure every problem found in it, in file order. A
// path that is not a regular file (a FIFO, a device, a symbolic link loop) is one diagnostic saying
// so, and is never read (opening a FIFO does not wait for a writer).
[[nodiscard]] std::expected<scenario, diagnostics> load_scenario(const std::filesystem::path& file);

// Validates scenario text; `display_name` is the file name the diagnostics carry.
[[nodiscard]] std::expected<scenario, diagnostics> load_scenario_text(std::string_view text,
                                                                      std::string display_name);

// Expands FILE|DIR arguments into scenario files (a directory gives every *.toml in its tree,
// sorted by path); a path that is missing or not a regular file is a diagnostic naming it and why.
[[nodiscard]] std::expected<std::vector<std::filesystem::path>, diagnostics> find_scenario_files(
    const std::vector<std::string>& arguments);

// Why `path` cannot be read as a scenario file: "no such file or directory", "not a regular file
// (a FIFO)", (a device), (a socket), or the system's reason (e.g. "Too many levels of symbolic
// links"); nullopt for a regular file (after following links).
[[nodiscard]] std::optional<std::string> not_a_scenario_file(const std::filesystem::path& path);

// One diagnostic for each scenario whose name an earlier one already uses, naming both files.
[[nodiscard]] diagnostics duplicate_names(const std::vector<scenario>& scenarios);

}  // namespace rollproof::framework
