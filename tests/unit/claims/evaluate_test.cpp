#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <random>

#include "case_builders.hpp"
#include "rollproof/claims/claim.hpp"

namespace rollproof::claims {
namespace {

using rollproof::reports::case_record;
using rollproof::reports::verdict;
using testing::a_case;

claim_spec ratio_claim(std::string metric, double min, double max) {
  claim_spec s;
  s.id = "perf." + metric;
  s.text = "5-10x";
  s.metric = std::move(metric);
  s.baseline = {{"route", "sync"}};
  s.candidate = {{"route", "async"}};
  s.relation = relation_kind::ratio;
  s.min = min;
  s.max = max;
  return s;
}

claim_spec bound_claim(std::string metric, std::optional<double> at_least,
                       std::optional<double> at_most) {
  claim_spec s;
  s.id = "bound." + metric;
  s.text = "bound";
  s.metric = std::move(metric);
  s.relation = relation_kind::bound;
  s.min = at_least;
  s.max = at_most;
  return s;
}

std::vector<case_record> sync_and_async_throughput(double sync, double async, int reps) {
  auto cases = testing::repeated_cases("sync", reps, sync, 400e6, 0.05);
  for (auto& c : testing::repeated_cases("async", reps, async, 60e6, 0.05))
    cases.push_back(c);
  return cases;
}

TEST(evaluate, refutes_a_five_to_tenfold_throughput_claim_measured_at_twofold) {
  const auto cases = sync_and_async_throughput(100e6, 200e6, 8);
  const auto r = evaluate(ratio_claim("throughput_bytes_per_s", 5, 10), cases, 42);
  EXPECT_EQ(r.result, verdict::refuted) << r.explanation;
  ASSERT_TRUE(r.measured.value && r.measured.ci);
  EXPECT_NEAR(*r.measured.value, 2.0, 0.01);
  EXPECT_LT(r.measured.ci->high, 5);
  EXPECT_NE(r.explanation.find("entirely below"), std::string::npos) << r.explanation;
  EXPECT_EQ(r.measured.n, 16u);
}

TEST(evaluate, verifies_a_ratio_whose_interval_lies_inside_the_range) {
  const auto cases = sync_and_async_throughput(100e6, 700e6, 8);
  const auto r = evaluate(ratio_claim("throughput_bytes_per_s", 5, 10), cases, 42);
  EXPECT_EQ(r.result, verdict::verified) << r.explanation;
  EXPECT_GE(r.measured.ci->low, 5);
  EXPECT_LE(r.measured.ci->high, 10);
}

TEST(evaluate, refutes_a_ratio_that_exceeds_the_claimed_range) {
  const auto cases = sync_and_async_throughput(100e6, 2000e6, 8);
  const auto r = evaluate(ratio_claim("throughput_bytes_per_s", 5, 10), cases, 42);
  EXPECT_EQ(r.result, verdict::refuted);
  EXPECT_NE(r.explanation.find("entirely above"), std::string::npos) << r.explanation;
}

TEST(evaluate, judges_a_memory_reduction_on_the_reduction_scale) {
  const auto cases = sync_and_async_throughput(100e6, 100e6, 8);  // rss 400 MB vs 60 MB: -85%
  claim_spec s = ratio_claim("peak_rss_bytes", 0.8, 0.9);
  s.relation = relation_kind::reduction;
  const auto r = evaluate(s, cases, 42);
  EXPECT_EQ(r.result, verdict::verified) << r.explanation;
  EXPECT_NEAR(*r.measured.value, 0.85, 1e-9);
  EXPECT_EQ(r.expected, "reduction (1 - candidate/baseline) [0.8, 0.9]");
}

TEST(evaluate, is_inconclusive_with_too_few_cases_and_says_how_many_would_do) {
  const auto cases = sync_and_async_throughput(100e6, 700e6, 2);
  const auto r = evaluate(ratio_claim("throughput_bytes_per_s", 5, 10), cases, 42);
  EXPECT_EQ(r.result, verdict::inconclusive);
  ASSERT_TRUE(r.samples_needed);
  EXPECT_EQ(*r.samples_needed, 8u);
}

TEST(evaluate, does_not_judge_a_per_case_ratio_on_three_repeats_per_arm) {
  // 3 repeats per arm at 7x: a percentile bootstrap of three values per side would call this
  // "verified" on an interval far narrower than the truth; it needs 8 cases per arm.
  const auto cases = sync_and_async_throughput(100e6, 700e6, 3);
  const auto r = evaluate(ratio_claim("throughput_bytes_per_s", 5, 10), cases, 42);
  EXPECT_EQ(r.result, verdict::inconclusive) << r.explanation;
  ASSERT_TRUE(r.samples_needed);
  EXPECT_EQ(*r.samples_needed, 8u);
  EXPECT_NE(r.explanation.find("raise repeat to 8 in [scenario]"), std::string::npos)
      << r.explanation;
}

TEST(evaluate, names_the_repeat_that_gives_enough_cases_per_arm_over_several_cells) {
  // Three cells per arm, each run once: repeat = 3 gives 9 >= 8 cases per arm.
  std::vector<case_record> cases;
  for (const std::string route : {"sync", "async"}) {
    for (const std::string size : {"1KiB", "1MiB", "10MiB"}) {
      auto c = a_case(route + "-" + size, {{"route", route}, {"size", size}, {"repeat", "1"}});
      c.wall_seconds = 1;
      c.throughput_bytes_per_s = route == "sync" ? 100e6 : 700e6;
      cases.push_back(c);
    }
  }
  const auto r = evaluate(ratio_claim("throughput_bytes_per_s", 5, 10), cases, 42);
  EXPECT_EQ(r.result, verdict::inconclusive) << r.explanation;
  EXPECT_NE(r.explanation.find("add repeat = 3 to [scenario]"), std::string::npos) << r.explanation;
}

TEST(evaluate, names_the_uploads_per_case_that_would_settle_a_straddling_proportion) {
  auto few = a_case("few", {{"uploads", "200"}});
  testing::with_outcomes(few, 200, 1, true);
  const auto r = evaluate(bound_claim("timeout_rate", std::nullopt, 0.01), {&few, 1}, 1);
  EXPECT_EQ(r.result, verdict::inconclusive) << r.explanation;
  ASSERT_TRUE(r.samples_needed);
  EXPECT_NE(r.explanation.find(fmt::format("raise uploads to {} in [matrix]", *r.samples_needed)),
            std::string::npos)
      << r.explanation;
}

TEST(evaluate, stays_inconclusive_with_few_uploads_and_decides_with_enough) {
  // A true timeout rate of 0.5% claimed to be at most 1%: 200 uploads cannot tell, 20000 can.
  auto few = a_case("few", {});
  testing::with_outcomes(few, 200, 1, true);
  const auto undecided = evaluate(bound_claim("timeout_rate", std::nullopt, 0.01), {&few, 1}, 1);
  EXPECT_EQ(undecided.result, verdict::inconclusive) << undecided.explanation;
  ASSERT_TRUE(undecided.samples_needed);
  EXPECT_GT(*undecided.samples_needed, 200u);

  auto many = a_case("many", {});
  testing::with_outcomes(many, static_cast<int>(*undecided.samples_needed) * 2,
                         static_cast<int>(*undecided.samples_needed) / 100, true);
  const auto decided = evaluate(bound_claim("timeout_rate", std::nullopt, 0.01), {&many, 1}, 1);
  EXPECT_EQ(decided.result, verdict::verified) << decided.explanation;
  EXPECT_EQ(decided.measured.method.rfind("Wilson", 0), 0u);
}

TEST(evaluate, judges_57_of_57_passing_with_an_interval_not_a_certainty) {
  std::vector<case_record> cases;
  for (int i = 0; i < 57; ++i)
    cases.push_back(a_case(fmt::format("t{}", i), {}));
  claim_spec all_pass = bound_claim("case_pass_rate", 0.999, std::nullopt);
  const auto r = evaluate(all_pass, cases, 1);
  // 57/57 gives a Wilson lower bound of 0.937: it cannot show a pass rate of 99.9%.
  EXPECT_EQ(r.result, verdict::inconclusive) << r.explanation;
  EXPECT_NEAR(r.measured.ci->low, 0.9369, 1e-3);
  cases[3].status = rollproof::reports::case_status::failed;
  claim_spec all = bound_claim("case_pass_rate", 1.0, 1.0);
  EXPECT_EQ(evaluate(all, cases, 1).result, verdict::refuted);
}

TEST(evaluate, judges_a_claimed_count_of_exactly_these_cases_as_measured) {
  std::vector<case_record> cases;
  for (int i = 0; i < 16; ++i)
    cases.push_back(a_case(fmt::format("t{}", i), {}));
  claim_spec sixteen = bound_claim("case_pass_rate", 1.0, std::nullopt);
  sixteen.as_measured = true;
  const auto all = evaluate(sixteen, cases, 1);
  EXPECT_EQ(all.result, verdict::verified) << all.explanation;
  EXPECT_FALSE(all.measured.ci);
  cases[5].status = rollproof::reports::case_status::failed;
  const auto one_failed = evaluate(sixteen, cases, 1);
  EXPECT_EQ(one_failed.result, verdict::refuted) << one_failed.explanation;
  EXPECT_NEAR(*one_failed.measured.value, 15.0 / 16.0, 1e-12);
}

TEST(evaluate, compares_latency_percentiles_between_routes) {
  std::mt19937_64 rng(3);
  std::lognormal_distribution<double> sync_ms(std::log(200.0), 0.3), async_ms(std::log(120.0), 0.3);
  auto s = a_case("s", {{"route", "sync"}});
  auto a = a_case("a", {{"route", "async"}});
  std::vector<double> sv, av;
  for (int i = 0; i < 2000; ++i)
    sv.push_back(sync_ms(rng));
  for (int i = 0; i < 2000; ++i)
    av.push_back(async_ms(rng));
  testing::with_latencies(s, sv);
  testing::with_latencies(a, av);
  claim_spec spec = ratio_claim("latency_ms", 0.3, 0.5);
  spec.relation = relation_kind::reduction;
  spec.percentile = 50;
  const std::vector<case_record> cases = {s, a};
  const auto r = evaluate(spec, cases, 9);
  EXPECT_EQ(r.result, verdict::verified) << r.explanation;  // true reduction 0.40
  EXPECT_NE(r.measured.method.find("Mann-Whitney"), std::string::npos);
  EXPECT_NE(r.measured.method.find("Kolmogorov-Smirnov"), std::string::npos);
}

TEST(evaluate, narrows_both_sides_of_a_ratio_with_the_cases_selector) {
  auto cases = sync_and_async_throughput(100e6, 700e6, 8);
  for (auto& c : cases)
    c.parameters["size"] = "1MiB";
  for (auto& c : testing::repeated_cases("async", 8, 100e6, 60e6, 0.05)) {
    c.id += "-big";
    c.parameters["size"] = "100MiB";
    cases.push_back(c);
  }
  claim_spec spec = ratio_claim("throughput_bytes_per_s", 5, 10);
  EXPECT_NE(evaluate(spec, cases, 1).result, verdict::verified);  // 100MiB cases drag it down
  spec.cases = {{"size", "1MiB"}};
  const auto r = evaluate(spec, cases, 1);
  EXPECT_EQ(r.result, verdict::verified) << r.explanation;
  EXPECT_EQ(r.measured.n, 16u);
}

TEST(evaluate, gives_the_same_record_whatever_the_order_of_the_cases) {
  auto cases = sync_and_async_throughput(100e6, 300e6, 8);
  const auto spec = ratio_claim("throughput_bytes_per_s", 5, 10);
  const auto first = evaluate(spec, cases, 5);
  std::reverse(cases.begin(), cases.end());
  const auto second = evaluate(spec, cases, 5);
  EXPECT_EQ(first.measured.ci->low, second.measured.ci->low);
  EXPECT_EQ(first.measured.ci->high, second.measured.ci->high);
  EXPECT_EQ(first.explanation, second.explanation);
}

TEST(evaluate, checks_rollout_share_against_a_stage_with_a_tolerance) {
  auto c = a_case("stage10", {{"stage", "10"}});
  testing::with_outcomes(c, 10000, 0);
  for (int i = 0; i < 1000; ++i)
    c.uploads[static_cast<std::size_t>(i)].route = "async";
  claim_spec spec = bound_claim("rollout_share", 0.09, 0.11);
  spec.relation = relation_kind::proportion;
  spec.cases = {{"stage", "10"}};
  EXPECT_EQ(evaluate(spec, {&c, 1}, 1).result, verdict::verified);
}

TEST(evaluate, names_the_stages_users_as_the_fix_for_an_undecided_rollout_share) {
  // The seed's 100-user stage: 5 of 100 distinct users on async cannot tell 10% +- 1% apart.
  auto c = a_case("stage10", {{"stage", "10"}, {"users", "100"}, {"uploads", "100"}});
  testing::with_outcomes(c, 100, 0);
  for (std::size_t i = 0; i < c.uploads.size(); ++i) {
    c.uploads[i].user = "user-" + std::to_string(i);
    c.uploads[i].route = i < 5 ? "async" : "sync";
  }
  claim_spec spec = bound_claim("rollout_share", 0.09, 0.11);
  spec.relation = relation_kind::proportion;
  spec.cases = {{"stage", "10"}};
  const auto r = evaluate(spec, {&c, 1}, 1);
  EXPECT_EQ(r.result, verdict::inconclusive) << r.explanation;
  EXPECT_NE(r.explanation.find("raise the stage's users and uploads to"), std::string::npos)
      << r.explanation;
}

TEST(evaluate, tests_bucket_uniformity_with_chi_square) {
  auto c = a_case("buckets", {});
  for (int i = 0; i < 10; ++i)
    c.values["bucket_count." + std::to_string(i)] = 1000;
  c.values["bucket_count.3"] = 1400;  // clearly not uniform
  const auto r = evaluate(bound_claim("bucket_uniformity", 0.01, std::nullopt), {&c, 1}, 1);
  EXPECT_EQ(r.result, verdict::refuted) << r.explanation;
  EXPECT_NE(r.measured.method.find("chi-square"), std::string::npos);
}

TEST(evaluate, refuses_a_chi_square_with_fewer_than_five_expected_per_bucket) {
  // 10 buckets of 3 users: 30 users where Cochran's rule asks for 50.
  auto c = a_case("buckets", {});
  for (int i = 0; i < 10; ++i)
    c.values["bucket_count." + std::to_string(i)] = 3;
  const auto r = evaluate(bound_claim("bucket_uniformity", 0.01, std::nullopt), {&c, 1}, 1);
  EXPECT_EQ(r.result, verdict::inconclusive) << r.explanation;
  EXPECT_EQ(r.samples_needed, 50u);
}

TEST(evaluate, refuses_a_p99_ratio_on_too_few_uploads_to_bound_the_p99) {
  // A 95% interval for a p99 needs 0.99^n <= 0.025, n >= 368 per group (0.99^367 = 0.02502): 200
  // cannot, 400 can.
  auto judged = [](int n) {
    auto s = a_case("s", {{"route", "sync"}, {"uploads", std::to_string(n)}});
    auto a = a_case("a", {{"route", "async"}, {"uploads", std::to_string(n)}});
    std::vector<double> sv, av;
    for (int i = 0; i < n; ++i) {
      sv.push_back(200 + i % 50);
      av.push_back(100 + i % 50);
    }
    testing::with_latencies(s, sv);
    testing::with_latencies(a, av);
    claim_spec spec = ratio_claim("latency_ms", 0.1, 0.9);
    spec.percentile = 99;
    const std::vector<case_record> cases = {s, a};
    return evaluate(spec, cases, 9);
  };
  const auto few = judged(200);
  EXPECT_EQ(few.result, verdict::inconclusive) << few.explanation;
  EXPECT_EQ(few.samples_needed, 368u);
  EXPECT_NE(few.explanation.find("raise uploads to 368 in [matrix]"), std::string::npos)
      << few.explanation;
  EXPECT_NE(judged(400).result, verdict::inconclusive) << judged(400).explanation;
}

TEST(evaluate, reports_errors_for_no_matching_cases_and_unknown_metrics) {
  const auto cases = sync_and_async_throughput(1, 2, 3);
  claim_spec nobody = ratio_claim("throughput_bytes_per_s", 5, 10);
  nobody.candidate = {{"route", "carrier-pigeon"}};
  const auto r = evaluate(nobody, cases, 1);
  EXPECT_EQ(r.result, verdict::error);
  EXPECT_NE(r.reason.find("carrier-pigeon"), std::string::npos);
  const auto unknown = evaluate(ratio_claim("happiness", 1, 2), cases, 1);
  EXPECT_EQ(unknown.result, verdict::error);
  EXPECT_NE(unknown.reason.find("unknown metric"), std::string::npos);
}

TEST(evaluate, marks_unverifiable_claims_with_their_reason) {
  claim_spec s;
  s.id = "exai";
  s.text = "EXAI Validation: APPROVED";
  s.unverifiable = "an approval by a person is not a measurable property of the code";
  const auto r = evaluate(s, {}, 1);
  EXPECT_EQ(r.result, verdict::unverifiable);
  EXPECT_EQ(r.reason, s.unverifiable);
  EXPECT_FALSE(r.spec_json.empty());
}

TEST(evaluate, carries_the_spec_so_a_merge_can_judge_again) {
  const auto cases = sync_and_async_throughput(100e6, 300e6, 4);
  const auto spec = ratio_claim("throughput_bytes_per_s", 5, 10);
  const auto r = evaluate(spec, cases, 77);
  const auto back = claim_from_json(boost::json::parse(r.spec_json));
  ASSERT_TRUE(back);
  const auto again = evaluate(*back, cases, r.seed);
  EXPECT_EQ(again.explanation, r.explanation);
  EXPECT_EQ(again.seed, 77u);
}

}  // namespace
}  // namespace rollproof::claims

