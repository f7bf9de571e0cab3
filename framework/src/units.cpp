#include "rollproof/framework/units.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <utility>

namespace rollproof::framework {
namespace {

struct number_and_unit {
  double number = 0;
  std::string_view unit;
  bool spaced = false;  // blanks around the unit ("1 MB"): the format is <number><unit>
};

// The error for a known unit written with blanks, showing the spelling to use.
std::string spaced_error(std::string_view text) {
  std::string joined;
  for (const char c : text)
    if (c != ' ' && c != '\t') joined += c;
  return fmt::format("'{}' must be written without spaces (\"{}\")", text, joined);
}

std::expected<number_and_unit, std::string> split(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.'))
    ++i;
  if (i == 0) return std::unexpected("expected a number followed by a unit");
  double number = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + i, number);
  if (ec != std::errc{} || ptr != text.data() + i) {
    return std::unexpected(fmt::format("'{}' is not a number", text.substr(0, i)));
  }
  std::string_view unit = text.substr(i);
  const std::size_t length = unit.size();
  while (!unit.empty() && (unit.front() == ' ' || unit.front() == '\t'))
    unit.remove_prefix(1);
  while (!unit.empty() && (unit.back() == ' ' || unit.back() == '\t'))
    unit.remove_suffix(1);
  return number_and_unit{number, unit, unit.size() != length};
}

std::string too_large(std::string_view text) {
  return fmt::format("size '{}' is above the largest size, 16GiB ({} bytes)", text, max_byte_size);
}

}  // namespace

std::expected<std::uint64_t, std::string> byte_count(std::int64_t bytes) {
  if (bytes < 0) return std::unexpected(fmt::format("size {} is negative", bytes));
  if (static_cast<std::uint64_t>(bytes) > max_byte_size)
    return std::unexpected(too_large(fmt::format("{}", bytes)));
  return static_cast<std::uint64_t>(bytes);
}

std::expected<std::uint64_t, std::string> parse_byte_size(std::string_view text) {
  auto parts = split(text);
  if (!parts) return std::unexpected(parts.error());
  static constexpr std::array<std::pair<std::string_view, double>, 7> units{
      {{"B", 1.0},
       {"KB", 1e3},
       {"MB", 1e6},
       {"GB", 1e9},
       {"KiB", 1024.0},
       {"MiB", 1048576.0},
       {"GiB", 1073741824.0}}};
  if (parts->unit.empty()) {
    return std::unexpected("size '" + std::string(text) +
                           "' has no unit (use B, KB, MB, GB, KiB, MiB or GiB)");
  }
  for (const auto& [name, factor] : units) {
    if (parts->unit == name) {
      if (parts->spaced) return std::unexpected(spaced_error(text));
      const double bytes = parts->number * factor;
      // Compared as a double, before any conversion: 2^64 bytes and more cannot wrap.
      if (!(bytes <= static_cast<double>(max_byte_size))) return std::unexpected(too_large(text));
      if (bytes != std::floor(bytes)) {
        return std::unexpected("size '" + std::string(text) + "' is not a whole number of bytes");
      }
      return static_cast<std::uint64_t>(bytes);
    }
  }
  return std::unexpected("unknown size unit '" + std::string(parts->unit) +
                         "' (use B, KB, MB, GB, KiB, MiB or GiB)");
}

std::expected<std::chrono::milliseconds, std::string> parse_duration(std::string_view text) {
  auto parts = split(text);
  if (!parts) return std::unexpected(parts.error());
  static constexpr std::array<std::pair<std::string_view, double>, 4> units{
      {{"ms", 1.0}, {"s", 1e3}, {"m", 60e3}, {"h", 3600e3}}};
  for (const auto& [name, factor] : units) {
    if (parts->unit == name) {
      if (parts->spaced) return std::unexpected(spaced_error(text));
      const double ms = parts->number * factor;
      if (!(ms <= static_cast<double>(max_duration.count())))
        return std::unexpected(
            fmt::format("duration '{}' is above the longest duration, 24h", text));
      return std::chrono::milliseconds(
          static_cast<std::int64_t>(std::llround(parts->number * factor)));
    }
  }
  return std::unexpected("unknown duration unit '" + std::string(parts->unit) +
                         "' (use ms, s, m or h)");
}

}  // namespace rollproof::framework
