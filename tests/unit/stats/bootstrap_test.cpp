#include "rollproof/stats/bootstrap.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "rollproof/stats/percentile.hpp"

namespace rollproof::stats {
namespace {

std::vector<double> exponential_sample(double mean, int n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> d(1 / mean);
  std::vector<double> v;
  for (int i = 0; i < n; ++i)
    v.push_back(d(rng));
  return v;
}

TEST(bootstrap, gives_the_same_interval_for_the_same_seed) {
  const auto xs = exponential_sample(10, 200, 1);
  const auto a = bootstrap(xs, percentile_statistic(0.5), 500, 7);
  const auto b = bootstrap(xs, percentile_statistic(0.5), 500, 7);
  const auto c = bootstrap(xs, percentile_statistic(0.5), 500, 8);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->ci.low, b->ci.low);
  EXPECT_EQ(a->ci.high, b->ci.high);
  EXPECT_TRUE(a->ci.low != c->ci.low || a->ci.high != c->ci.high);
}

TEST(bootstrap, brackets_the_mean_like_the_normal_theory_interval) {
  // Exponential(mean 10), n = 2000: standard error 10 / sqrt(2000) = 0.2236, so the 95%
  // interval is about +-0.438 around the sample mean.
  const auto xs = exponential_sample(10, 2000, 3);
  const auto r = bootstrap(xs, mean_statistic(), 2000, 11);
  ASSERT_TRUE(r);
  EXPECT_LT(r->ci.low, r->estimate);
  EXPECT_GT(r->ci.high, r->estimate);
  EXPECT_NEAR(r->ci.high - r->ci.low, 2 * 0.438, 0.12);
}

TEST(bootstrap_ratio, covers_a_ratio_of_medians_built_into_the_data) {
  const auto baseline = exponential_sample(100, 600, 5);
  const auto candidate = exponential_sample(20, 600, 6);  // true ratio 0.2
  const auto r = bootstrap_ratio(baseline, candidate, percentile_statistic(0.5), 2000, 9);
  ASSERT_TRUE(r);
  EXPECT_LT(r->ci.low, 0.2);
  EXPECT_GT(r->ci.high, 0.2);
  EXPECT_GT(r->ci.low, 0.1);
  EXPECT_LT(r->ci.high, 0.4);
}

TEST(bootstrap_ratio, has_no_answer_when_the_baseline_statistic_is_zero) {
  const std::vector<double> zeros = {0, 0, 0};
  const std::vector<double> ones = {1, 1, 1};
  EXPECT_FALSE(bootstrap_ratio(zeros, ones, mean_statistic(), 100, 1));
  EXPECT_FALSE(bootstrap_ratio(std::vector<double>{}, ones, mean_statistic(), 100, 1));
}

}  // namespace
}  // namespace rollproof::stats

namespace rollproof::stats {
namespace {

TEST(percentile_statistic, agrees_with_the_sorted_type_7_percentile) {
  std::vector<double> xs = {9, 1, 8, 2, 7, 3, 6, 4, 5, 10};
  for (const double p : {0.0, 0.1, 0.25, 0.5, 0.9, 0.99, 1.0}) {
    std::vector<double> copy = xs;
    EXPECT_DOUBLE_EQ(percentile_statistic(p)(copy), *percentile(xs, p)) << p;
  }
}

}  // namespace
}  // namespace rollproof::stats
