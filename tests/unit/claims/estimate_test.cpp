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

// An estimate over `have` samples per group of `unit`, from cases that ran `repeat` times with
// `uploads` uploads each.
estimate an_estimate_of(sample_unit unit, std::uint64_t have, std::uint64_t repeat,
                        std::uint64_t uploads) {
  estimate e;
  e.unit = unit;
  e.n_per_group = have;
  e.ran_repeat = repeat;
  e.ran_uploads = uploads;
  return e;
}

TEST(scenario_fix, scales_repeat_with_the_cases_needed_per_group) {
  // 4 cells x 1 repeat = 4 cases; 8 needed: repeat = 2.
  EXPECT_EQ(scenario_fix(an_estimate_of(sample_unit::cases, 4, 1, 20), 8),
            "add repeat = 2 to [scenario]");
  // 1 cell x 3 repeats = 3 cases; 8 needed: repeat = 8.
  EXPECT_EQ(scenario_fix(an_estimate_of(sample_unit::cases, 3, 3, 20), 8),
            "raise repeat to 8 in [scenario]");
}

TEST(scenario_fix, says_when_the_repeat_needed_is_above_the_limit) {
  EXPECT_EQ(scenario_fix(an_estimate_of(sample_unit::cases, 2, 1, 20), 5000),
            "repeat = 2500 would be needed, above the 1000 [scenario] allows");
}

TEST(scenario_fix, scales_uploads_per_case_with_the_uploads_needed_per_group) {
  // 3 cases x 100 uploads, 270 of them usable; 1200 needed: 100 x 1200 / 270 = 444.4 -> 445.
  EXPECT_EQ(scenario_fix(an_estimate_of(sample_unit::uploads, 270, 1, 100), 1200),
            "raise uploads to 445 in [matrix]");
  auto stage = an_estimate_of(sample_unit::uploads, 100, 1, 100);
  stage.ran_stages = true;
  EXPECT_EQ(scenario_fix(stage, 400), "raise the stage's uploads to 400 in [matrix] stages");
}

TEST(scenario_fix, scales_a_stages_users_for_a_share_over_users) {
  auto stage = an_estimate_of(sample_unit::users, 100, 1, 100);
  stage.ran_users = 100;
  stage.ran_stages = true;
  EXPECT_EQ(scenario_fix(stage, 509),
            "raise the stage's users and uploads to 509 in [matrix] stages");
}

TEST(scenario_fix, names_nothing_when_there_are_already_enough_or_no_key_would_help) {
  EXPECT_EQ(scenario_fix(an_estimate_of(sample_unit::cases, 9, 3, 20), 8), "");
  EXPECT_EQ(scenario_fix(an_estimate_of(sample_unit::none, 5, 1, 20), 50), "");
}

}  // namespace
}  // namespace rollproof::claims::detail
