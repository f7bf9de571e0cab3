#include "rollproof/stats/chi_square.hpp"

#include <boost/math/distributions/chi_squared.hpp>

namespace rollproof::stats {
namespace {

// Upper tail of the chi-square distribution with `df` degrees of freedom at `statistic`.
chi_square_result upper_tail(double statistic, double df) {
  return {statistic, df,
          boost::math::cdf(boost::math::complement(
              boost::math::chi_squared_distribution<double>(df), statistic))};
}

}  // namespace

std::optional<chi_square_result> chi_square_goodness_of_fit(
    std::span<const std::uint64_t> observed, std::span<const double> expected_share) {
  const std::size_t k = observed.size();
  if (k < 2) return std::nullopt;
  if (!expected_share.empty() && expected_share.size() != k) return std::nullopt;
  double total = 0;
  for (const auto o : observed)
    total += static_cast<double>(o);
  if (total <= 0) return std::nullopt;
  double statistic = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double share = expected_share.empty() ? 1.0 / static_cast<double>(k) : expected_share[i];
    if (!(share > 0)) return std::nullopt;
    const double e = share * total;
    const double d = static_cast<double>(observed[i]) - e;
    statistic += d * d / e;
  }
  return upper_tail(statistic, static_cast<double>(k - 1));
}

std::optional<chi_square_result> chi_square_independence(const std::uint64_t (&n)[2][2]) {
  const double total = static_cast<double>(n[0][0] + n[0][1] + n[1][0] + n[1][1]);
  double statistic = 0;
  for (int a = 0; a < 2; ++a) {
    for (int b = 0; b < 2; ++b) {
      const double row = static_cast<double>(n[a][0] + n[a][1]);
      const double column = static_cast<double>(n[0][b] + n[1][b]);
      const double expected = row * column / total;
      if (!(expected > 0)) return std::nullopt;
      const double d = static_cast<double>(n[a][b]) - expected;
      statistic += d * d / expected;
    }
  }
  return upper_tail(statistic, 1);
}

}  // namespace rollproof::stats
