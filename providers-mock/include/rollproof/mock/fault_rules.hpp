#pragma once
// The fault rule language shared by rollproof-mock (--faults, PUT /_mock/faults) and scenario
// fault profiles: what to match, when to fire, and what to do to the request.

#include <toml++/toml.h>

#include <boost/json/value.hpp>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rollproof/common/diagnostic.hpp"

namespace rollproof::mock {

// A header a request must carry, its value matched by an RE2 regex (search, not full match).
struct header_match {
  std::string name;
  std::string regex;
  bool operator==(const header_match&) const = default;
};

// Which requests a rule applies to; every field set must hold, an empty match takes every request.
struct fault_match {
  std::optional<std::string> method;       // exact, upper case, e.g. "POST"
  std::optional<std::string> path;         // fnmatch(3) glob on the path, `*` also crosses '/'
  std::optional<header_match> header;      // absent header never matches
  std::optional<std::uint64_t> min_bytes;  // of the declared Content-Length
  std::optional<std::uint64_t> max_bytes;  // of the declared Content-Length
  bool operator==(const fault_match&) const = default;
};

// When a matching request is faulted; every field set must hold; all empty = every match.
struct fault_schedule {
  std::optional<double> probability;   // seeded by --seed and the rule name
  std::optional<std::uint64_t> every;  // the N-th, 2N-th, ... matching request
  std::optional<std::uint64_t> first;  // the first N matching requests
  std::optional<std::uint64_t> after;  // every matching request after the N-th
  bool operator==(const fault_schedule&) const = default;
};

// What a fault does.
enum class action_kind {
  status,
  latency,
  bandwidth,
  reset,
  close,
  stall,
  empty,
  malformed,
  truncate,
  slow_close,
  corrupt
};

// The name of an action kind as written in rules ("slow_close", ...).
[[nodiscard]] std::string_view to_string(action_kind kind);

// True for the statuses whose responses end at their header: 1xx, 204 and 304 (RFC 9110 6.4.1).
[[nodiscard]] bool status_has_no_body(unsigned status);

// How a latency action draws its delay.
enum class latency_distribution { fixed, uniform, lognormal };

// An action and its parameters; only those of `kind` are meaningful.
struct fault_action {
  action_kind kind = action_kind::status;
  // status: the status, an optional body (default: the provider's error shape; none allowed for
  // 1xx, 204, 304) and headers (names RFC 9110 tokens up to 256 bytes, values up to 16 KiB without
  // CR, LF or NUL).
  unsigned status = 503;
  std::optional<std::string> body;
  std::vector<std::pair<std::string, std::string>> headers;
  // latency: fixed `ms`, or uniform [min_ms, max_ms], or lognormal(median_ms, sigma) capped at
  // max_ms.
  latency_distribution distribution = latency_distribution::fixed;
  std::uint64_t ms = 0;
  std::uint64_t min_ms = 0;
  std::uint64_t max_ms = 0;
  double median_ms = 0;
  double sigma = 0;
  // bandwidth: bytes per second for the request body and/or the response (0 = unlimited).
  std::uint64_t request_bytes_per_s = 0;
  std::uint64_t response_bytes_per_s = 0;
  // reset: RST after this many bytes of the request body.
  std::uint64_t after_bytes = 0;
  // truncate: response body bytes actually sent (default half); slow_close: delay before close.
  std::optional<std::uint64_t> bytes;
  std::uint64_t delay_ms = 1000;
  // corrupt: byte offset of the file part flipped (xor 0xff) before it is hashed and stored.
  std::uint64_t offset = 0;
  bool operator==(const fault_action&) const = default;
};

// One named rule.
struct fault_rule {
  std::string name;
  fault_match match;
  fault_schedule schedule;
  fault_action action;
  bool operator==(const fault_rule&) const = default;
};

// Rules in order; the first matching rule whose schedule fires wins.
struct fault_plan {
  std::vector<fault_rule> rules;
  bool operator==(const fault_plan&) const = default;
};

// Parses { rules = [ {name, match, schedule, action} ] }; all errors at once, as file:line:col.
[[nodiscard]] std::expected<fault_plan, rollproof::diagnostics> parse_fault_plan(
    const toml::table& t, std::string_view file);

// Same from JSON; each diagnostic names `file` and starts its message with the JSON pointer.
[[nodiscard]] std::expected<fault_plan, rollproof::diagnostics> parse_fault_plan(
    const boost::json::value& v, std::string_view file);

// The plan as JSON (only parameters that matter); parse_fault_plan(to_json(p)) gives p back.
[[nodiscard]] boost::json::value to_json(const fault_plan& p);

}  // namespace rollproof::mock
