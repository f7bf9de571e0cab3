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

TEST(chi_square_independence, matches_r_for_a_two_by_two_table) {
  // R: chisq.test(matrix(c(30, 10, 20, 40), 2), correct = FALSE) gives X-squared = 16.667,
  // df = 1; expected counts 20, 30, 20, 30, so x = 2 (100/20 + 100/30) and p = erfc(sqrt(x / 2)).
  const std::uint64_t table[2][2] = {{30, 20}, {10, 40}};
  const auto r = chi_square_independence(table);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->statistic, 2 * (100.0 / 20 + 100.0 / 30), 1e-12);
  EXPECT_EQ(r->df, 1);
  EXPECT_NEAR(r->p_value, std::erfc(std::sqrt(r->statistic / 2)), 1e-12);
}

TEST(chi_square_independence, gives_p_one_for_a_table_of_exactly_expected_counts) {
  const std::uint64_t table[2][2] = {{20, 30}, {20, 30}};
  const auto r = chi_square_independence(table);
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->statistic, 0);
  EXPECT_DOUBLE_EQ(r->p_value, 1);
}

TEST(chi_square_independence, cannot_test_a_table_with_an_empty_row_or_column) {
  const std::uint64_t all_enabled_first[2][2] = {{0, 0}, {40, 60}};
  const std::uint64_t all_enabled_second[2][2] = {{0, 50}, {0, 50}};
  EXPECT_FALSE(chi_square_independence(all_enabled_first));
  EXPECT_FALSE(chi_square_independence(all_enabled_second));
}

}  // namespace
}  // namespace rollproof::stats
