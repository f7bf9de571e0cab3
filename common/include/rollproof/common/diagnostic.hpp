#pragma once
// Errors about input, with the source position they refer to (like toml++'s source_region).

#include <cstdint>
#include <string>
#include <vector>

namespace rollproof {

// A position in an input file; line and column count from 1, 0 means "unknown".
struct source_position {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// One problem found in an input, printed as `file:line:col: message`.
struct diagnostic {
  source_position where;
  std::string message;

  // Formats as `file:line:col: message` (omits line/col when unknown).
  [[nodiscard]] std::string to_string() const;
};

// Every problem found in one input, reported together.
using diagnostics = std::vector<diagnostic>;

// Joins diagnostics one per line, in the order found.
[[nodiscard]] std::string to_string(const diagnostics& all);

}  // namespace rollproof
