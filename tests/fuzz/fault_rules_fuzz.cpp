// libFuzzer target: the fault rule language in both shapes (first byte: even TOML, odd JSON);
// every accepted plan must survive to_json and parse back to itself (fault_rules.hpp's promise),
// and the fault engine must decide on it, with the input itself as every header, without hanging
// or crashing (hostile meaning: catastrophic regexes, huge headers).

#include <toml++/toml.h>

#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rollproof/mock/fault_engine.hpp"
#include "rollproof/mock/fault_rules.hpp"

namespace {

namespace mock = rollproof::mock;

void check_round_trip(const mock::fault_plan& plan) {
  const auto again = mock::parse_fault_plan(mock::to_json(plan), "round-trip.json");
  if (!again || !(*again == plan)) __builtin_trap();
}

void check_decides(const mock::fault_plan& plan, std::string_view header_value) {
  mock::fault_engine engine(1);
  engine.set_plan(plan);
  const mock::request_facts request{
      "POST", "/v1/files", header_value.size(),
      [&](std::string_view) { return std::optional<std::string>(header_value); }};
  (void)engine.decide(request);
}

void check(const mock::fault_plan& plan, std::string_view text) {
  check_round_trip(plan);
  check_decides(plan, text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    toml::table table;
    try {
      table = toml::parse(text, std::string_view{"fuzz.toml"});
    } catch (const toml::parse_error&) {
      return 0;  // not TOML at all: toml++'s own business, not the rule parser's
    }
    if (auto plan = mock::parse_fault_plan(table, "fuzz.toml")) check(*plan, text);
  } else {
    boost::system::error_code ec;
    const auto value = boost::json::parse(text, ec);
    if (ec) return 0;
    if (auto plan = mock::parse_fault_plan(value, "fuzz.json")) check(*plan, text);
  }
  return 0;
}
