#include "rollproof/stats/mann_whitney.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace rollproof::stats {
namespace {

// Hollander & Wolfe (1973), p. 69f, the permeability data of R's ?wilcox.test example.
const std::vector<double> term = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
const std::vector<double> early = {1.15, 0.88, 0.90, 0.74, 1.21};

TEST(mann_whitney, reproduces_hollander_and_wolfe_large_sample_approximation) {
  // R: wilcox.test(x, y, alternative = "greater", exact = FALSE, correct = FALSE) gives
  // W = 35, p-value = 0.1103; the two-sided p-value is twice that.
  const auto r = mann_whitney(term, early, 0.95, false);
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->w, 35);
  EXPECT_NEAR(r->p_value / 2, 0.1103, 5e-5);
}

TEST(mann_whitney, gives_r_exact_p_value_without_ties) {
  // R: wilcox.test(x, y, alternative = "greater") gives W = 35, p-value = 0.1272 (exact).
  const auto r = mann_whitney(term, early);
  ASSERT_TRUE(r && r->exact_p_value);
  EXPECT_NEAR(*r->exact_p_value / 2, 0.1272, 5e-5);
}

TEST(mann_whitney, has_no_exact_p_value_with_ties_or_large_samples) {
  const std::vector<double> x = {1, 2, 2, 3}, y = {2, 5, 6, 7};
  EXPECT_FALSE(mann_whitney(x, y)->exact_p_value);
  std::vector<double> big;
  for (int i = 0; i < 60; ++i)
    big.push_back(i + 0.5);
  EXPECT_FALSE(mann_whitney(big, early)->exact_p_value);
}

TEST(mann_whitney, applies_the_continuity_correction_like_r) {
  // z = (35 - 25 - 0.5) / sqrt(10 * 5 * 16 / 12): two-sided p = 0.2446236.
  const auto r = mann_whitney(term, early);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->p_value, 0.2446236, 1e-6);
}

TEST(mann_whitney, estimates_the_hodges_lehmann_shift_as_the_median_of_differences) {
  // The 25th and 26th of the 50 sorted differences x_i - y_j average to 0.305.
  const auto r = mann_whitney(term, early);
  ASSERT_TRUE(r);
  EXPECT_NEAR(r->shift, 0.305, 1e-12);
  EXPECT_LE(r->shift_ci.low, r->shift);
  EXPECT_GE(r->shift_ci.high, r->shift);
}

TEST(mann_whitney, moves_the_shift_interval_with_the_data) {
  std::vector<double> moved = term;
  for (auto& v : moved)
    v += 10;
  const auto a = mann_whitney(term, early);
  const auto b = mann_whitney(moved, early);
  ASSERT_TRUE(a && b);
  EXPECT_NEAR(b->shift_ci.low - a->shift_ci.low, 10, 1e-6);
  EXPECT_NEAR(b->shift_ci.high - a->shift_ci.high, 10, 1e-6);
  EXPECT_NEAR(b->shift - a->shift, 10, 1e-9);
}

TEST(mann_whitney, covers_a_known_shift_and_detects_it) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> normal(0, 1);
  std::vector<double> x, y;
  for (int i = 0; i < 400; ++i)
    x.push_back(normal(rng) + 1.0);
  for (int i = 0; i < 300; ++i)
    y.push_back(normal(rng));
  const auto r = mann_whitney(x, y);
  ASSERT_TRUE(r);
  EXPECT_LT(r->shift_ci.low, 1.0);
  EXPECT_GT(r->shift_ci.high, 1.0);
  EXPECT_LT(r->p_value, 1e-10);
  // Width of a 95% interval of a normal location shift: about 2 * 1.96 * sqrt(1/400 + 1/300) *
  // sqrt(pi / 3) (asymptotic relative efficiency 3/pi) = 0.307.
  EXPECT_NEAR(r->shift_ci.high - r->shift_ci.low, 0.307, 0.05);
}

TEST(mann_whitney, counts_ties_with_midranks) {
  const std::vector<double> x = {1, 2, 2, 3}, y = {2, 2, 4, 5};
  const auto r = mann_whitney(x, y, 0.95, false);
  ASSERT_TRUE(r);
  // Ranks of x: 1, 3.5, 3.5, 6 -> 14 - 10 = 4.
  EXPECT_DOUBLE_EQ(r->w, 4);
}

TEST(mann_whitney, refuses_empty_or_entirely_tied_samples) {
  EXPECT_FALSE(mann_whitney(std::vector<double>{}, early));
  EXPECT_FALSE(mann_whitney(std::vector<double>{1, 1}, std::vector<double>{1, 1}));
}

}  // namespace
}  // namespace rollproof::stats
