#include "selection.hpp"

#include <gtest/gtest.h>

#include "case_builders.hpp"

namespace rollproof::claims::detail {
namespace {

using testing::a_case;
using testing::case_record;

TEST(selection, matches_parameters_with_globs_and_own_fields_by_name) {
  const auto c = a_case("s/csv-1MiB-kimi", {{"route", "async"}, {"provider", "kimi"}});
  EXPECT_TRUE(matches({{"route", "async"}}, c));
  EXPECT_TRUE(matches({{"provider", "k*"}, {"id", "s/*"}}, c));
  EXPECT_TRUE(matches({{"status", "passed"}, {"scenario", "s"}}, c));
  EXPECT_FALSE(matches({{"route", "sync"}}, c));
  EXPECT_FALSE(matches({{"stage", "*"}}, c));  // a missing parameter never matches
}

TEST(selection, leaves_out_skipped_cases_and_other_scenarios) {
  std::vector<rollproof::reports::case_record> cases = {a_case("a", {}), a_case("b", {}),
                                                        a_case("c", {})};
  cases[1].status = rollproof::reports::case_status::skipped;
  cases[2].scenario = "other";
  EXPECT_EQ(select(cases, "s", {}).size(), 1u);
  EXPECT_EQ(select(cases, "", {}).size(), 2u);
  EXPECT_EQ(select(cases, "s", {{"status", "skipped"}}).size(), 1u);
}

TEST(selection, counts_upload_outcomes_per_metric) {
  auto c = a_case("a", {{"route", "async"}, {"stage", "10"}});
  testing::with_outcomes(c, 100, 7, true);
  c.uploads[50].fallback = true;
  c.uploads[60].integrity_ok = false;
  const std::vector<const rollproof::reports::case_record*> one = {&c};
  EXPECT_EQ(count("success_rate", metric_kind::upload_proportion, one).successes, 93u);
  EXPECT_EQ(count("timeout_rate", metric_kind::upload_proportion, one).successes, 7u);
  EXPECT_EQ(count("fallback_rate", metric_kind::upload_proportion, one).successes, 1u);
  const auto integrity = count("integrity_rate", metric_kind::upload_proportion, one);
  EXPECT_EQ(integrity.trials, 93u);
  EXPECT_EQ(integrity.successes, 92u);
  EXPECT_EQ(count("rollout_share", metric_kind::upload_proportion, one).successes, 100u);
}

TEST(selection, counts_only_a_stages_own_uploads_not_those_after_its_rollback) {
  auto c = a_case("a", {{"stage", "25"}});
  testing::with_outcomes(c, 10, 0);
  for (auto& u : c.uploads)
    u.route = "async";
  testing::with_outcomes(c, 30, 30);  // after the rollback: all failed, all sync
  for (std::size_t i = 10; i < c.uploads.size(); ++i)
    c.uploads[i].phase = rollproof::reports::upload_phase::after_rollback;
  const std::vector<const rollproof::reports::case_record*> one = {&c};
  const auto share = count("rollout_share", metric_kind::upload_proportion, one);
  EXPECT_EQ(share.trials, 10u);
  EXPECT_EQ(share.successes, 10u);
  EXPECT_EQ(count("success_rate", metric_kind::upload_proportion, one).trials, 10u);
  EXPECT_EQ(sample("upload_latency_ms", metric_kind::upload_latency, one).size(), 10u);
}

TEST(selection, leaves_uploads_of_unknown_outcome_out_of_every_upload_metric) {
  auto c = a_case("a", {{"route", "sync"}});
  testing::with_outcomes(c, 10, 2, true);
  for (std::size_t i = 0; i < 5; ++i) {  // two timeouts and three ok, their ledger lost
    c.uploads[i].unknown = "the mock died";
    c.uploads[i].integrity_ok = i < 2;  // as a join with no ledger would have had them
  }
  const std::vector<const rollproof::reports::case_record*> one = {&c};
  EXPECT_EQ(count("success_rate", metric_kind::upload_proportion, one).trials, 5u);
  EXPECT_EQ(count("timeout_rate", metric_kind::upload_proportion, one).successes, 0u);
  const auto integrity = count("integrity_rate", metric_kind::upload_proportion, one);
  EXPECT_EQ(integrity.trials, 5u);
  EXPECT_EQ(integrity.successes, 5u);
  EXPECT_EQ(sample("latency_ms", metric_kind::upload_latency, one).size(), 5u);
}

TEST(selection, counts_the_rollout_share_over_distinct_users_as_the_case_check_does) {
  auto c = a_case("a", {{"stage", "10"}});
  testing::with_outcomes(c, 19, 0);
  for (std::size_t i = 0; i < c.uploads.size(); ++i) {
    c.uploads[i].user = i < 10 ? "heavy" : "light-" + std::to_string(i);
    c.uploads[i].route = i < 10 ? "async" : "sync";
  }
  const std::vector<const rollproof::reports::case_record*> one = {&c};
  const auto share = count("rollout_share", metric_kind::upload_proportion, one);
  EXPECT_EQ(share.trials, 10u);
  EXPECT_EQ(share.successes, 1u);
}

TEST(selection, treats_a_value_with_a_trial_count_as_a_proportion) {
  auto c = a_case("a", {});
  c.values["enabled_share"] = 0.1;
  c.values["enabled_share.n"] = 1000;
  c.values["chi2_p"] = 0.4;
  const std::vector<const rollproof::reports::case_record*> one = {&c};
  EXPECT_EQ(kind_of("enabled_share", one), metric_kind::value_proportion);
  EXPECT_EQ(kind_of("chi2_p", one), metric_kind::case_value);
  EXPECT_EQ(kind_of("no_such_value", one), metric_kind::unknown);
  const auto n = count("enabled_share", metric_kind::value_proportion, one);
  EXPECT_EQ(n.successes, 100u);
  EXPECT_EQ(n.trials, 1000u);
}

TEST(selection, sorts_samples_so_case_order_does_not_matter) {
  auto a = a_case("a", {});
  auto b = a_case("b", {});
  testing::with_latencies(a, {30, 10});
  testing::with_latencies(b, {20});
  const auto s = sample("latency_ms", metric_kind::upload_latency, {&b, &a});
  EXPECT_EQ(s, (std::vector<double>{10, 20, 30}));
}

TEST(selection, sums_bucket_counts_over_cases) {
  auto a = a_case("a", {});
  auto b = a_case("b", {});
  a.values = {{"bucket_count.0", 3}, {"bucket_count.1", 4}};
  b.values = {{"bucket_count.0", 1}, {"bucket_count.1", 2}};
  EXPECT_EQ(bucket_counts({&a, &b}), (std::vector<std::uint64_t>{4, 6}));
}

// A ratio claim of `metric` comparing the cases `baseline` selects with those `candidate` selects.
claim_spec a_ratio_claim(selector baseline, selector candidate) {
  claim_spec spec;
  spec.id = "c";
  spec.metric = "latency_ms";
  spec.relation = relation_kind::ratio;
  spec.min = 1;
  spec.baseline = std::move(baseline);
  spec.candidate = std::move(candidate);
  return spec;
}

TEST(find_unmatched_selector, names_the_baseline_of_a_comparison_that_selects_no_case) {
  const std::vector<case_record> cases = {a_case("a", {{"route", "sync"}}),
                                          a_case("b", {{"route", "async"}})};
  const auto gap =
      find_unmatched_selector(a_ratio_claim({{"route", "legacy"}}, {{"route", "async"}}), cases);
  ASSERT_TRUE(gap.has_value());
  EXPECT_EQ(gap->key, "baseline");
  EXPECT_EQ(gap->reason, "no case matches the baseline selector {route = \"legacy\"}");
}

TEST(find_unmatched_selector, names_cases_when_a_one_sided_claim_selects_nothing_by_them) {
  const std::vector<case_record> cases = {a_case("a", {{"faults", "none"}})};
  claim_spec spec;
  spec.metric = "success_rate";
  spec.relation = relation_kind::bound;
  spec.min = 0.5;
  spec.cases = {{"faults", "flaky"}};
  const auto gap = find_unmatched_selector(spec, cases);
  ASSERT_TRUE(gap.has_value());
  EXPECT_EQ(gap->key, "cases");
}

TEST(find_unmatched_selector, finds_nothing_when_every_side_selects_a_case) {
  const std::vector<case_record> cases = {a_case("a", {{"route", "sync"}}),
                                          a_case("b", {{"route", "async"}})};
  EXPECT_FALSE(
      find_unmatched_selector(a_ratio_claim({{"route", "sync"}}, {{"route", "async"}}), cases));
}

}  // namespace
}  // namespace rollproof::claims::detail
