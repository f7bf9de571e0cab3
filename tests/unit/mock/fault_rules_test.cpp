#include "rollproof/mock/fault_rules.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace rollproof::mock {
namespace {

std::expected<fault_plan, rollproof::diagnostics> parse_toml(std::string_view text) {
  return parse_fault_plan(toml::parse(text, std::string_view("faults.toml")), "faults.toml");
}

std::vector<std::string> messages_of(const rollproof::diagnostics& all) {
  std::vector<std::string> out;
  for (const auto& d : all)
    out.push_back(d.to_string());
  return out;
}

std::vector<std::string> toml_errors(std::string_view text) {
  const auto plan = parse_toml(text);
  EXPECT_FALSE(plan.has_value());
  return plan ? std::vector<std::string>{} : messages_of(plan.error());
}

std::vector<std::string> json_errors(std::string_view text) {
  const auto plan = parse_fault_plan(boost::json::parse(text), "PUT /_mock/faults");
  EXPECT_FALSE(plan.has_value());
  return plan ? std::vector<std::string>{} : messages_of(plan.error());
}

TEST(parse_fault_plan, reads_every_part_of_a_rule_from_toml) {
  const auto plan = parse_toml(R"(
[[rules]]
name = "five-percent-503"
match = { method = "POST", path = "*/files", header = { name = "User-Agent", regex = "route=async" }, min_bytes = 1, max_bytes = 1000 }
schedule = { probability = 0.05, every = 2, first = 10, after = 1 }
action = { kind = "status", status = 503, body = "{}", headers = { Retry-After = 3 } }
)");
  ASSERT_TRUE(plan.has_value()) << rollproof::to_string(plan.error());
  ASSERT_EQ(plan->rules.size(), 1u);
  const auto& r = plan->rules[0];
  EXPECT_EQ(r.name, "five-percent-503");
  EXPECT_EQ(r.match.method, "POST");
  EXPECT_EQ(r.match.path, "*/files");
  ASSERT_TRUE(r.match.header.has_value());
  EXPECT_EQ(r.match.header->regex, "route=async");
  EXPECT_EQ(r.match.min_bytes, 1u);
  EXPECT_EQ(r.match.max_bytes, 1000u);
  EXPECT_EQ(r.schedule.probability, 0.05);
  EXPECT_EQ(r.schedule.every, 2u);
  EXPECT_EQ(r.schedule.first, 10u);
  EXPECT_EQ(r.schedule.after, 1u);
  EXPECT_EQ(r.action.kind, action_kind::status);
  EXPECT_EQ(r.action.status, 503u);
  EXPECT_EQ(r.action.body, "{}");
  ASSERT_EQ(r.action.headers.size(), 1u);
  EXPECT_EQ(r.action.headers[0], (std::pair<std::string, std::string>{"Retry-After", "3"}));
}

TEST(parse_fault_plan, accepts_an_empty_plan_and_an_empty_rule_list) {
  ASSERT_TRUE(parse_toml("").has_value());
  ASSERT_TRUE(parse_toml("rules = []").has_value());
}

TEST(parse_fault_plan, reads_every_action_kind_with_its_parameters) {
  const auto plan = parse_toml(R"(
rules = [
  { name = "a", action = { kind = "latency", ms = 300 } },
  { name = "b", action = { kind = "latency", distribution = "uniform", min_ms = 10, max_ms = 20 } },
  { name = "c", action = { kind = "latency", distribution = "lognormal", median_ms = 50, sigma = 0.5, max_ms = 900 } },
  { name = "d", action = { kind = "bandwidth", request_bytes_per_s = 1000, response_bytes_per_s = 10 } },
  { name = "e", action = { kind = "reset", after_bytes = 65536 } },
  { name = "f", action = { kind = "close" } },
  { name = "g", action = { kind = "stall" } },
  { name = "h", action = { kind = "empty" } },
  { name = "i", action = { kind = "malformed" } },
  { name = "j", action = { kind = "truncate", bytes = 5 } },
  { name = "k", action = { kind = "slow_close", delay_ms = 200 } },
  { name = "l", action = { kind = "corrupt", offset = 7 } },
]
)");
  ASSERT_TRUE(plan.has_value()) << rollproof::to_string(plan.error());
  ASSERT_EQ(plan->rules.size(), 12u);
  EXPECT_EQ(plan->rules[0].action.ms, 300u);
  EXPECT_EQ(plan->rules[1].action.distribution, latency_distribution::uniform);
  EXPECT_EQ(plan->rules[2].action.sigma, 0.5);
  EXPECT_EQ(plan->rules[3].action.response_bytes_per_s, 10u);
  EXPECT_EQ(plan->rules[4].action.after_bytes, 65536u);
  EXPECT_EQ(plan->rules[9].action.bytes, 5u);
  EXPECT_EQ(plan->rules[10].action.delay_ms, 200u);
  EXPECT_EQ(plan->rules[11].action.offset, 7u);
  EXPECT_EQ(to_string(plan->rules[10].action.kind), "slow_close");
}

TEST(parse_fault_plan, round_trips_through_json) {
  const auto plan = parse_toml(R"(
rules = [
  { name = "s", match = { path = "/v1/*", header = { name = "UA", regex = "x" } }, schedule = { first = 2 }, action = { kind = "status", status = 429, headers = { Retry-After = "1" } } },
  { name = "l", schedule = { probability = 0.25 }, action = { kind = "latency", distribution = "lognormal", median_ms = 12.5, sigma = 0.3, max_ms = 100 } },
  { name = "r", match = { min_bytes = 10 }, action = { kind = "reset", after_bytes = 3 } },
]
)");
  ASSERT_TRUE(plan.has_value()) << rollproof::to_string(plan.error());
  const auto again = parse_fault_plan(to_json(*plan), "x.json");
  ASSERT_TRUE(again.has_value()) << rollproof::to_string(again.error());
  EXPECT_EQ(*again, *plan);
}

TEST(parse_fault_plan, reports_every_error_at_once_with_file_line_and_column) {
  const auto errors = toml_errors(R"([[rules]]
name = "x"
match = { methd = "POST" }
schedule = { probability = 1.5, every = 0 }
action = { kind = "explode" }

[[rules]]
name = "x"
action = { kind = "status" }
)");
  const std::vector<std::string> expected{
      "faults.toml:3:11: rules[0].match.methd: unknown key 'methd' in match (expected one of: "
      "method, path, header, min_bytes, max_bytes)",
      "faults.toml:4:14: rules[0].schedule.probability: must be at least 0 and at most 1, got "
      "1.5",
      "faults.toml:4:33: rules[0].schedule.every: must be at least 1, got 0",
      "faults.toml:5:12: rules[0].action.kind: unknown action kind 'explode' (expected one of: "
      "status, latency, bandwidth, reset, close, stall, empty, malformed, truncate, slow_close, "
      "corrupt)",
      "faults.toml:9:1: rules[1].action: missing required key 'status'",
  };
  EXPECT_EQ(errors, expected);
}

TEST(parse_fault_plan, reports_wrong_types_and_missing_keys) {
  const auto errors = toml_errors(R"(
[[rules]]
match = { path = 5 }
action = { kind = "latency" }

[[rules]]
name = "y"
)");
  const std::vector<std::string> expected{
      "faults.toml:2:1: rules[0]: missing required key 'name'",
      "faults.toml:3:11: rules[0].match.path: expected a string, got integer",
      "faults.toml:4:1: rules[0].action: missing required key 'ms'",
      "faults.toml:6:1: rules[1]: missing required key 'action'",
  };
  EXPECT_EQ(errors, expected);
}

TEST(parse_fault_plan, rejects_duplicate_names_unknown_top_level_keys_and_bad_regexes) {
  const auto errors = toml_errors(R"(
extra = 1
[[rules]]
name = "d"
match = { header = { name = "User-Agent", regex = "(" } }
action = { kind = "close" }
[[rules]]
name = "d"
action = { kind = "close", after_bytes = 1 }
)");
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0],
            "faults.toml:2:1: extra: unknown key 'extra' in fault plan (expected one of: rules)");
  EXPECT_TRUE(
      errors[1].starts_with("faults.toml:5:43: rules[0].match.header.regex: invalid regex '('"))
      << errors[1];
  EXPECT_EQ(errors[2],
            "faults.toml:9:28: rules[1].action.after_bytes: unknown key 'after_bytes' in action "
            "'close' (expected one of: kind)");
}

