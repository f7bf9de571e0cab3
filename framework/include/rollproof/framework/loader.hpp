#pragma once
// Loads scenario files with toml++ and validates them, reporting every problem with file:line:col.

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "rollproof/common/diagnostic.hpp"
#include "rollproof/framework/scenario.hpp"

namespace rollproof::framework {

// Reads and validates one scenario file; on failure every problem found in it, in file order.
[[nodiscard]] std::expected<scenario, diagnostics> load_scenario(const std::filesystem::path& file);

// Validates scenario text; `display_name` is the file name the diagnostics carry.
[[nodiscard]] std::expected<scenario, diagnostics> load_scenario_text(std::string_view text,
                                                                      std::string display_name);

// Expands FILE|DIR arguments into scenario files (a directory gives every *.toml in its tree,
// sorted by path); a missing path is a diagnostic naming it.
[[nodiscard]] std::expected<std::vector<std::filesystem::path>, diagnostics> find_scenario_files(
    const std::vector<std::string>& arguments);

// One diagnostic for each scenario whose name an earlier one already uses, naming both files.
[[nodiscard]] diagnostics duplicate_names(const std::vector<scenario>& scenarios);

}  // namespace rollproof::framework
