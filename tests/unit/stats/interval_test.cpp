#include "rollproof/stats/interval.hpp"

#include <gtest/gtest.h>

namespace rollproof::stats {
namespace {

TEST(normal_quantile_two_sided, gives_the_textbook_critical_values) {
  // Standard normal table: z(0.975) = 1.959964, z(0.995) = 2.575829, z(0.95) = 1.644854.
  EXPECT_NEAR(normal_quantile_two_sided(0.95), 1.959964, 1e-6);
  EXPECT_NEAR(normal_quantile_two_sided(0.99), 2.575829, 1e-6);
  EXPECT_NEAR(normal_quantile_two_sided(0.90), 1.644854, 1e-6);
}

TEST(normal_quantile_two_sided, refuses_confidences_outside_the_open_unit_interval) {
  EXPECT_EQ(normal_quantile_two_sided(1.0), 0);
  EXPECT_EQ(normal_quantile_two_sided(0.0), 0);
}

}  // namespace
}  // namespace rollproof::stats
