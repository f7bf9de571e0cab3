#include "rollproof/stats/kolmogorov_smirnov.hpp"

#include <algorithm>
#include <boost/math/distributions/kolmogorov_smirnov.hpp>
#include <cmath>
#include <vector>

namespace rollproof::stats {

std::optional<ks_result> ks_two_sample(std::span<const double> x, std::span<const double> y) {
  if (x.empty() || y.empty()) return std::nullopt;
  std::vector<double> a(x.begin(), x.end()), b(y.begin(), y.end());
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  const double n = static_cast<double>(a.size()), m = static_cast<double>(b.size());
  ks_result r;
  std::size_t i = 0, j = 0;
  // Walk both sorted samples; ties advance together so the ECDFs are compared after each value.
  while (i < a.size() && j < b.size()) {
    const double v = std::min(a[i], b[j]);
    while (i < a.size() && a[i] == v)
      ++i;
    while (j < b.size() && b[j] == v)
      ++j;
    r.d = std::max(r.d, std::abs(static_cast<double>(i) / n - static_cast<double>(j) / m));
  }
  const double n_eff = n * m / (n + m);
  if (r.d <= 0) return r;
  r.p_value = boost::math::cdf(
      boost::math::complement(boost::math::kolmogorov_smirnov_distribution<double>(n_eff), r.d));
  r.p_value = std::clamp(r.p_value, 0.0, 1.0);
  return r;
}

}  // namespace rollproof::stats
