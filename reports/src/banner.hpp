#pragma once
// The verdict banner both summary.md and report.html open with: pass or fail in words, the facts
// a release manager checks first, the counts, the faults the mocks injected and the rollbacks.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "rollproof/reports/run_record.hpp"

namespace rollproof::reports::detail {

// The run's overall outcome, by the rule `rollproof run` exits by (without --fail-on).
enum class outcome { pass, fail, partial };

// The outcome with its reasons in words, facts, counts, faults and rollbacks.
struct banner {
  outcome result = outcome::pass;
  std::string word;                  // "PASS", "FAIL" or "PARTIAL"
  std::vector<std::string> reasons;  // e.g. "1 claim refuted"; empty for a clean pass
  std::vector<std::pair<std::string, std::string>> facts;  // commit, branch, seed, when, ...
  std::uint64_t faults = 0;               // faults the mocks injected, over all cases
  std::uint64_t cases_with_faults = 0;    // cases in which the mocks injected at least one
  std::uint64_t cases_fault_counted = 0;  // cases whose record carries the mocks' count
  std::vector<std::string> rollbacks;     // "rollout/stage-50 rolled back to 10%"

  // The reasons joined with "; " ("" for a clean pass), as both writers show them.
  [[nodiscard]] std::string reasons_text() const;
};

// Fail when a case failed or ended in error, the run was aborted, or a claim was refuted or
// could not be judged; partial for a merge that lacks shards; pass otherwise.
[[nodiscard]] banner banner_of(const run_record& run);

// The faults the mocks injected in `c` by rule name, from its `faults_by_rule.<rule>` values.
[[nodiscard]] std::map<std::string, std::uint64_t> faults_by_rule(const case_record& c);

// "slow-tail-503: 2, slow-tail-late: 5", "none" when the mocks injected none, "not recorded"
// when the record has no `faults_injected` value (a run from before the runner counted them).
[[nodiscard]] std::string faults_text(const case_record& c);

}  // namespace rollproof::reports::detail
