#pragma once
// Typed access to toml++ tables that records a diagnostic (file:line:col) for every misuse
// instead of stopping at the first one, so that a file's errors are all reported together.

#include <toml++/toml.h>

#include <boost/json/value.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "rollproof/common/diagnostic.hpp"

namespace rollproof::framework::detail {

class toml_reader {
 public:
  toml_reader(std::string file, diagnostics& out) : file_(std::move(file)), out_(out) {}

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] diagnostics& out() { return out_; }

  void error(const toml::source_region& where, std::string message);
  void unknown_keys(const toml::table& t, std::initializer_list<std::string_view> allowed,
                    std::string_view section);

  std::optional<std::string> string_at(const toml::table& t, std::string_view key);
  std::optional<std::int64_t> integer_at(const toml::table& t, std::string_view key);
  std::optional<double> number_at(const toml::table& t, std::string_view key);
  const toml::table* table_at(const toml::table& t, std::string_view key);
  const toml::array* array_at(const toml::table& t, std::string_view key);

  // A bound table such as `{ at_least = 0.99 }`: the one allowed key's value, checked in [lo, hi].
  std::optional<double> bound_at(const toml::table& t, std::string_view key,
                                 std::string_view bound_name, double lo, double hi);

  // A range table such as `{ at_least = 0.95 }`, `{ at_most = 0 }` or both: each side checked in
  // [lo, hi], at_least <= at_most; an absent or invalid table gives two empty sides.
  std::pair<std::optional<double>, std::optional<double>> range_at(const toml::table& t,
                                                                   std::string_view key, double lo,
                                                                   double hi);

  void wrong_type(const toml::node& n, std::string_view what, std::string_view expected);

 private:
  std::string file_;
  diagnostics& out_;
};

// True when lo <= value <= hi; false for NaN (a bound written `nan` is outside every range).
[[nodiscard]] bool within(double value, double lo, double hi);

// The name of a node's TOML type, as messages print it ("string", "integer", "table", ...).
[[nodiscard]] std::string_view type_name(const toml::node& n);

// Converts TOML to the JSON the subject and the mock take (dates become strings).
[[nodiscard]] boost::json::value to_json(const toml::node& n);

}  // namespace rollproof::framework::detail
