#pragma once
// Mann-Whitney U / Wilcoxon rank-sum test with the Hodges-Lehmann shift and its confidence
// interval, computed as R's wilcox.test(x, y, conf.int = TRUE, exact = FALSE, correct = ...):
// the interval (and, for large samples, the estimate) by inverting the normal approximation.

#include <optional>
#include <span>

#include "rollproof/stats/interval.hpp"

namespace rollproof::stats {

// The test's outcome; `shift` estimates location(x) - location(y).
struct mann_whitney_result {
  double w = 0;                         // R's W: rank sum of x minus n_x(n_x+1)/2 (= U of x)
  double z = 0;                         // normal approximation with tie and continuity correction
  double p_value = 1;                   // two-sided
  std::optional<double> exact_p_value;  // two-sided, without ties and both n < 50 (R's rule)
  double shift = 0;   // Hodges-Lehmann: median of all x_i - y_j (R's root at z = 0 when
                      // n_x n_y > 4e6 pairs, as R's exact = FALSE path computes it)
  interval shift_ci;  // the shifts d the test of x - d against y does not reject (R's asymptotic
                      // interval; ends at the jumps of the step function, each end included
                      // when the test does not reject it). It contains 0 exactly when p_value >=
                      // 1 - confidence; low > high when the test rejects every shift (data
                      // that are mostly ties, where R's interval is reversed too)
};

// Runs the two-sided test (continuity correction on by default, as R's `correct = TRUE`);
// nullopt when either sample is empty or every observation is tied. The normal approximation
// behind p_value and shift_ci is R's exact = FALSE path, which R uses from 50 per sample or with
// ties; below that exact_p_value is the one to read.
[[nodiscard]] std::optional<mann_whitney_result> mann_whitney(std::span<const double> x,
                                                              std::span<const double> y,
                                                              double confidence = 0.95,
                                                              bool continuity_correction = true);

}  // namespace rollproof::stats
