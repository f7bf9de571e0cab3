#include "rollproof/stats/chi_square.hpp"

#include <boost/math/distributions/chi_squared.hpp>

namespace rollproof::stats {

std::optional<chi_square_result> chi_square_goodness_of_fit(
    std::span<const std::uint64_t> observed, std::span<const double> expected_share) {
  const std::size_t k = observed.size();
  if (k < 2) return std::nullopt;
  if (!expected_share.empty() && expected_share.size() != k) return std::nullopt;
  double total = 0;
  for (const auto o : observed)
    total += static_cast<double>(o);
  if (total <= 0) return std::nullopt;
  chi_square_result r;
  for (std::size_t i = 0; i < k; ++i) {
    const double share = expected_share.empty() ? 1.0 / static_cast<double>(k) : expected_share[i];
    if (!(share > 0)) return std::nullopt;
    const double e = share * total;
    const double d = static_cast<double>(observed[i]) - e;
    r.statistic += d * d / e;
  }
  r.df = static_cast<double>(k - 1);
  r.p_value = boost::math::cdf(
      boost::math::complement(boost::math::chi_squared_distribution<double>(r.df), r.statistic));
  return r;
}

}  // namespace rollproof::stats
