#pragma once
// Two-sample Kolmogorov-Smirnov test: D = sup |F_x - F_y|, asymptotic p-value from Boost.Math's
// kolmogorov_smirnov distribution at sqrt(n m / (n + m)) D (R's ks.test(exact = FALSE)).

#include <optional>
#include <span>

namespace rollproof::stats {

// The test's outcome.
struct ks_result {
  double d = 0;        // largest distance between the two empirical CDFs
  double p_value = 1;  // two-sided, asymptotic
};

// Runs the two-sided test; nullopt when either sample is empty.
[[nodiscard]] std::optional<ks_result> ks_two_sample(std::span<const double> x,
                                                     std::span<const double> y);

}  // namespace rollproof::stats
