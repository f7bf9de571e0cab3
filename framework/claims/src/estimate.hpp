#pragma once
// The measured quantity of a claim with its interval, by the method its metric calls for.

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "rollproof/claims/claim.hpp"

namespace rollproof::claims::detail {

// What estimate_claim works on: the spec and the selected cases (baseline only when comparative).
struct estimate_input {
  const claim_spec& spec;
  std::uint64_t seed = 0;
  bool comparative = false;
  std::vector<const rollproof::reports::case_record*> baseline;
  std::vector<const rollproof::reports::case_record*> candidate;
};

// What one sample of an estimate is, so that an undecided claim can name the scenario key that
// would bring more of them: `repeat` in [scenario] for cases, `uploads` in [matrix] for uploads.
enum class sample_unit { none, uploads, users, cases };

// The fewest cases per arm a percentile bootstrap over per-case values is judged on: below that
// the resamples repeat a handful of values and the interval is far narrower than the truth.
inline constexpr std::uint64_t bootstrap_min_cases = 8;

// The value (a ratio when comparative) and its interval; `enough` is false when there are too
// few samples to judge, with the reason and the sample size that would do.
struct estimate {
  std::optional<double> value;
  double low = 0;
  double high = 0;
  bool interval_known = true;
  std::uint64_t n = 0;            // all samples (both groups)
  std::uint64_t n_per_group = 0;  // the smaller group
  std::string method;
  std::string quantity;  // e.g. "candidate/baseline ratio of p99 latency_ms"
  bool enough = true;
  std::string why_undecided;
  std::optional<std::uint64_t> samples_needed;     // when !enough
  std::optional<std::uint64_t> proportion_needed;  // Wilson-based estimate for a straddle
  sample_unit unit = sample_unit::none;            // what n_per_group counts
  std::uint64_t ran_repeat = 1;   // the repeats the smaller group's cells ran (largest index seen)
  std::uint64_t ran_uploads = 0;  // uploads per case of the smaller group (largest seen)
  std::uint64_t ran_users = 0;    // users per stage case of the smaller group (largest seen)
  bool ran_stages = false;        // the smaller group are stage cases (uploads set per stage)
};

// The change to the scenario file that would bring `samples_needed` samples into the smaller
// group, scaled from what `e` ran with, e.g. "add repeat = 8 to [scenario]" or "raise uploads to
// 1200 in [matrix]"; empty when the unit has no such key or nothing is known to scale.
std::string scenario_fix(const estimate& e, std::uint64_t samples_needed);

// Estimates the claim's quantity, or says why the claim cannot be judged (an error verdict).
std::expected<estimate, std::string> estimate_claim(const estimate_input& in);

}  // namespace rollproof::claims::detail
