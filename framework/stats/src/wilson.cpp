#include "rollproof/stats/wilson.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rollproof::stats {

interval wilson_interval(std::uint64_t successes, std::uint64_t n, double confidence) {
  interval out{0, 1, confidence};
  if (n == 0) return out;
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(std::min(successes, n)) / nn;
  const double z = normal_quantile_two_sided(confidence);
  const double z2 = z * z;
  const double denom = 1 + z2 / nn;
  const double centre = (p + z2 / (2 * nn)) / denom;
  const double half = z / denom * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
  out.low = std::max(0.0, centre - half);
  out.high = std::min(1.0, centre + half);
  // At 0 and n successes the bounds are exactly 0 and 1; rounding must not leave them a hair off.
  if (successes == 0) out.low = 0;
  if (successes >= n) out.high = 1;
  return out;
}

std::optional<interval> proportion_ratio_interval(std::uint64_t successes1, std::uint64_t n1,
                                                  std::uint64_t successes2, std::uint64_t n2,
                                                  double confidence) {
  if (n1 == 0 || n2 == 0 || successes2 == 0) return std::nullopt;
  const double p1 = static_cast<double>(successes1) / static_cast<double>(n1);
  const double p2 = static_cast<double>(successes2) / static_cast<double>(n2);
  const interval w1 = wilson_interval(successes1, n1, confidence);
  const interval w2 = wilson_interval(successes2, n2, confidence);
  const double l1 = w1.low, u1 = w1.high, l2 = w2.low, u2 = w2.high;
  // Donner & Zou (2012), eq. for the ratio theta = p1/p2 by the method of variance estimates
  // recovery; negative discriminants only arise from rounding and are clamped.
  const double pp = p1 * p2;
  interval out;
  out.confidence = confidence;
  const double dl = std::max(0.0, pp * pp - l1 * u2 * (2 * p1 - l1) * (2 * p2 - u2));
  out.low = std::max(0.0, (pp - std::sqrt(dl)) / (u2 * (2 * p2 - u2)));
  const double lower_den = l2 * (2 * p2 - l2);
  if (lower_den <= 0) {
    out.high = std::numeric_limits<double>::infinity();
  } else {
    const double du = std::max(0.0, pp * pp - u1 * l2 * (2 * p1 - u1) * (2 * p2 - l2));
    out.high = (pp + std::sqrt(du)) / lower_den;
  }
  return out;
}

std::optional<std::uint64_t> proportion_samples_needed(double observed, double low, double high,
                                                       double confidence) {
  if (!(observed >= 0 && observed <= 1)) return std::nullopt;
  if (observed == low || observed == high) return std::nullopt;
  auto decided = [&](std::uint64_t n) {
    const auto k = static_cast<std::uint64_t>(std::llround(observed * static_cast<double>(n)));
    const interval w = wilson_interval(k, n, confidence);
    const bool inside = w.low >= low && w.high <= high;
    const bool outside = w.high < low || w.low > high;
    return inside || outside;
  };
  // Doubling then bisection: the interval narrows roughly monotonically as n grows around a fixed
  // observed share, and the answer is an estimate for planning, not a guarantee.
  std::uint64_t hi_n = 1;
  constexpr std::uint64_t limit = 1'000'000'000;
  while (!decided(hi_n)) {
    if (hi_n > limit) return std::nullopt;
    hi_n *= 2;
  }
  std::uint64_t lo_n = hi_n / 2;
  while (lo_n + 1 < hi_n) {
    const std::uint64_t mid = lo_n + (hi_n - lo_n) / 2;
    if (decided(mid))
      hi_n = mid;
    else
      lo_n = mid;
  }
  return hi_n;
}

}  // namespace rollproof::stats
