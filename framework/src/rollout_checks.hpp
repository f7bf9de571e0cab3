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
