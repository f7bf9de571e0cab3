#pragma once
// Private: one validator for fault plans, run on JSON; TOML is converted to JSON first so both
// syntaxes give the same rules and the same messages.

#include <boost/json/value.hpp>
#include <expected>
#include <string>
#include <vector>

#include "rollproof/mock/fault_rules.hpp"

namespace rollproof::mock::detail {

// One step of a path into the document: a key or an array index.
struct path_step {
  std::string key;
  bool index = false;
};

// A problem at a path.
struct issue {
  std::vector<path_step> path;
  std::string message;
};

// Validates a whole plan, collecting every problem.
std::expected<fault_plan, std::vector<issue>> validate_fault_plan(const boost::json::value& v);

// `/rules/0/action` (RFC 6901, with ~0 and ~1 escapes).
std::string json_pointer(const std::vector<path_step>& path);

// `rules[0].action`, as a TOML reader would name it.
std::string dotted_path(const std::vector<path_step>& path);

}  // namespace rollproof::mock::detail
