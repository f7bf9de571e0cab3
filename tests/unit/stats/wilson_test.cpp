#include "rollproof/stats/wilson.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace rollproof::stats {
namespace {

TEST(wilson_interval, matches_the_reference_for_81_of_263) {
  // Wilson (1927) score interval; R: prop.test(81, 263, correct = FALSE)$conf.int gives
  // 0.2552885 0.3662096 (values recomputed independently from the closed form in Python).
  const interval ci = wilson_interval(81, 263, 0.95);
  EXPECT_NEAR(ci.low, 0.2552885, 1e-6);
  EXPECT_NEAR(ci.high, 0.3662096, 1e-6);
}

TEST(wilson_interval, stays_inside_zero_one_at_the_extremes) {
  // 0 of 10: [0, 0.2775328] (the "rule of three" neighbourhood), 10 of 10 mirrors it.
  const interval none = wilson_interval(0, 10);
  EXPECT_EQ(none.low, 0);
  EXPECT_NEAR(none.high, 0.2775328, 1e-6);
  const interval all = wilson_interval(10, 10);
  EXPECT_NEAR(all.low, 1 - 0.2775328, 1e-6);
  EXPECT_EQ(all.high, 1);
}

TEST(wilson_interval, is_the_whole_unit_interval_without_trials) {
  const interval ci = wilson_interval(0, 0);
  EXPECT_EQ(ci.low, 0);
  EXPECT_EQ(ci.high, 1);
}

TEST(proportion_ratio_interval, contains_the_ratio_and_narrows_with_more_trials) {
  // 5/100 against 50/100: ratio 0.1.
  const auto small = proportion_ratio_interval(5, 100, 50, 100);
  const auto large = proportion_ratio_interval(500, 10000, 5000, 10000);
  ASSERT_TRUE(small && large);
  EXPECT_LT(small->low, 0.1);
  EXPECT_GT(small->high, 0.1);
  EXPECT_LT(large->low, 0.1);
  EXPECT_GT(large->high, 0.1);
  EXPECT_LT(large->high - large->low, small->high - small->low);
}

TEST(proportion_ratio_interval, bounds_a_zero_numerator_from_above_only) {
  // 0/1000 against 50/1000: the ratio could be 0 but not much more than 0.08.
  const auto ci = proportion_ratio_interval(0, 1000, 50, 1000);
  ASSERT_TRUE(ci);
  EXPECT_EQ(ci->low, 0);
  EXPECT_GT(ci->high, 0.0);
  EXPECT_LT(ci->high, 0.1);
}

TEST(proportion_ratio_interval, is_empty_when_the_denominator_share_is_zero) {
  EXPECT_FALSE(proportion_ratio_interval(3, 100, 0, 100));
}

TEST(proportion_samples_needed, finds_a_sample_size_that_decides) {
  // An observed 0.5 % claimed to be at most 1 %: decided once the Wilson upper bound is < 1 %.
  const auto n = proportion_samples_needed(0.005, 0.0, 0.01);
  ASSERT_TRUE(n);
  const auto k = static_cast<std::uint64_t>(std::llround(0.005 * static_cast<double>(*n)));
  EXPECT_LE(wilson_interval(k, *n).high, 0.01);
  const auto k_less = static_cast<std::uint64_t>(std::llround(0.005 * static_cast<double>(*n - 1)));
  EXPECT_GT(wilson_interval(k_less, *n - 1).high, 0.01);
}

TEST(proportion_samples_needed, has_no_answer_on_the_boundary) {
  EXPECT_FALSE(proportion_samples_needed(0.01, 0.0, 0.01));
}

}  // namespace
}  // namespace rollproof::stats

#include <rapidcheck/gtest.h>

namespace rollproof::stats {
namespace {

RC_GTEST_PROP(wilson_interval, contains_the_observed_share_inside_zero_one, ()) {
  const auto n = *rc::gen::inRange<std::uint64_t>(1, 100000);
  const auto k = *rc::gen::inRange<std::uint64_t>(0, n + 1);
  const interval ci = wilson_interval(k, n);
  const double p = static_cast<double>(k) / static_cast<double>(n);
  RC_ASSERT(ci.low >= 0.0);
  RC_ASSERT(ci.high <= 1.0);
  RC_ASSERT(ci.low <= p + 1e-12);
  RC_ASSERT(ci.high >= p - 1e-12);
}

RC_GTEST_PROP(proportion_ratio_interval, contains_the_observed_ratio, ()) {
  const auto n1 = *rc::gen::inRange<std::uint64_t>(1, 5000);
  const auto n2 = *rc::gen::inRange<std::uint64_t>(1, 5000);
  const auto k1 = *rc::gen::inRange<std::uint64_t>(0, n1 + 1);
  const auto k2 = *rc::gen::inRange<std::uint64_t>(1, n2 + 1);
  const auto ci = proportion_ratio_interval(k1, n1, k2, n2);
  RC_ASSERT(ci.has_value());
  const double ratio = (static_cast<double>(k1) / static_cast<double>(n1)) /
                       (static_cast<double>(k2) / static_cast<double>(n2));
  RC_ASSERT(ci->low <= ratio * (1 + 1e-9) + 1e-12);
  RC_ASSERT(ci->high >= ratio * (1 - 1e-9));
}

}  // namespace
}  // namespace rollproof::stats
