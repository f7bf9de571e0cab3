#include "rollproof/stats/clopper_pearson.hpp"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>

namespace rollproof::stats {

interval clopper_pearson_interval(std::uint64_t successes, std::uint64_t n, double confidence) {
  if (n == 0) return {0, 1, confidence};
  successes = std::min(successes, n);
  using binomial = boost::math::binomial_distribution<double>;
  const double tail = (1 - confidence) / 2;
  const auto trials = static_cast<double>(n);
  const auto k = static_cast<double>(successes);
  // Boost's clopper_pearson_exact_interval bounds are exactly the beta quantiles of the method.
  const double low = successes == 0
                         ? 0.0
                         : binomial::find_lower_bound_on_p(
                               trials, k, tail, binomial::clopper_pearson_exact_interval);
  const double high = successes == n
                          ? 1.0
                          : binomial::find_upper_bound_on_p(
                                trials, k, tail, binomial::clopper_pearson_exact_interval);
  return {low, high, confidence};
}

}  // namespace rollproof::stats
