#include "rollproof/common/diagnostic.hpp"

#include <fmt/format.h>

namespace rollproof {

std::string diagnostic::to_string() const {
  if (where.line == 0) return fmt::format("{}: {}", where.file, message);
  if (where.column == 0) return fmt::format("{}:{}: {}", where.file, where.line, message);
  return fmt::format("{}:{}:{}: {}", where.file, where.line, where.column, message);
}

std::string to_string(const diagnostics& all) {
  std::string out;
  for (const auto& d : all) {
    out += d.to_string();
    out += '\n';
  }
  return out;
}

}  // namespace rollproof
