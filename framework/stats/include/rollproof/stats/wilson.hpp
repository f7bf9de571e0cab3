#pragma once
// Proportions: the Wilson score interval, the MOVER-R interval for a ratio of two proportions,
// and how many trials would settle a proportion claim.

#include <cstdint>
#include <optional>

#include "rollproof/stats/interval.hpp"

namespace rollproof::stats {

// Wilson score interval (Wilson 1927, no continuity correction) for `successes` of `n`;
// [0, 1] when n is 0.
[[nodiscard]] interval wilson_interval(std::uint64_t successes, std::uint64_t n,
                                       double confidence = 0.95);

// Interval for p1/p2 from two Wilson intervals by MOVER-R (Donner & Zou 2012); high is +infinity
// when the lower Wilson bound of p2 is 0, nullopt when p2's estimate is 0 (no ratio to bound).
[[nodiscard]] std::optional<interval> proportion_ratio_interval(std::uint64_t successes1,
                                                                std::uint64_t n1,
                                                                std::uint64_t successes2,
                                                                std::uint64_t n2,
                                                                double confidence = 0.95);

// Smallest n at which the Wilson interval around `observed` lies wholly inside or wholly outside
// [low, high]; nullopt when `observed` sits on a bound (no sample size can decide) or n > 10^9.
[[nodiscard]] std::optional<std::uint64_t> proportion_samples_needed(double observed, double low,
                                                                     double high,
                                                                     double confidence = 0.95);

}  // namespace rollproof::stats
