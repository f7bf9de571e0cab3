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
};

// Estimates the claim's quantity, or says why the claim cannot be judged (an error verdict).
std::expected<estimate, std::string> estimate_claim(const estimate_input& in);

}  // namespace rollproof::claims::detail