TEST(parse_fault_plan, rejects_out_of_range_values) {
  const auto errors = toml_errors(R"(
rules = [
  { name = "a", action = { kind = "status", status = 99 } },
  { name = "b", action = { kind = "latency", distribution = "uniform", min_ms = 5, max_ms = 1 } },
  { name = "c", action = { kind = "bandwidth", request_bytes_per_s = 0 } },
  { name = "d", match = { min_bytes = 10, max_bytes = 1, method = "post" }, action = { kind = "empty" } },
]
)");
  const std::vector<std::string> expected{
      "faults.toml:3:45: rules[0].action.status: must be between 100 and 599, got 99",
      "faults.toml:4:84: rules[1].action.max_ms: must be at least min_ms (5), got 1",
      "faults.toml:5:48: rules[2].action.request_bytes_per_s: must be at least 1, got 0",
      "faults.toml:6:58: rules[3].match.method: unknown method 'post' (expected an upper-case HTTP "
      "method)",
      "faults.toml:6:43: rules[3].match.max_bytes: must be at least min_bytes (10), got 1",
  };
  EXPECT_EQ(errors, expected);
}

TEST(parse_fault_plan, refuses_a_body_on_a_status_that_ends_at_its_header) {
  const auto errors = toml_errors(R"(
rules = [
  { name = "a", action = { kind = "status", status = 204, body = "x" } },
  { name = "b", action = { kind = "status", status = 101, body = "" } },
  { name = "c", action = { kind = "status", status = 304, body = "{}" } },
]
)");
  const std::vector<std::string> expected{
      "faults.toml:3:59: rules[0].action.body: a 204 response has no body (RFC 9110); remove "
      "'body'",
      "faults.toml:4:59: rules[1].action.body: a 101 response has no body (RFC 9110); remove "
      "'body'",
      "faults.toml:5:59: rules[2].action.body: a 304 response has no body (RFC 9110); remove "
      "'body'",
  };
  EXPECT_EQ(errors, expected);
  EXPECT_TRUE(parse_toml(R"(rules = [{ name = "n", action = { kind = "status", status = 204 } }])")
                  .has_value());
}

