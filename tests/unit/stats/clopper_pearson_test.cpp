#include "rollproof/stats/clopper_pearson.hpp"

#include <gtest/gtest.h>

#include <boost/math/distributions/binomial.hpp>

#include "rollproof/stats/wilson.hpp"

namespace rollproof::stats {
namespace {

// The probability that a binomial(n, p) sample gives an interval at `confidence` that misses p.
template <class Interval>
double false_alarm_rate(std::uint64_t n, double p, double confidence, Interval interval_of) {
  const boost::math::binomial_distribution<double> b(static_cast<double>(n), p);
  double missed = 0;
  for (std::uint64_t k = 0; k <= n; ++k) {
    const interval ci = interval_of(k, n, confidence);
    if (p < ci.low || p > ci.high) missed += boost::math::pdf(b, static_cast<double>(k));
  }
  return missed;
}

TEST(clopper_pearson_interval, matches_the_beta_quantiles_for_81_of_263) {
  // Beta(81, 183) 2.5% and Beta(82, 182) 97.5% quantiles, computed independently with mpmath's
  // regularized incomplete beta; R's binom.test(81, 263)$conf.int gives the same.
  const interval ci = clopper_pearson_interval(81, 263, 0.95);
  EXPECT_NEAR(ci.low, 0.2527367, 1e-6);
  EXPECT_NEAR(ci.high, 0.3676219, 1e-6);
}

TEST(clopper_pearson_interval, keeps_ten_percent_inside_for_21_of_100_where_wilson_does_not) {
  // The rollback verification of issue 13: 21 of 100 users on async after a rollback to 10%.
  // Wilson's 99.9% interval [0.108, 0.369] excludes 0.10; the exact one is [0.0964, 0.3679]
  // (mpmath), because P(X >= 21 | n = 100, p = 0.10) = 0.0008 > 0.0005.
  const interval exact = clopper_pearson_interval(21, 100, 0.999);
  EXPECT_NEAR(exact.low, 0.0963915, 1e-6);
  EXPECT_NEAR(exact.high, 0.3678766, 1e-6);
  EXPECT_GT(wilson_interval(21, 100, 0.999).low, 0.10);
}

TEST(clopper_pearson_interval, is_closed_at_zero_and_n_and_whole_without_trials) {
  const interval none = clopper_pearson_interval(0, 10, 0.95);
  EXPECT_EQ(none.low, 0);
  EXPECT_NEAR(none.high, 0.3084971, 1e-6);  // 1 - 0.025^(1/10)
  const interval all = clopper_pearson_interval(10, 10, 0.95);
  EXPECT_NEAR(all.low, 1 - 0.3084971, 1e-6);
  EXPECT_EQ(all.high, 1);
  const interval empty = clopper_pearson_interval(0, 0, 0.999);
  EXPECT_EQ(empty.low, 0);
  EXPECT_EQ(empty.high, 1);
}

TEST(clopper_pearson_interval, misses_p_at_most_as_often_as_its_confidence_allows) {
  // Summed exactly over every outcome k: the false alarm rate of a share check built on it.
  const auto exact = [](std::uint64_t k, std::uint64_t n, double c) {
    return clopper_pearson_interval(k, n, c);
  };
  const auto wilson = [](std::uint64_t k, std::uint64_t n, double c) {
    return wilson_interval(k, n, c);
  };
  for (const std::uint64_t n : {50u, 100u, 200u, 600u}) {
    for (const double p : {0.01, 0.1, 0.25, 0.5}) {
      EXPECT_LE(false_alarm_rate(n, p, 0.999, exact), 0.001) << "n " << n << " p " << p;
    }
  }
  // What the share checks used before: Wilson misses 10% twice as often as it says at n = 100.
  EXPECT_GT(false_alarm_rate(100, 0.1, 0.999, wilson), 0.0015);
}

}  // namespace
}  // namespace rollproof::stats
