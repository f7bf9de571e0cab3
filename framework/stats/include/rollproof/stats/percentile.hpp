#pragma once
// Sample percentiles and an exact distribution-free confidence interval for a population
// percentile from order statistics.
//
// The one percentile definition of rollproof: every p50/p95/p99 (case checks, rollback gates,
// claims, bootstrap statistics and every report) is `percentile` below, Hyndman & Fan (1996)
// type 7, which is R's default `quantile(x, p, type = 7)` and numpy's default
// `numpy.percentile(x, 100 * p)` (method "linear"). Chosen over nearest rank (type 1) because
// anyone can reproduce a reported figure from the samples in evidence.json with those tools'
// defaults, and because it is continuous in the data, which a bootstrap of a percentile needs
// (nearest rank jumps between order statistics). Edge cases: an empty sample has no percentile
// (nullopt); one sample is its own percentile at every p; p = 0 is the minimum and p = 1 the
// maximum; the value may lie between two observations.

#include <optional>
#include <span>

#include "rollproof/stats/interval.hpp"

namespace rollproof::stats {

// Type-7 percentile of `xs` (any order) at `p` in [0, 1]: h = (n-1)p, x[floor h] + (h - floor h)
// (x[floor h + 1] - x[floor h]) over the sorted values; nullopt for an empty sample or p outside.
[[nodiscard]] std::optional<double> percentile(std::span<const double> xs, double p);

// The same type-7 percentile, computed by selection in O(n) and reordering `xs` instead of
// copying it: for callers that evaluate it many times on scratch data (the bootstrap).
[[nodiscard]] std::optional<double> percentile_in_place(std::span<double> xs, double p);

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
