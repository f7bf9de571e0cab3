#pragma once
// The claims of a run judged as one family: each claim's interval at a level adjusted for the
// number of claims, so that a run of 50 claims does not verify or refute a few by chance alone.
//
// A claim is decided (verified or refuted) at level 1 - a when its interval at that level lies
// wholly inside or wholly outside the claimed range; the smallest such a is its p-value, and the
// intervals of one claim are nested in a (Wilson, order statistics, a seeded bootstrap). Holm's
// step-down procedure on those p-values is then: judge every claim at 1 - alpha/m; with r decided,
// judge the rest at 1 - alpha/(m - r); stop when a round decides none. Benjamini-Hochberg's
// step-up: the largest k such that at least k claims are decided at 1 - k alpha/m; every claim is
// judged at that level (at 1 - alpha/m when k is 0). The family is the claims that have an
// interval at the raw level 1 - alpha (not unverifiable, error, as_measured or p-value claims).

#include <cstdint>
#include <span>
#include <vector>

#include "rollproof/claims/claim.hpp"
#include "rollproof/reports/run_record.hpp"

namespace rollproof::claims {

// One claim of the family with the cases it is judged on and its seed.
struct family_member {
  claim_spec spec;
  std::span<const rollproof::reports::case_record> cases;
  std::uint64_t seed = 0;
};

// Judges every member under `control.method` ("holm", "bh", "none") at `control.alpha` and sets
// control.family_size; the records keep the members' order, each with measured.ci at its adjusted
// level and measured.raw_ci at 1 - alpha (under none, at the claim's own confidence, both equal).
[[nodiscard]] std::vector<rollproof::reports::claim_record> evaluate_family(
    std::span<const family_member> members, rollproof::reports::error_control& control);

}  // namespace rollproof::claims
