#include "rollproof/stats/percentile.hpp"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <cmath>
#include <numeric>
#include <vector>

namespace rollproof::stats {

std::optional<double> percentile_in_place(std::span<double> xs, double p) {
  if (xs.empty() || !(p >= 0 && p <= 1)) return std::nullopt;
  // Selection rather than a full sort: x[floor h] by nth_element, x[floor h + 1] the least above.
  const double h = static_cast<double>(xs.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  std::nth_element(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(lo), xs.end());
  const double below = xs[lo];
  if (lo + 1 >= xs.size()) return below;
  const double above =
      *std::min_element(xs.begin() + static_cast<std::ptrdiff_t>(lo) + 1, xs.end());
  return below + (h - static_cast<double>(lo)) * (above - below);
}

std::optional<double> percentile(std::span<const double> xs, double p) {
  std::vector<double> v(xs.begin(), xs.end());
  return percentile_in_place(v, p);
}

std::optional<double> median(std::span<const double> xs) {
  return percentile(xs, 0.5);
}

std::optional<double> mean(std::span<const double> xs) {
  if (xs.empty()) return std::nullopt;
  return std::accumulate(xs.begin(), xs.end(), 0.0) / static_cast<double>(xs.size());
}

interval percentile_interval(std::span<const double> xs, double p, double confidence) {
  interval out;
  out.confidence = confidence;
  if (xs.empty() || !(p > 0 && p < 1) || !(confidence > 0 && confidence < 1)) return out;
  std::vector<double> v(xs.begin(), xs.end());
  std::sort(v.begin(), v.end());
  const auto n = static_cast<std::int64_t>(v.size());
  const boost::math::binomial_distribution<double> b(static_cast<double>(n), p);
  const double tail = (1 - confidence) / 2;
  // B counts observations below the quantile, so x(r) (1-based) lies below it with probability
  // P(B >= r); cdf(B <= r - 1) is monotone in r, which makes both searches binary.
  auto cdf_below = [&](std::int64_t r) { return boost::math::cdf(b, static_cast<double>(r - 1)); };
  // Largest r with P(B <= r-1) <= tail.
  std::int64_t lo = 0, hi = n;
  while (lo < hi) {
    const std::int64_t mid = (lo + hi + 1) / 2;
    if (cdf_below(mid) <= tail)
      lo = mid;
    else
      hi = mid - 1;
  }
  if (lo >= 1) out.low = v[static_cast<std::size_t>(lo - 1)];
  // Smallest r with P(B <= r-1) >= 1 - tail.
  lo = 1;
  hi = n + 1;
  while (lo < hi) {
    const std::int64_t mid = (lo + hi) / 2;
    if (cdf_below(mid) >= 1 - tail)
      hi = mid;
    else
      lo = mid + 1;
  }
  if (lo <= n) out.high = v[static_cast<std::size_t>(lo - 1)];
  // With few observations at an extreme p the interpolated estimate can fall just outside the
  // order statistics; widening to include it keeps the interval conservative and consistent.
  const double estimate = *percentile(v, p);
  out.low = std::min(out.low, estimate);
  out.high = std::max(out.high, estimate);
  return out;
}

}  // namespace rollproof::stats
