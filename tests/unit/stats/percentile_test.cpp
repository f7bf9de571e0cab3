#include "rollproof/stats/percentile.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace rollproof::stats {
namespace {

std::vector<double> one_to(int n) {
  std::vector<double> v;
  for (int i = n; i >= 1; --i)
    v.push_back(i);  // deliberately unsorted
  return v;
}

TEST(percentile, matches_r_quantile_type_7) {
  // R: quantile(1:10, c(0.25, 0.5, 0.9, 0.99)) gives 3.25 5.50 9.10 9.91.
  const auto xs = one_to(10);
  EXPECT_DOUBLE_EQ(*percentile(xs, 0.25), 3.25);
  EXPECT_DOUBLE_EQ(*percentile(xs, 0.5), 5.5);
  EXPECT_NEAR(*percentile(xs, 0.9), 9.1, 1e-12);
  EXPECT_NEAR(*percentile(xs, 0.99), 9.91, 1e-12);
  EXPECT_DOUBLE_EQ(*percentile(xs, 0.0), 1);
  EXPECT_DOUBLE_EQ(*percentile(xs, 1.0), 10);
}

TEST(percentile, is_empty_for_an_empty_sample_or_a_level_outside_zero_one) {
  EXPECT_FALSE(percentile(std::vector<double>{}, 0.5));
  EXPECT_FALSE(percentile(one_to(3), 1.5));
  EXPECT_FALSE(median(std::vector<double>{}));
  EXPECT_FALSE(mean(std::vector<double>{}));
}

TEST(percentile, gives_one_sample_at_every_level_and_a_value_between_uploads_at_p95) {
  EXPECT_DOUBLE_EQ(*percentile(std::vector<double>{42}, 0.95), 42);
  // 10, 20, ..., 200 ms: nearest rank would say 190; type 7 interpolates to 190.5.
  std::vector<double> ms;
  for (int i = 20; i >= 1; --i)
    ms.push_back(10.0 * i);
  EXPECT_DOUBLE_EQ(*percentile(ms, 0.95), 190.5);
}

TEST(percentile_in_place, agrees_with_percentile_at_every_level) {
  const auto xs = one_to(37);
  for (const double p : {0.0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1.0}) {
    auto scratch = xs;
    EXPECT_DOUBLE_EQ(*percentile_in_place(scratch, p), *percentile(xs, p)) << "p = " << p;
  }
}

TEST(mean, averages) {
  EXPECT_DOUBLE_EQ(*mean(one_to(4)), 2.5);
}

TEST(percentile_interval, uses_the_binomial_order_statistics_of_conover) {
  // n = 100, median, 95%: the order statistics x(40) and x(61) (Conover 1999, Practical
  // Nonparametric Statistics, table A3 / §3.2; coverage 0.9648 from the binomial(100, 0.5) cdf).
  const auto xs = one_to(100);
  const interval ci = percentile_interval(xs, 0.5, 0.95);
  EXPECT_DOUBLE_EQ(ci.low, 40);
  EXPECT_DOUBLE_EQ(ci.high, 61);
}

TEST(percentile_interval, leaves_a_side_open_when_the_sample_is_too_small_to_bound_it) {
  // With 10 observations no order statistic is above the p99 with 97.5% probability.
  const interval ci = percentile_interval(one_to(10), 0.99, 0.95);
  EXPECT_TRUE(std::isinf(ci.high));
  EXPECT_TRUE(std::isfinite(ci.low));
}

}  // namespace
}  // namespace rollproof::stats

#include <rapidcheck/gtest.h>

namespace rollproof::stats {
namespace {

RC_GTEST_PROP(percentile_interval, brackets_the_sample_percentile_when_bounded, ()) {
  const auto xs =
      *rc::gen::suchThat(rc::gen::container<std::vector<double>>(rc::gen::map(
                             rc::gen::inRange(0, 100000), [](int v) { return v / 10.0; })),
                         [](const std::vector<double>& v) { return v.size() >= 2; });
  const double p = *rc::gen::inRange(1, 100) / 100.0;
  const interval ci = percentile_interval(xs, p);
  const double q = *percentile(xs, p);
  if (std::isfinite(ci.low)) RC_ASSERT(ci.low <= q);
  if (std::isfinite(ci.high)) RC_ASSERT(ci.high >= q);
}

}  // namespace
}  // namespace rollproof::stats