TEST(parse_fault_plan, refuses_the_headers_that_frame_a_response_in_any_case) {
  const auto errors = toml_errors(R"(
rules = [
  { name = "a", action = { kind = "status", status = 503, headers = { content-length = "0" } } },
  { name = "b", action = { kind = "status", status = 503, headers = { Transfer-Encoding = "gzip" } } },
  { name = "c", action = { kind = "status", status = 503, headers = { CONNECTION = "close" } } },
]
)");
  const std::vector<std::string> expected{
      "faults.toml:3:71: rules[0].action.headers.content-length: header 'content-length' frames "
      "the response, which the mock does itself; a rule cannot set it",
      "faults.toml:4:71: rules[1].action.headers.Transfer-Encoding: header 'Transfer-Encoding' "
      "frames the response, which the mock does itself; a rule cannot set it",
      "faults.toml:5:71: rules[2].action.headers.CONNECTION: header 'CONNECTION' is the mock's "
      "to set; end the connection with action 'close' or 'slow_close'",
  };
  EXPECT_EQ(errors, expected);
  EXPECT_TRUE(parse_toml(R"(rules = [{ name = "n", action = { kind = "status", status = 503, )"
                         R"(headers = { Content-Type = "text/plain", Retry-After = 1 } } }])")
                  .has_value());
}

TEST(parse_fault_plan, refuses_header_names_that_are_not_tokens_and_values_that_inject_lines) {
  const auto errors = toml_errors(R"(
rules = [
  { name = "c", action = { kind = "status", status = 503, headers = { "X-A" = "1\r\nSet-Cookie: s=1", "Bad Name" = "v", "X-Nul" = "a\u0000b" } } },
]
)");
  const std::vector<std::string> expected{
      "faults.toml:3:103: rules[0].action.headers.Bad Name: header name must be a token (RFC "
      "9110: letters, digits and !#$%&'*+-.^_`|~ only)",
      "faults.toml:3:71: rules[0].action.headers.X-A: header value must not contain control "
      "characters (byte 0x0d): only visible characters, spaces and tabs (RFC 9110 5.5)",
      "faults.toml:3:121: rules[0].action.headers.X-Nul: header value must not contain control "
      "characters (byte 0x00): only visible characters, spaces and tabs (RFC 9110 5.5)",
  };
  EXPECT_EQ(errors, expected);
}

