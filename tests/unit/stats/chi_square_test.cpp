#include "rollproof/stats/chi_square.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace rollproof::stats {
namespace {

TEST(chi_square_goodness_of_fit, matches_the_closed_form_for_two_degrees_of_freedom) {
  // With df = 2 the chi-square upper tail is exp(-x / 2). Counts 30, 50, 20 against uniform:
  // x = 14, p = exp(-7) = 0.000911882.
  const std::vector<std::uint64_t> observed = {30, 50, 20};
  const auto r = chi_square_goodness_of_fit(observed);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->statistic, 14.0, 1e-12);
  EXPECT_EQ(r->df, 2);
  EXPECT_NEAR(r->p_value, std::exp(-7.0), 1e-12);
}

TEST(chi_square_goodness_of_fit, matches_the_table_critical_value) {
  // Table of the chi-square distribution: P(X >= 3.841459) = 0.05 for df = 1. Counts 60/40 of
  // 100 against 50/50 give x = 4: p = 0.0455003 (erfc(sqrt(2)) from the df = 1 closed form).
  const std::vector<std::uint64_t> observed = {60, 40};
  const auto r = chi_square_goodness_of_fit(observed);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->statistic, 4.0, 1e-12);
  EXPECT_NEAR(r->p_value, std::erfc(std::sqrt(2.0)), 1e-12);
  EXPECT_LT(r->p_value, 0.05);
}

TEST(chi_square_goodness_of_fit, honours_expected_shares) {
  const std::vector<std::uint64_t> observed = {10, 90};
  const std::vector<double> shares = {0.1, 0.9};
  const auto r = chi_square_goodness_of_fit(observed, shares);
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->statistic, 0);
  EXPECT_DOUBLE_EQ(r->p_value, 1);
}

TEST(chi_square_goodness_of_fit, refuses_degenerate_input) {
  EXPECT_FALSE(chi_square_goodness_of_fit(std::vector<std::uint64_t>{5}));
  EXPECT_FALSE(chi_square_goodness_of_fit(std::vector<std::uint64_t>{0, 0}));
  EXPECT_FALSE(
      chi_square_goodness_of_fit(std::vector<std::uint64_t>{1, 2}, std::vector<double>{1.0, 0.0}));
}

}  // namespace
}  // namespace rollproof::stats
