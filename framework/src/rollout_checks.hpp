#pragma once
// Rollout checks that span the ledger and other cases: stickiness across stages, fallback count.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <string>
#include <vector>

#include "rollproof/framework/plan.hpp"
#include "rollproof/framework/scenario.hpp"
#include "rollproof/reports/run_record.hpp"

namespace rollproof::framework::detail {

// Stage cases: adds `rollout_sticky` (every user the ledger saw on async at an earlier stage of at
// most this percent is on async again) and records this stage's async users in `async_users`;
// both count only the stage's own uploads (not those sent after a rollback).
void add_rollout_sticky_check(const case_spec& spec, std::map<std::string, double>& async_users,
                              reports::case_record& rec);

// Adds check `name` with values `name` and `name.n`: the users of `phase` are on the async route
// in the share `percent` / 100 (exactly at 0 and 100%, else inside the exact 99.9% Clopper-Pearson
// interval over users, which misses at most 1 in 1000 where Wilson's misses up to 3 in 1000 at
// small n*p) and none started on both routes; `when` opens the expectation ("at the 10% stage").
void add_share_check(reports::case_record& rec, const std::string& name, double percent,
                     reports::upload_phase phase, const std::string& when);

// The level below which a stage's exposure split is a sample ratio mismatch: strict, as
// experimentation platforms set it, because a mismatch means the assignment itself is broken.
inline constexpr double srm_alpha = 0.001;

// Adds check `sample_ratio_mismatch` with value `sample_ratio_mismatch.p`: Pearson's chi-square of
// the stage's distinct users on the async and sync routes (ledger, the stage's own uploads)
// against the configured split percent / (100 - percent); it fails when p < srm_alpha. At 0% and
// 100% the split has one arm and the check does not run (rollout_share checks it exactly).
void add_srm_check(reports::case_record& rec, double percent);

}  // namespace rollproof::framework::detail

namespace rollproof::framework::detail {

// The outcome of a stage's gates, one measurement per window of uploads (Argo's AnalysisRun).
struct gate_analysis {
  bool tripped = false;  // failed > failure_limit, inconclusive > inconclusive_limit, or
                         // consecutive errors > consecutive_error_limit
  std::uint32_t successful = 0, failed = 0, inconclusive = 0, errors = 0;
  std::uint32_t worst_error_run = 0;
  std::string first_failure;  // which gate failed first, with its value
  [[nodiscard]] std::string describe() const;
};

// Judges `samples` (answered uploads in send order) against the gates, with routes and first
// attempt statuses from `ledger`.
[[nodiscard]] gate_analysis analyse_gates(const rollback_spec& rb,
                                          const std::vector<reports::upload_sample>& samples,
                                          std::size_t count, const boost::json::array& ledger);

// Adds `rollback_triggered` (the gates tripped exactly when the scenario expects a rollback) and,
// after a rollback to `to_percent`, `rollback_left_async` (the after_rollback uploads' users follow
// the rolled-back percent: add_share_check) and `rollback_no_loss` (every ok upload stored).
void add_rollback_checks(const rollback_spec& rb, const gate_analysis& gates, double to_percent,
                         reports::case_record& rec);

// The percent a stage at `percent` rolls back to: the stage before it in the matrix, or 0.
[[nodiscard]] double rollback_target(const scenario& sc, double percent);

}  // namespace rollproof::framework::detail
