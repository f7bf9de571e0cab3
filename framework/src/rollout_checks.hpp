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

}  // namespace rollproof::framework::detail
