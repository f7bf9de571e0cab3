#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "rollout_checks.hpp"

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
  gate_analysis judged_by(const rollback_spec& rb) const {
    return analyse_gates(rb, samples, samples.size(), ledger);
  }

  std::vector<reports::upload_sample> samples;
  boost::json::array ledger;
};

rollback_spec error_rate_gate(double at_most, std::uint32_t window = 10) {
  rollback_spec rb;
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
  rb.window = 10;
  rb.timeout_rate_at_most = 0.1;
  const auto g = stage_under_test{}.unseen(10, true).judged_by(rb);
  EXPECT_EQ(g.failed, 1U);
  EXPECT_EQ(g.errors, 0U);
  EXPECT_NE(g.first_failure.find("timeout_rate 1.0000 > 0.1"), std::string::npos);
}

TEST(analyse_gates, the_latency_gate_reads_the_type_7_p95_of_ok_async_uploads) {
  rollback_spec rb;
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
  const auto g = analyse_gates(error_rate_gate(0.05), stage.samples, 10, stage.ledger);
  EXPECT_EQ(g.successful, 1U);
  EXPECT_FALSE(g.tripped);
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
