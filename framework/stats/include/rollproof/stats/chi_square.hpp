#pragma once
// Pearson's chi-square tests (goodness of fit, independence of a 2x2 table), p-values from
// Boost.Math's chi_squared distribution; the one implementation of both in rollproof.

#include <cstdint>
#include <optional>
#include <span>

namespace rollproof::stats {

// The test's outcome.
struct chi_square_result {
  double statistic = 0;  // sum (observed - expected)^2 / expected
  double df = 0;         // categories - 1
  double p_value = 1;    // upper tail
};

// Tests `observed` counts against `expected_share` (same length, shares summing to 1; empty means
// uniform); nullopt with fewer than 2 categories, no observations, or a non-positive share.
[[nodiscard]] std::optional<chi_square_result> chi_square_goodness_of_fit(
    std::span<const std::uint64_t> observed, std::span<const double> expected_share = {});

// Tests independence of the rows and columns of the 2x2 table `n[row][column]` (Pearson, 1 degree
// of freedom, no continuity correction: R's chisq.test(m, correct = FALSE)); nullopt when a row or
// column is empty, where independence cannot be tested (e.g. a flag at 0% or 100%).
[[nodiscard]] std::optional<chi_square_result> chi_square_independence(
    const std::uint64_t (&n)[2][2]);

}  // namespace rollproof::stats
