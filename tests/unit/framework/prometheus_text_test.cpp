#include "prometheus_text.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "rollproof/upload/metrics.hpp"

namespace rollproof::framework::detail {
namespace {

std::string error_of(std::string_view text) {
  const auto parsed = parse_prometheus_text(text);
  return parsed ? std::string("(parsed)") : parsed.error();
}

TEST(parse_prometheus_text, reads_every_counter_the_upload_subject_exposes) {
  upload::metrics_registry m;
  m.record_attempt(upload::provider_kind::kimi, upload::route::async, "server_error", 0.01);
  m.record_attempt(upload::provider_kind::kimi, upload::route::sync, "ok", 0.02);
  m.record_upload(upload::provider_kind::kimi, upload::route::sync, "ok", 2048, true, 0.03);
  const auto samples = parse_prometheus_text(m.to_prometheus());
  ASSERT_TRUE(samples) << samples.error();
  EXPECT_EQ(sum_of(*samples, "rollproof_upload_attempts_total", {{"provider", "kimi"}}), 2);
  EXPECT_EQ(sum_of(*samples, "rollproof_upload_attempts_total", {{"route", "async"}}), 1);
  EXPECT_EQ(sum_of(*samples, "rollproof_upload_uploads_total", {{"outcome", "ok"}}), 1);
  EXPECT_EQ(sum_of(*samples, "rollproof_upload_fallbacks_total", {{"route", "sync"}}), 1);
  EXPECT_EQ(sum_of(*samples, "rollproof_upload_duration_seconds_count", {}), 1);
}

TEST(parse_prometheus_text, resolves_label_escapes_and_accepts_timestamps_and_comments) {
  const auto samples = parse_prometheus_text(
      "# a free comment\n"
      "# TYPE x counter\n"
      "x{a=\"q\\\"\\\\\\n\",b=\"2\",} 3 1700000000000\n"
      "\n"
      "y +Inf\n");
  ASSERT_TRUE(samples) << samples.error();
  ASSERT_EQ(samples->size(), 2u);
  EXPECT_EQ(samples->front().labels.at("a"), "q\"\\\n");
  EXPECT_EQ(samples->front().value, 3);
  EXPECT_TRUE(std::isinf(samples->back().value));
}

TEST(parse_prometheus_text, names_the_line_and_column_of_what_is_wrong) {
  EXPECT_EQ(error_of("x 1\ny{a=\"1\"}\n"), "line 2:9: expected a blank before the sample value");
  EXPECT_EQ(error_of("x{a=1} 2\n"), "line 1:5: expected '\"' to open a label value");
  EXPECT_EQ(error_of("x{a=\"1\\t\"} 2\n"), "line 1:7: unknown escape '\\t' in a label value");
  EXPECT_EQ(error_of("x one\n"), "line 1:6: 'one' is not a number");
  EXPECT_EQ(error_of("{a=\"1\"} 2\n"), "line 1:1: expected a metric name");
}

TEST(parse_prometheus_text, rejects_repeated_series_misplaced_types_and_negative_counters) {
  EXPECT_NE(error_of("x{a=\"1\"} 1\nx{a=\"1\"} 2\n").find("a second sample of x"),
            std::string::npos);
  EXPECT_NE(error_of("x 1\n# TYPE x counter\n").find("TYPE of x after its samples"),
            std::string::npos);
  EXPECT_NE(error_of("# TYPE x counter\n# TYPE x gauge\n").find("a second TYPE"),
            std::string::npos);
  EXPECT_NE(error_of("# TYPE x meter\n").find("unknown metric type"), std::string::npos);
  EXPECT_NE(error_of("# TYPE x counter\nx -1\n").find("negative"), std::string::npos);
  EXPECT_EQ(error_of("# TYPE x gauge\nx -1\n"), "(parsed)");
}

}  // namespace
}  // namespace rollproof::framework::detail
