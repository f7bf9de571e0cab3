#include "estimate.hpp"

#include <gtest/gtest.h>

#include "case_builders.hpp"

namespace rollproof::claims::detail {
namespace {

claim_spec latency_bound(double pct) {
  claim_spec s;
  s.id = "lat";
  s.metric = "latency_ms";
  s.percentile = pct;
  s.relation = relation_kind::bound;
  s.max = 100;
  return s;
}

TEST(estimate_claim, bounds_a_percentile_with_order_statistics) {
  auto c = testing::a_case("a", {});
  std::vector<double> ms;
  for (int i = 1; i <= 100; ++i)
    ms.push_back(i);
  testing::with_latencies(c, ms);
  const claim_spec spec = latency_bound(50);
  const auto e = estimate_claim({spec, 1, false, {}, {&c}});
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(*e->value, 50.5);
  EXPECT_DOUBLE_EQ(e->low, 40);  // x(40) and x(61), as the percentile_interval reference
  EXPECT_DOUBLE_EQ(e->high, 61);
  EXPECT_EQ(e->n, 100u);
}

TEST(estimate_claim, asks_for_more_uploads_when_a_tail_percentile_cannot_be_bounded) {
  auto c = testing::a_case("a", {});
  testing::with_latencies(c, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  const claim_spec spec = latency_bound(99);
  const auto e = estimate_claim({spec, 1, false, {}, {&c}});
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->enough);
  ASSERT_TRUE(e->samples_needed);
  EXPECT_GE(*e->samples_needed, 367u);  // log(0.025) / log(0.99) = 367.0
}

TEST(estimate_claim, names_an_unknown_metric) {
  auto c = testing::a_case("a", {});
  claim_spec spec = latency_bound(50);
  spec.metric = "latncy_ms";
  const auto e = estimate_claim({spec, 1, false, {}, {&c}});
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().find("unknown metric 'latncy_ms'"), std::string::npos);
}

}  // namespace
}  // namespace rollproof::claims::detail
