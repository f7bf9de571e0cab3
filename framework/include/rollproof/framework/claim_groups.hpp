#pragma once
// The cases that one claim compares, kept together: the groups sharding deals whole, and the claims
// a filter or shard set split anyway.

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "rollproof/framework/plan.hpp"
#include "rollproof/framework/scenario.hpp"

namespace rollproof::framework {

// One group label per case of `cases`: cases that the baseline and candidate arms of one ratio or
// reduction claim select (claims::arms_of) share a label, transitively over every such claim of
// their scenario (union-find); a case no claim compares has a label of its own. Without the claims
// library every case is its own group.
[[nodiscard]] std::vector<std::size_t> claim_groups(const std::vector<scenario>& scenarios,
                                                    const std::vector<case_spec>& cases);

// (scenario name, claim id) of a claim.
using claim_key = std::pair<std::string, std::string>;

// The ratio and reduction claims that have cases in `before` on an arm that has none in `after`
// (the cases that remain once `cause`, e.g. "--filter", removed some), each with the reason, e.g.
// "its candidate arm has no cases in this run: filtered out by --filter".
[[nodiscard]] std::map<claim_key, std::string> claims_split_by(
    const std::vector<scenario>& scenarios, const std::vector<case_spec>& before,
    const std::vector<case_spec>& after, const std::string& cause);

}  // namespace rollproof::framework