#include <rapidcheck/gtest.h>

namespace rollproof::claims {
namespace {

RC_GTEST_PROP(evaluate, gives_verdicts_consistent_with_the_reported_interval, ()) {
  const auto sync_n = *rc::gen::inRange(0, 7);
  const auto async_n = *rc::gen::inRange(0, 7);
  std::vector<case_record> cases;
  for (int i = 0; i < sync_n + async_n; ++i) {
    const bool sync = i < sync_n;
    auto c = a_case(fmt::format("c{}", i), {{"route", sync ? "sync" : "async"}});
    c.wall_seconds = 1;
    c.throughput_bytes_per_s = *rc::gen::inRange(0, 1000);
    cases.push_back(c);
  }
  const double lo = *rc::gen::inRange(0, 50) / 10.0;
  const double hi = lo + *rc::gen::inRange(0, 50) / 10.0;
  claim_spec spec = ratio_claim("throughput_bytes_per_s", lo, hi);
  spec.resamples = 200;
  const auto r = evaluate(spec, cases, 3);
  RC_ASSERT(r.result != verdict::unverifiable);
  if (r.result == verdict::verified || r.result == verdict::refuted) {
    RC_ASSERT(r.measured.ci.has_value());
    const auto& ci = *r.measured.ci;
    if (r.result == verdict::verified) RC_ASSERT(ci.low >= lo && ci.high <= hi);
    if (r.result == verdict::refuted) RC_ASSERT(ci.high < lo || ci.low > hi);
  }
  if (r.result == verdict::inconclusive && r.measured.ci && r.samples_needed.has_value())
    RC_ASSERT(*r.samples_needed > 0u);
  RC_ASSERT(!r.explanation.empty());
}

}  // namespace
}  // namespace rollproof::claims
