#pragma once
// A two-sided confidence interval, as every estimator of rollproof::stats returns it.

#include <limits>

namespace rollproof::stats {

// [low, high] at `confidence` (0.95 = 95%); a side that the data cannot bound is +-infinity.
struct interval {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  double confidence = 0.95;
};

// The two-sided standard normal quantile for `confidence` (1.959964 for 0.95), from Boost.Math.
[[nodiscard]] double normal_quantile_two_sided(double confidence);

}  // namespace rollproof::stats