// Found by `make fuzz` (regressions/fault_rule_semantics/empty_header_value_in_a_status_fault.bin):
// a DEL byte was accepted and then made every client refuse the whole response.
TEST(parse_fault_plan, refuses_header_values_holding_del_or_other_control_bytes_but_keeps_tabs) {
  const auto errors = toml_errors(R"(
rules = [
  { name = "c", action = { kind = "status", status = 503, headers = { "X-Del" = "\u007f", "X-Esc" = "a\u001bb", "X-Tab" = "a\tb c" } } },
]
)");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0], testing::HasSubstr("X-Del: header value must not contain control "
                                            "characters (byte 0x7f)"));
  EXPECT_THAT(errors[1], testing::HasSubstr("X-Esc: header value must not contain control "
                                            "characters (byte 0x1b)"));
}

TEST(parse_fault_plan, refuses_header_names_and_values_over_their_bounds) {
  const std::string long_name(257, 'X');
  const std::string long_value(16 * 1024 + 1, 'v');
  boost::json::object headers{
      {long_name, "v"}, {"X-Long", long_value}, {"X-Fits", std::string(16 * 1024, 'v')}};
  const boost::json::value plan{
      {"rules",
       {{{"name", "h"}, {"action", {{"kind", "status"}, {"status", 503}, {"headers", headers}}}}}}};
  const auto parsed = parse_fault_plan(plan, "PUT /_mock/faults");
  ASSERT_FALSE(parsed.has_value());
  const std::vector<std::string> expected{
      "PUT /_mock/faults: /rules/0/action/headers/" + long_name +
          ": header name is 257 bytes, at most 256",
      "PUT /_mock/faults: /rules/0/action/headers/X-Long: header value is 16385 bytes, at most "
      "16384",
  };
  EXPECT_EQ(messages_of(parsed.error()), expected);
}

TEST(parse_fault_plan, refuses_regexes_that_need_backtracking_or_a_huge_program) {
  const auto errors = toml_errors(R"(
rules = [
  { name = "a", match = { header = { name = "X", regex = '(a)\1' } }, action = { kind = "close" } },
  { name = "b", match = { header = { name = "X", regex = 'a(?=b)' } }, action = { kind = "close" } },
  { name = "c", match = { header = { name = "X", regex = '(a{1000}){1000}' } }, action = { kind = "close" } },
]
)");
  const std::vector<std::string> expected{
      R"(faults.toml:3:50: rules[0].match.header.regex: invalid regex '(a)\1': invalid escape )"
      R"(sequence: \1)",
      "faults.toml:4:50: rules[1].match.header.regex: invalid regex 'a(?=b)': invalid perl "
      "operator: (?=",
      "faults.toml:5:50: rules[2].match.header.regex: invalid regex '(a{1000}){1000}': invalid "
      "repetition size: {1000}",
  };
  EXPECT_EQ(errors, expected);
}

TEST(parse_fault_plan, names_the_json_pointer_in_json_errors) {
  const auto errors = json_errors(
      R"({"rules":[{"name":"a","action":{"kind":"reset","after_bytes":-1}},{"name":7,"action":{}}]})");
  const std::vector<std::string> expected{
      "PUT /_mock/faults: /rules/0/action/after_bytes: must be at least 0, got -1",
      "PUT /_mock/faults: /rules/1/name: expected a string, got integer",
      "PUT /_mock/faults: /rules/1/action: missing required key 'kind'",
  };
  EXPECT_EQ(errors, expected);
}

TEST(parse_fault_plan, rejects_a_plan_that_is_not_a_table) {
  EXPECT_EQ(json_errors("[1,2]"),
            std::vector<std::string>{"PUT /_mock/faults: /: expected a table, got array"});
  EXPECT_EQ(json_errors(R"({"rules":{}})"),
            std::vector<std::string>{
                "PUT /_mock/faults: /rules: expected an array of tables, got table"});
}

}  // namespace
}  // namespace rollproof::mock
