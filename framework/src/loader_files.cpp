// Scenario inputs: FILE|DIR arguments expanded into files, and names unique across them.
#include <fmt/format.h>

#include <algorithm>

#include "rollproof/framework/loader.hpp"

namespace rollproof::framework {

std::expected<std::vector<std::filesystem::path>, diagnostics> find_scenario_files(
    const std::vector<std::string>& arguments) {
  std::vector<std::filesystem::path> files;
  diagnostics missing;
  for (const auto& arg : arguments) {
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::filesystem::path> found;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(arg, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".toml")
          found.push_back(entry.path());
      }
      std::sort(found.begin(), found.end());
      if (found.empty())
        missing.push_back(diagnostic{{arg}, "no *.toml scenario files in this directory tree"});
      files.insert(files.end(), found.begin(), found.end());
    } else if (std::filesystem::is_regular_file(arg, ec)) {
      files.emplace_back(arg);
    } else {
      missing.push_back(diagnostic{{arg}, "no such file or directory"});
    }
  }
  if (!missing.empty()) return std::unexpected(std::move(missing));
  return files;
}

diagnostics duplicate_names(const std::vector<scenario>& scenarios) {
  diagnostics found;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (scenarios[j].name != scenarios[i].name) continue;
      const auto& first = scenarios[j].name_where;
      found.push_back(diagnostic{
          scenarios[i].name_where,
          fmt::format("scenario name '{}' is also used by {}:{}:{} (names must be unique: case "
                      "ids start with them)",
                      scenarios[i].name, first.file, first.line, first.column)});
      break;
    }
  }
  return found;
}

}  // namespace rollproof::framework
