#pragma once
// A whole run: load the scenarios, plan, supervise the mocks, run every case, judge the claims,
// write the reports, and decide the exit code.

#include <atomic>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "rollproof/common/diagnostic.hpp"
#include "rollproof/framework/claim_groups.hpp"
#include "rollproof/framework/plan.hpp"
#include "rollproof/framework/scenario.hpp"
#include "rollproof/framework/terminal.hpp"
#include "rollproof/reports/run_record.hpp"

namespace rollproof::framework {

// Exit codes of the CLI (DESIGN.md).
enum exit_code : int { exit_ok = 0, exit_failed = 1, exit_invalid = 2, exit_infrastructure = 3 };

// What `rollproof run` was asked to do.
struct run_options {
  std::vector<std::string> inputs;  // FILE|DIR...
  std::filesystem::path out_dir = "out";
  std::string filter;  // glob over case ids
  std::optional<shard_spec> shard;
  std::optional<std::uint64_t> seed;    // overrides every scenario's seed
  std::optional<std::uint32_t> repeat;  // overrides every scenario's repeat
  std::vector<std::string> subject;     // overrides [subject].command
  bool fail_on_inconclusive = false;
  color_mode color = color_mode::automatic;  // of the progress (stderr) and the table (stdout)
  std::filesystem::path bin_dir;             // where rollproof-mock and rollproof-upload are
  std::vector<std::string> argv;             // for provenance
};

// The loaded scenarios and the cases selected from them, in plan order.
struct run_plan {
  std::vector<scenario> scenarios;
  std::vector<case_spec> cases;                   // filtered and sharded
  std::vector<std::uint64_t> plan_index;          // each case's position in the unsharded plan
  std::size_t plan_cases = 0;                     // cases of the unsharded plan (after the filter)
  std::map<claim_key, std::string> split_claims;  // comparisons --filter/--shard split: reason
};

// Loads every input and selects the cases; on invalid input every diagnostic of every file.
[[nodiscard]] std::expected<run_plan, diagnostics> make_plan(const std::vector<std::string>& inputs,
                                                             const std::string& filter,
                                                             std::optional<shard_spec> shard,
                                                             std::optional<std::uint32_t> repeat,
                                                             std::optional<std::uint64_t> seed);

// The exit code a finished run deserves: 3 when a case errored or the run was aborted, 1 when a
// case failed or a claim was refuted or errored (or inconclusive with `fail_on_inconclusive`;
// claims are not judged for the exit of a shard, `merge` does that), else 0.
[[nodiscard]] int exit_code_for(const reports::run_record& run, bool fail_on_inconclusive,
                                bool sharded);

// Runs a plan, writes the reports under options.out_dir, prints progress to `progress` and the
// claims table and report paths to `out`; SIGINT/SIGTERM stop it early (reports marked aborted).
[[nodiscard]] int run_scenarios(const run_options& options, std::ostream& out,
                                std::ostream& progress);

// Judges the claims of every scenario against its cases as one family under the run's [claims]
// error control (the strictest the files state; Holm at 0.05 when none does), which it records
// in run.error_control (needs the claims library).
void judge_claims(const std::vector<scenario>& scenarios, reports::run_record& run);

}  // namespace rollproof::framework
