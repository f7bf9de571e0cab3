#include "run_summary.hpp"

#include <gtest/gtest.h>

#include "sample_run.hpp"

namespace rollproof::reports::detail {
namespace {

TEST(aggregate, counts_uploads_and_takes_type_7_percentiles_of_successes) {
  case_record c;
  for (int i = 1; i <= 10; ++i) {
    upload_sample u;
    u.ok = i != 10;
    u.timed_out = i == 10;
    u.latency_ms = i;
    u.bytes = 100;
    c.uploads.push_back(u);
  }
  const auto a = aggregate(c);
  EXPECT_EQ(a.uploads, 10u);
  EXPECT_EQ(a.ok, 9u);
  EXPECT_EQ(a.timeouts, 1u);
  EXPECT_EQ(a.bytes, 1000u);
  EXPECT_EQ(a.latency_count, 9u);
  EXPECT_DOUBLE_EQ(a.latency_p50, 5);
  EXPECT_DOUBLE_EQ(a.latency_p90, 8.2);
  EXPECT_DOUBLE_EQ(a.latency_p95, 8.6);  // R: quantile(1:9, 0.95) = 8.6
  EXPECT_DOUBLE_EQ(a.latency_mean, 5);
  std::uint64_t binned = 0;
  for (const auto n : a.histogram_counts)
    binned += n;
  EXPECT_EQ(binned, 9u);
}

TEST(aggregate, shows_the_percentiles_the_case_check_recorded) {
  case_record c;
  for (const double ms : {10.0, 20.0, 30.0}) {
    upload_sample u;
    u.ok = true;
    u.latency_ms = ms;
    c.uploads.push_back(u);
  }
  // Whatever the check judged is what the report shows, not a second computation.
  c.values["latency_p50_ms"] = 21;
  c.values["latency_p95_ms"] = 29;
  c.values["latency_p99_ms"] = 29.9;
  const auto a = aggregate(c);
  EXPECT_DOUBLE_EQ(a.latency_p50, 21);
  EXPECT_DOUBLE_EQ(a.latency_p95, 29);
  EXPECT_DOUBLE_EQ(a.latency_p99, 29.9);
}

TEST(aggregate, leaves_out_the_uploads_a_stage_sent_after_its_rollback) {
  case_record c;
  for (int i = 0; i < 6; ++i) {
    upload_sample u;
    u.ok = i < 4;
    u.latency_ms = i < 4 ? 10 : 1000;
    u.phase = i < 4 ? upload_phase::stage : upload_phase::after_rollback;
    c.uploads.push_back(u);
  }
  const auto a = aggregate(c);
  EXPECT_EQ(a.uploads, 4u);
  EXPECT_EQ(a.ok, 4u);
  EXPECT_DOUBLE_EQ(a.latency_max, 10);
}

TEST(totals, counts_every_status_and_verdict_of_the_sample) {
  const auto t = totals(testing::sample_run());
  EXPECT_EQ(t.passed, 19u);
  EXPECT_EQ(t.failed, 1u);
  EXPECT_EQ(t.errors, 1u);
  EXPECT_EQ(t.skipped, 1u);
  EXPECT_EQ(t.verified, 1u);
  EXPECT_EQ(t.refuted, 1u);
  EXPECT_EQ(t.inconclusive, 1u);
  EXPECT_EQ(t.claim_errors, 1u);
  EXPECT_EQ(t.unverifiable, 1u);
}

TEST(fixed, never_uses_an_exponent) {
  EXPECT_EQ(fixed(1e-7, 3), "0.000");
  EXPECT_EQ(fixed(1234567.891234, 3), "1234567.891");
  EXPECT_EQ(fixed(-1, 3), "0.000");
}

}  // namespace
}  // namespace rollproof::reports::detail
