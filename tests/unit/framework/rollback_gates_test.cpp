#include "rollback_gates.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace rollproof::framework::detail {
namespace {

// A stage of uploads u-0, u-1, ... and the ledger of their first attempts, built line by line.
class stage_under_test {
 public:
  // One answered upload whose first attempt went on `route` and got `status`.
  stage_under_test& upload(std::string_view route, int status, double latency_ms = 10,
                           bool ok = true) {
    reports::upload_sample s;
    s.request_id = "u-" + std::to_string(samples.size());
    s.ok = ok;
    s.latency_ms = latency_ms;
    ledger.push_back(boost::json::object{{"method", "POST"},
                                         {"path", "/v1/files"},
                                         {"request_id", s.request_id},
                                         {"route", route},
                                         {"status", status}});
    samples.push_back(std::move(s));
    return *this;
  }
  // `n` uploads alike.
  stage_under_test& uploads(int n, std::string_view route, int status, double latency_ms = 10) {
    for (int i = 0; i < n; ++i)
      upload(route, status, latency_ms, status == 200);
    return *this;
  }
  // `n` uploads the server never saw (the subject answered, nothing reached the mock).
  stage_under_test& unseen(int n, bool timed_out = false) {
    for (int i = 0; i < n; ++i) {
      reports::upload_sample s;
      s.request_id = "u-" + std::to_string(samples.size());
      s.timed_out = timed_out;
      samples.push_back(std::move(s));
    }
    return *this;
  }
  // `n` uploads alike, each finishing `latency_ms` after it started at `start_s`.
  stage_under_test& uploads_at(int n, double start_s, std::string_view route, int status,
                               double latency_ms) {
    for (int i = 0; i < n; ++i) {
      upload(route, status, latency_ms, status == 200);
      samples.back().start_s = start_s;
    }
    return *this;
  }
  gate_analysis judged_by(const rollback_spec& rb, double alpha = 0.05) const {
    return analyse_gates(rb, alpha, samples, samples.size(), ledger);
  }

