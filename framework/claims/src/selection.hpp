#pragma once
// Which cases a claim's selectors pick, and what a metric samples from them.

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "rollproof/claims/claim.hpp"

namespace rollproof::claims::detail {

using selector = std::map<std::string, std::string>;

// True when every key of `s` matches the case (glob values; keys `id`, `scenario`, `status` match
// the case's own fields, others its parameters; a missing parameter never matches).
bool matches(const selector& s, const rollproof::reports::case_record& c);

// The cases of `scenario` (every scenario when empty) that `s` selects; skipped cases are left out
// unless the selector names `status`.
std::vector<const rollproof::reports::case_record*> select(
    std::span<const rollproof::reports::case_record> cases, const std::string& scenario,
    const selector& s);

// The cases each side of a claim compares: `cases` narrows both sides of a ratio or reduction (a
// side's own keys win); a claim of one side selects by `cases`, else by `candidate`.
struct sides {
  bool comparative = false;  // ratio or reduction: baseline against candidate
  std::vector<const rollproof::reports::case_record*> baseline;  // empty unless comparative
  std::vector<const rollproof::reports::case_record*> candidate;
};

// The two sides of `spec` among `cases`.
sides select_sides(const claim_spec& spec, std::span<const rollproof::reports::case_record> cases);

// How a metric is sampled.
enum class metric_kind {
  upload_proportion,
  upload_latency,
  case_value,
  case_proportion,
  value_proportion,
  bucket_uniformity,
  unknown
};

// The kind of `metric` given the selected cases (named values are looked up in them).
metric_kind kind_of(const std::string& metric,
                    const std::vector<const rollproof::reports::case_record*>& cases);

// Successes and trials of a proportion metric.
struct counts {
  std::uint64_t successes = 0;
  std::uint64_t trials = 0;
};

// Counts a proportion metric (upload, case or named-value proportion) over the cases.
counts count(const std::string& metric, metric_kind kind,
             const std::vector<const rollproof::reports::case_record*>& cases);

// The sample of a per-upload or per-case metric, sorted ascending (so that results do not depend
// on the order of the cases, which differs between a sharded and an unsharded run).
std::vector<double> sample(const std::string& metric, metric_kind kind,
                           const std::vector<const rollproof::reports::case_record*>& cases);

// Bucket counts bucket_count.0 .. bucket_count.<k-1> summed over the cases (empty when absent).
std::vector<std::uint64_t> bucket_counts(
    const std::vector<const rollproof::reports::case_record*>& cases);

// The metric names the engine knows besides named values, for error messages.
const std::vector<std::string>& builtin_metrics();

}  // namespace rollproof::claims::detail
