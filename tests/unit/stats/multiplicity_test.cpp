#include "rollproof/stats/multiplicity.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace rollproof::stats {
namespace {

// Five p-values out of order. Holm, by hand over the sorted 0.01, 0.02, 0.03, 0.04, 0.05:
// 5 * 0.01 = 0.05, 4 * 0.02 = 0.08, 3 * 0.03 = 0.09, 2 * 0.04 = 0.08 -> 0.09 (running maximum),
// 1 * 0.05 = 0.05 -> 0.09. R: p.adjust(c(0.04, 0.01, 0.05, 0.03, 0.02), "holm") gives
// 0.09 0.05 0.09 0.09 0.08.
const std::vector<double> five = {0.04, 0.01, 0.05, 0.03, 0.02};

TEST(multiplicity, holm_adjusts_like_r_p_adjust) {
  const auto a = holm_adjust(five);
  const std::vector<double> r = {0.09, 0.05, 0.09, 0.09, 0.08};
  ASSERT_EQ(a.size(), r.size());
  for (std::size_t i = 0; i < r.size(); ++i)
    EXPECT_NEAR(a[i], r[i], 1e-15) << i;
}

TEST(multiplicity, bh_adjusts_like_r_p_adjust) {
  // BH by hand, from the largest: 5/5 * 0.05 = 0.05, 5/4 * 0.04 = 0.05, 5/3 * 0.03 = 0.05,
  // 5/2 * 0.02 = 0.05, 5/1 * 0.01 = 0.05. R: p.adjust(five, "BH") gives 0.05 everywhere.
  for (const double v : bh_adjust(five))
    EXPECT_NEAR(v, 0.05, 1e-15);
  // R: p.adjust(c(0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205), "BH") gives
  // 0.008 0.032 0.0672 0.0672 0.0672 0.08 0.08457143 0.205.
  const std::vector<double> p = {0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205};
  const std::vector<double> r = {0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.08, 0.592 / 7, 0.205};
  const auto a = bh_adjust(p);
  for (std::size_t i = 0; i < r.size(); ++i)
    EXPECT_NEAR(a[i], r[i], 1e-12) << i;
}

TEST(multiplicity, holm_caps_at_one_and_keeps_ties_together) {
  const std::vector<double> p = {0.3, 0.3, 0.9};
  const auto a = holm_adjust(p);
  EXPECT_DOUBLE_EQ(a[0], 0.9);
  EXPECT_DOUBLE_EQ(a[1], 0.9);
  EXPECT_DOUBLE_EQ(a[2], 0.9);
  EXPECT_DOUBLE_EQ(holm_adjust(std::vector<double>{0.6, 0.7})[0], 1.0);
}

TEST(multiplicity, none_leaves_the_p_values_alone) {
  EXPECT_EQ(adjust(error_control::none, five), five);
  EXPECT_EQ(adjust(error_control::holm, five), holm_adjust(five));
}

TEST(multiplicity, parses_the_three_method_names_only) {
  EXPECT_EQ(parse_error_control("holm"), error_control::holm);
  EXPECT_EQ(parse_error_control("bh"), error_control::bh);
  EXPECT_EQ(parse_error_control("none"), error_control::none);
  EXPECT_FALSE(parse_error_control("bonferroni"));
  EXPECT_STREQ(to_string(error_control::bh), "bh");
}

}  // namespace
}  // namespace rollproof::stats
