#pragma once
// Pearson's chi-square goodness-of-fit test, p-value from Boost.Math's chi_squared distribution.

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

}  // namespace rollproof::stats
