// libFuzzer target: scenario files that are always valid TOML but hold values at, around and far
// past their bounds (sizes up to and past 16 GiB and 2^64, durations near 24 h, uploads, users and
// concurrency near 1e7, 2^32 and 2^64, arrival rates near 0.001 and 1e5, NaN and infinities,
// repeat near 1000, long dimension and stage lists), through the loader and the planner
// (make_plan), in-process. Oracle: the loader refuses with diagnostics that each carry
// file:line:col, or it accepts a scenario within every documented bound whose plan holds at most
// max_cases cases, each within its bounds (no allocation blow-up; UBSan checks the arithmetic).
// ROLLPROOF_FUZZ_SHOW=1 prints the scenario an input builds.

#include <stdlib.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_input.hpp"
#include "rollproof/framework/loader.hpp"
#include "rollproof/framework/plan.hpp"
#include "rollproof/framework/runner.hpp"
#include "scenario_bounds.hpp"

namespace {

namespace fw = rollproof::framework;
using rollproof::fuzzing::fuzz_input;

const std::array<std::string_view, 16> integers{"0",          "1",
                                                "2",          "999",
                                                "1000",       "1001",
                                                "100000",     "100001",
                                                "10000000",   "10000001",
                                                "4294967295", "4294967296",
                                                "4294967297", "9223372036854775807",
                                                "-1",         "18446744073709551616"};

const std::array<std::string_view, 16> floats{"nan",
                                              "+inf",
                                              "-inf",
                                              "-0.0",
                                              "5e-324",
                                              "1e-300",
                                              "0.001",
                                              "0.000999",
                                              "1e5",
                                              "100000.0001",
                                              "1e308",
                                              "0.5",
                                              "99.99999999999999",
                                              "100.00000000000001",
                                              "1.0",
                                              "4294967296.0"};

const std::array<std::string_view, 22> sizes{"\"16GiB\"",
                                             "\"16384MiB\"",
                                             "\"16777216KiB\"",
                                             "\"17179869184B\"",
                                             "\"17179869185B\"",
                                             "17179869184",
                                             "17179869185",
                                             "\"17.179869184GB\"",
                                             "\"17.179869185GB\"",
                                             "\"16.000000001GiB\"",
                                             "\"1000000GB\"",
                                             "\"18446744073709551616B\"",
                                             "\"18446744073709551615B\"",
                                             "9223372036854775807",
                                             "\"0B\"",
                                             "0",
                                             "-1",
                                             "\"1e3MiB\"",
                                             "\"nanB\"",
                                             "\"infGiB\"",
                                             "\"1.5B\"",
                                             "\"0.0000000001KiB\""};

const std::array<std::string_view, 16> durations{"\"24h\"",
                                                 "\"86400000ms\"",
                                                 "\"86400001ms\"",
                                                 "\"1440m\"",
                                                 "\"1441m\"",
                                                 "\"86399.999s\"",
                                                 "\"0s\"",
                                                 "\"1ms\"",
                                                 "\"0.5ms\"",
                                                 "\"24.000001h\"",
                                                 "\"9223372036854775807ms\"",
                                                 "\"18446744073709551616ms\"",
                                                 "\"1e3s\"",
                                                 "\"-1s\"",
                                                 "\"nans\"",
                                                 "\"0.0000001ms\""};

const std::array<std::string_view, 6> file_types{"\"text\"",     "\"json\"",   "\"csv\"",
                                                 "\"markdown\"", "\"python\"", "\"binary\""};

// A value for a count: a hostile literal, now and then a float or a size-like string.
std::string count(fuzz_input& in) {
  switch (in.below(8)) {
    case 6:
      return std::string(in.pick(floats));
    case 7:
      return std::string(in.pick(sizes));
    default:
      return std::string(in.pick(integers));
  }
}

// A list of `n` distinct values made by `nth`, with hostile ones from `hostile` mixed in.
template <class Nth, class Hostile>
std::string list(fuzz_input& in, std::size_t n, Nth nth, Hostile hostile) {
  std::string out = "[";
  for (std::size_t i = 0; i < n; ++i) {
    if (i != 0) out += ", ";
    out += in.below(4) == 3 ? hostile() : nth(i);  // exhausted input: the plain values
  }
  return out + "]";
}

// Long lists are what blow a plan up: up to 2^k entries (k < 12 from one byte), at most `max`.
std::size_t length(fuzz_input& in, std::size_t max) {
  const std::size_t shift = in.below(12);
  return std::min<std::size_t>(max, in.below((std::size_t{1} << shift) + 1));
}

std::string stage(fuzz_input& in, std::size_t i, std::size_t n) {
  const std::string percent =
      std::to_string(100.0 * static_cast<double>(i) / static_cast<double>(n == 0 ? 1 : n));
  if (in.below(3) != 2) return percent;
  std::string t = "{ percent = " + (in.below(4) == 3 ? std::string(in.pick(floats)) : percent);
  if (in.flag()) t += ", users = " + count(in);
  if (in.flag()) t += ", uploads = " + count(in);
  return t + " }";
}

std::string scenario_text(fuzz_input& in) {
  std::string s = "[scenario]\nname = \"bounds\"\n";
  if (in.flag()) s += "seed = " + std::string(in.pick(integers)) + "\n";
  if (in.flag()) s += "time_limit = " + std::string(in.pick(durations)) + "\n";
  if (in.flag()) s += "repeat = " + count(in) + "\n";
  const bool glm = in.flag();
  if (in.flag()) s += "\n[providers.kimi]\nmax_file_size = " + std::string(in.pick(sizes)) + "\n";
  s += "\n[matrix]\n";
  s += "providers = " + std::string(glm ? "[\"kimi\", \"glm\"]" : "[\"kimi\"]") + "\n";
  if (in.flag())
    s += "file_types = " +
         list(
             in, 1 + in.below(6), [](std::size_t i) { return std::string(file_types[i]); },
             [&] { return std::string(in.pick(file_types)); }) +
         "\n";
  if (in.flag())
    s += "sizes = " +
         list(
             in, length(in, 4096),
             [](std::size_t i) {
               std::string size = "\"";  // in steps: GCC 12 warns falsely on "a" + s + "b"
               size += std::to_string(i + 1);
               return size += "B\"";
             },
             [&] { return std::string(in.pick(sizes)); }) +
         "\n";
  if (in.flag())
    s += "concurrency = " +
         list(
             in, length(in, 4096), [](std::size_t i) { return std::to_string(i + 1); },
             [&] { return count(in); }) +
         "\n";
  if (in.flag()) {
    const std::size_t n = length(in, 4096);
    s += "stages = " +
         list(
             in, n, [&](std::size_t i) { return stage(in, i, n); },
             [&] { return stage(in, in.below(n + 1), n); }) +
         "\n";
  } else if (in.flag()) {
    s += in.flag() ? "routes = [\"sync\", \"async\"]\n" : "routes = \"async\"\n";
  }
  if (in.flag()) s += "uploads = " + count(in) + "\n";
  if (in.flag())
    s += "model = \"open\"\narrival_rate = " +
         (in.below(4) == 3 ? count(in) : std::string(in.pick(floats))) + "\n";
  if (in.flag()) {
    s += "include = [";
    for (std::size_t i = 0, n = 1 + in.below(4); i < n; ++i) {
      const std::string concurrency = count(in);  // read in the order written
      s += std::string(i == 0 ? "" : ", ") + "{ concurrency = " + concurrency +
           ", uploads = " + count(in) + " }";
    }
    s += "]\n";
  }
  if (in.flag())
    s += "\n[[claim]]\nid = \"bounded\"\ntext = \"every upload arrives\"\nmetric = "
         "\"success_rate\"\nexpect = { at_least = " +
         std::string(in.pick(floats)) + " }\n";
  return s;
}

// One scenario file, rewritten per input: make_plan reads files, as `rollproof run` does.
const std::filesystem::path& scenario_file() {
  static const std::filesystem::path file = [] {
    std::string dir = (std::filesystem::temp_directory_path() / "rollproof-fuzz-XXXXXX").string();
    if (::mkdtemp(dir.data()) == nullptr) __builtin_trap();
    return std::filesystem::path(dir) / "bounds.toml";
  }();
  return file;
}

void check_diagnostics(const rollproof::diagnostics& found, const std::string& file) {
  if (found.empty()) __builtin_trap();  // a refusal must say why
  for (const auto& d : found)
    if (d.where.file != file || d.where.line == 0 || d.where.column == 0 || d.message.empty())
      __builtin_trap();
}

void check_plan(const std::string& text, fuzz_input& in) {
  {
    std::ofstream out(scenario_file(), std::ios::binary | std::ios::trunc);
    out << text;
  }
  const std::array<std::optional<std::uint32_t>, 4> repeats{std::nullopt, 1, 7,
                                                            rollproof::max_repeat};
  const auto repeat = in.pick(repeats);
  const std::optional<fw::shard_spec> shard =
      in.flag() ? std::optional<fw::shard_spec>() : fw::shard_spec{in.below(3), 3};
  const auto plan = fw::make_plan({scenario_file().string()}, "", shard, repeat, std::nullopt);
  if (!plan) return check_diagnostics(plan.error(), scenario_file().string());
  if (plan->plan_cases > fw::max_cases || plan->cases.size() > plan->plan_cases) __builtin_trap();
  for (const auto& c : plan->cases)
    if (!rollproof::fuzzing::within_bounds(c)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz_input in(data, size);
  const std::string text = scenario_text(in);
  if (std::getenv("ROLLPROOF_FUZZ_SHOW") != nullptr) std::cerr << text << "\n";  // for triage
  const auto loaded = fw::load_scenario_text(text, "fuzz.toml");
  if (!loaded) {
    check_diagnostics(loaded.error(), "fuzz.toml");
    return 0;
  }
  if (!rollproof::fuzzing::within_bounds(*loaded)) __builtin_trap();
  check_plan(text, in);
  return 0;
}
