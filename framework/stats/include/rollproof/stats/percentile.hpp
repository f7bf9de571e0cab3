#pragma once
// Sample percentiles, R's default definition (Hyndman & Fan 1996 type 7), and an exact
// distribution-free confidence interval for a population percentile from order statistics.

#include <optional>
#include <span>

#include "rollproof/stats/interval.hpp"

namespace rollproof::stats {

// Type-7 percentile of `xs` (any order) at `p` in [0, 1]: h = (n-1)p, x[floor h] + (h - floor h)
// (x[floor h + 1] - x[floor h]) over the sorted values; nullopt for an empty sample or p outside.
[[nodiscard]] std::optional<double> percentile(std::span<const double> xs, double p);

// Type-7 median of `xs`; nullopt when empty.
[[nodiscard]] std::optional<double> median(std::span<const double> xs);

// Arithmetic mean of `xs`; nullopt when empty.
[[nodiscard]] std::optional<double> mean(std::span<const double> xs);

// Order-statistic interval [x(l), x(u)] covering the population p-quantile with probability >=
// confidence (binomial, Conover 1999 §3.2), widened to contain the type-7 estimate; a side is
// infinite when n is too small to bound it.
[[nodiscard]] interval percentile_interval(std::span<const double> xs, double p,
                                           double confidence = 0.95);

}  // namespace rollproof::stats