  std::vector<reports::upload_sample> samples;
  boost::json::array ledger;
};

// Today's window rule (method = "windows").
rollback_spec error_rate_gate(double at_most, std::uint32_t window = 10) {
  rollback_spec rb;
  rb.method = "windows";
  rb.window = window;
  rb.min_samples = 5;
  rb.error_rate_at_most = at_most;
  return rb;
}

TEST(analyse_gates, healthy_windows_are_successful_measurements_and_hold) {
  const auto g = stage_under_test{}.uploads(30, "async", 200).judged_by(error_rate_gate(0.05));
  EXPECT_EQ(g.successful, 3U);
  EXPECT_EQ(g.failed, 0U);
  EXPECT_FALSE(g.tripped);
  EXPECT_TRUE(g.first_failure.empty());
}

TEST(analyse_gates, an_async_error_rate_over_the_gate_fails_its_window_and_trips) {
  stage_under_test stage;
  stage.uploads(10, "async", 200).uploads(7, "async", 200).uploads(3, "async", 503);
  const auto g = stage.judged_by(error_rate_gate(0.2));
  EXPECT_EQ(g.successful, 1U);
  EXPECT_EQ(g.failed, 1U);
  EXPECT_TRUE(g.tripped);
  EXPECT_NE(g.first_failure.find("uploads 10..19: error_rate 0.3000 > 0.2"), std::string::npos)
      << g.first_failure;
}

TEST(analyse_gates, failures_up_to_the_failure_limit_are_tolerated) {
  auto rb = error_rate_gate(0.2);
  rb.failure_limit = 1;
  const auto g = stage_under_test{}.uploads(10, "async", 503).judged_by(rb);
  EXPECT_EQ(g.failed, 1U);
  EXPECT_FALSE(g.tripped);
}

TEST(analyse_gates, sync_route_failures_do_not_count_against_the_async_route) {
  stage_under_test stage;
  stage.uploads(5, "async", 200).uploads(5, "sync", 500);
  const auto g = stage.judged_by(error_rate_gate(0.0));
  EXPECT_EQ(g.successful, 1U);
  EXPECT_FALSE(g.tripped);
}

TEST(analyse_gates, a_window_with_too_few_async_uploads_is_inconclusive) {
  stage_under_test stage;
  stage.uploads(4, "async", 200).uploads(6, "sync", 200);
  auto rb = error_rate_gate(0.05);
  const auto g = stage.judged_by(rb);
  EXPECT_EQ(g.inconclusive, 1U);
  EXPECT_TRUE(g.tripped) << "inconclusive_limit 0 tolerates none";
  rb.inconclusive_limit = 1;
  EXPECT_FALSE(stage.judged_by(rb).tripped);
}

TEST(analyse_gates, windows_the_server_never_saw_are_errors_and_only_a_long_run_trips) {
  auto rb = error_rate_gate(0.05);
  rb.consecutive_error_limit = 2;
  stage_under_test two_dark;
  two_dark.unseen(20).uploads(10, "async", 200).unseen(10);
  const auto g = two_dark.judged_by(rb);
  EXPECT_EQ(g.errors, 3U);
  EXPECT_EQ(g.worst_error_run, 2U);
  EXPECT_FALSE(g.tripped);
  EXPECT_TRUE(stage_under_test{}.unseen(30).judged_by(rb).tripped);
}

TEST(analyse_gates, timeouts_are_judged_even_when_the_server_saw_nothing) {
  rollback_spec rb;
  rb.method = "windows";
  rb.window = 10;
  rb.timeout_rate_at_most = 0.1;
  const auto g = stage_under_test{}.unseen(10, true).judged_by(rb);
  EXPECT_EQ(g.failed, 1U);
  EXPECT_EQ(g.errors, 0U);
  EXPECT_NE(g.first_failure.find("timeout_rate 1.0000 > 0.1"), std::string::npos);
}

TEST(analyse_gates, the_latency_gate_reads_the_type_7_p95_of_ok_async_uploads) {
  rollback_spec rb;
  rb.method = "windows";
  rb.window = 20;
  rb.min_samples = 1;
  rb.latency_p95_ms_at_most = 100;
  // Type 7 at n = 20: p95 = x(19) + 0.05 (x(20) - x(19)), the same p95 as checks and claims.
  stage_under_test one_a_little_slow;  // 10 + 0.05 * 190 = 19.5 ms
  one_a_little_slow.uploads(19, "async", 200, 10).upload("async", 200, 200);
  EXPECT_EQ(one_a_little_slow.judged_by(rb).failed, 0U);
  stage_under_test one_very_slow;  // 10 + 0.05 * 4990 = 259.5 ms
  one_very_slow.uploads(19, "async", 200, 10).upload("async", 200, 5000);
  const auto g = one_very_slow.judged_by(rb);
  EXPECT_EQ(g.failed, 1U);
  EXPECT_NE(g.first_failure.find("latency_p95_ms 259.5 > 100"), std::string::npos)
      << g.first_failure;
}

TEST(analyse_gates, only_the_first_count_uploads_are_judged) {
  stage_under_test stage;
  stage.uploads(10, "async", 200).uploads(10, "async", 503);
  const auto g = analyse_gates(error_rate_gate(0.05), 0.05, stage.samples, 10, stage.ledger);
  EXPECT_EQ(g.successful, 1U);
  EXPECT_FALSE(g.tripped);
}

// The sequential gate (the default method) on the error rate.
rollback_spec sequential_error_rate_gate(double at_most) {
  rollback_spec rb;
  rb.error_rate_at_most = at_most;
  return rb;
}

TEST(sequential_gates, a_failing_async_route_trips_before_the_stage_ends) {
  stage_under_test stage;
  for (int i = 0; i < 100; ++i)
    stage.upload("async", i % 2 == 0 ? 500 : 200, 10, i % 2 != 0);
  const auto g = stage.judged_by(sequential_error_rate_gate(0.05));
  EXPECT_TRUE(g.tripped);
  EXPECT_FALSE(g.undecided);
  EXPECT_GT(g.decided_after, 0U);
  EXPECT_LT(g.decided_after, 30U) << g.describe();
  EXPECT_NE(g.describe().find("error_rate"), std::string::npos) << g.describe();
}

TEST(sequential_gates, a_healthy_route_holds_once_the_evidence_suffices) {
  const auto g =
      stage_under_test{}.uploads(600, "async", 200).judged_by(sequential_error_rate_gate(0.05));
  EXPECT_FALSE(g.tripped);
  EXPECT_FALSE(g.undecided) << g.describe();
  EXPECT_LT(g.decided_after, 600U);
  EXPECT_NE(g.describe().find("bounds hold"), std::string::npos) << g.describe();
}

TEST(sequential_gates, a_short_stage_ends_inconclusive_with_the_uploads_it_would_need) {
  stage_under_test stage;  // 1 failure in 40: far too few uploads to tell 2.5% from 5%
  stage.uploads(39, "async", 200).uploads(1, "async", 500);
  auto rb = sequential_error_rate_gate(0.05);
  const auto held = stage.judged_by(rb);
  EXPECT_TRUE(held.undecided);
  EXPECT_FALSE(held.tripped) << "on_inconclusive defaults to hold";
  ASSERT_TRUE(held.uploads_needed.has_value());
  EXPECT_GT(*held.uploads_needed, 40U);
  EXPECT_NE(held.describe().find(std::to_string(*held.uploads_needed) + " more upload"),
            std::string::npos)
      << held.describe();
  rb.on_inconclusive = "rollback";
  EXPECT_TRUE(stage.judged_by(rb).tripped);
  // The projection is right: that many more uploads at the same rate do decide.
  stage_under_test longer;
  const int total = 40 + static_cast<int>(*held.uploads_needed);
  for (int i = 0; i < total; ++i)
    longer.upload("async", i % 40 == 39 ? 500 : 200, 10, i % 40 != 39);
  EXPECT_FALSE(longer.judged_by(sequential_error_rate_gate(0.05)).undecided);
}

TEST(sequential_gates, a_short_comparative_stage_ends_inconclusive_with_the_uploads_it_would_need) {
  stage_under_test stage;  // 1 failure in 40 on each route: too few to tell 0 from the margin
  stage.uploads(39, "async", 200).uploads(1, "async", 500);
  stage.uploads(39, "sync", 200).uploads(1, "sync", 500);
  rollback_spec rb;
  rb.error_rate_over_baseline_at_most = 0.02;
  const auto held = stage.judged_by(rb);
  EXPECT_TRUE(held.undecided);
  EXPECT_FALSE(held.tripped) << "on_inconclusive defaults to hold";
  ASSERT_TRUE(held.uploads_needed.has_value());
  EXPECT_GT(*held.uploads_needed, 80U);
  EXPECT_NE(held.describe().find("error_rate_over_baseline 0.0000"), std::string::npos)
      << held.describe();
  rb.on_inconclusive = "rollback";
  EXPECT_TRUE(stage.judged_by(rb).tripped);
}

TEST(sequential_gates, a_canary_failing_far_more_than_its_baseline_trips_the_comparative_gate) {
  stage_under_test stage;  // async fails 1 in 2, sync never
  for (int i = 0; i < 200; ++i)
    stage.upload("async", i % 2 == 0 ? 500 : 200, 10, i % 2 != 0);
  stage.uploads(200, "sync", 200);
  rollback_spec rb;
  rb.error_rate_over_baseline_at_most = 0.02;
  const auto out = stage.judged_by(rb);
  EXPECT_TRUE(out.tripped);
  EXPECT_FALSE(out.undecided);
}

TEST(sequential_gates, sync_route_failures_are_not_async_observations) {
  stage_under_test stage;
  stage.uploads(20, "sync", 500).uploads(20, "async", 200);
  const auto g = stage.judged_by(sequential_error_rate_gate(0.05));
  EXPECT_FALSE(g.tripped) << g.describe();
  EXPECT_NE(g.describe().find("n=20"), std::string::npos) << g.describe();
}

TEST(sequential_gates, uploads_are_judged_in_the_order_they_complete) {
  stage_under_test stage;  // 40 slow successes sent first, 40 fast failures finishing first
  stage.uploads_at(40, 0.0, "async", 200, 5000).uploads_at(40, 0.1, "async", 500, 5);
  const auto g = stage.judged_by(sequential_error_rate_gate(0.05));
  EXPECT_TRUE(g.tripped);
  EXPECT_LE(g.decided_after, 40U) << "the failures completed first: " << g.describe();
}

TEST(sequential_gates, the_latency_gate_trips_when_more_than_5_percent_exceed_the_bound) {
  rollback_spec rb;
  rb.latency_p95_ms_at_most = 100;
  stage_under_test slow;  // a third of the uploads above 100 ms: p95 far above the bound
  for (int i = 0; i < 90; ++i)
    slow.upload("async", 200, i % 3 == 0 ? 250 : 10);
  EXPECT_TRUE(slow.judged_by(rb).tripped) << slow.judged_by(rb).describe();
  const auto fast = stage_under_test{}.uploads(400, "async", 200, 10).judged_by(rb);
  EXPECT_FALSE(fast.tripped);
  EXPECT_FALSE(fast.undecided) << fast.describe();
}

TEST(sequential_gates, looks_between_uploads_see_every_upload_taken_since) {
  rollback_spec rb = sequential_error_rate_gate(0.05);
  sequential_gates gates(rb, 0.05);
  for (int i = 0; i < 30; ++i)
    gates.add({.seen = true, .async = true, .failed = true});
  const auto before = gates.result("hold");
  EXPECT_TRUE(before.undecided) << "nothing is judged before a look";
  EXPECT_TRUE(gates.look());
  const auto after = gates.result("hold");
  EXPECT_TRUE(after.tripped);
  EXPECT_EQ(after.decided_after, 30U);
}

TEST(stage_alpha, splits_alpha_over_the_stages_above_zero) {
  scenario sc;
  sc.matrix.stages = {{0, 0, 0}, {10, 0, 0}, {25, 0, 0}, {50, 0, 0}, {100, 0, 0}};
  sc.rollback.emplace();
  sc.rollback->alpha = 0.04;
  EXPECT_DOUBLE_EQ(stage_alpha(sc), 0.01);
}

TEST(rollback_target, is_the_previous_stage_or_zero_as_configured) {
  scenario sc;
  sc.matrix.stages = {{0, 0, 0}, {1, 0, 0}, {10, 0, 0}, {50, 0, 0}};
  sc.rollback.emplace();
  EXPECT_EQ(rollback_target(sc, 50), 10);
  EXPECT_EQ(rollback_target(sc, 10), 1);
  EXPECT_EQ(rollback_target(sc, 1), 0);
  sc.rollback->to = "zero";
  EXPECT_EQ(rollback_target(sc, 50), 0);
}

}  // namespace
}  // namespace rollproof::framework::detail
