#include "rollproof/upload/uploader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace rollproof::upload {
namespace {

using ::testing::_;
using ::testing::Invoke;
using ::testing::NiceMock;

class mock_transport : public transport {
 public:
  MOCK_METHOD(void, send, (attempt_request, std::function<void(http_outcome)>), (override));
};

// Runs every wait at once and remembers how long it was asked to wait.
class immediate_scheduler : public delay_scheduler {
 public:
  void after(std::chrono::milliseconds delay, std::function<void()> action) override {
    delays.push_back(delay);
    action();
  }
  std::vector<std::chrono::milliseconds> delays;
};

http_outcome file_object() {
  return {200, R"({"id":"file-1","object":"file","bytes":5})", std::nullopt, std::nullopt, {}};
}
http_outcome http_status(long status, std::optional<std::string> retry_after = {}) {
  return {
      status, R"({"error":{"message":"x","type":"t"}})", std::move(retry_after), std::nullopt, {}};
}
http_outcome network_failure(error_code code) {
  return {0, "", std::nullopt, upload_error{code, "simulated"}, {}};
}

// Each call of the transport answers the next outcome of the list.
auto answers(std::vector<http_outcome> outcomes, std::vector<attempt_request>* seen = nullptr) {
  auto queue = std::make_shared<std::vector<http_outcome>>(std::move(outcomes));
  auto index = std::make_shared<std::size_t>(0);
  return Invoke([=](attempt_request r, std::function<void(http_outcome)> done) {
    if (seen) seen->push_back(r);
    done((*queue).at((*index)++));
  });
}

class uploader_test : public ::testing::Test {
 protected:
  void SetUp() override {
    file_ = std::filesystem::temp_directory_path() /
            ("rollproof_uploader_test_" + std::to_string(::getpid()) + ".txt");
    std::ofstream{file_} << "hello";
    config_.providers[provider_kind::kimi] = {provider_kind::kimi, "http://127.0.0.1:1/v1",
                                              "sk-test"};
    config_.settings.max_retries = 2;
  }
  void TearDown() override { std::filesystem::remove(file_); }

  void route_everyone_async() {
    config_.async_upload.enabled = true;
    config_.async_upload.rollout_percent = 100;
  }

  upload_result upload_once() {
    uploader up{{&sync_, &async_, &scheduler_, &metrics_, nullptr}, 42};
    std::optional<upload_result> result;
    up.upload(config_, {"u-1", provider_kind::kimi, file_, "file-extract", "user-1"},
              [&](upload_result r) { result = std::move(r); });
    EXPECT_TRUE(result.has_value());
    return result.value_or(upload_result{});
  }

  std::filesystem::path file_;
  client_config config_;
  mock_transport sync_, async_;
  immediate_scheduler scheduler_;
  metrics_registry metrics_;
};

TEST_F(uploader_test, a_first_time_success_takes_one_attempt_on_the_flags_route) {
  route_everyone_async();
  std::vector<attempt_request> seen;
  EXPECT_CALL(async_, send(_, _)).WillOnce(answers({file_object()}, &seen));
  EXPECT_CALL(sync_, send(_, _)).Times(0);
  const auto r = upload_once();
  EXPECT_FALSE(r.error.has_value());
  EXPECT_EQ(r.file_id, "file-1");
  EXPECT_EQ(r.via, route::async);
  EXPECT_FALSE(r.fallback);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.bytes, 5U);
  ASSERT_EQ(seen.size(), 1U);
  EXPECT_EQ(seen[0].request_id, "u-1");
  EXPECT_EQ(seen[0].via, route::async);
  EXPECT_EQ(seen[0].url, "http://127.0.0.1:1/v1/files");
  EXPECT_EQ(seen[0].filename, file_.filename().string());
}

TEST_F(uploader_test, a_disabled_flag_sends_everyone_sync) {
  EXPECT_CALL(sync_, send(_, _)).WillOnce(answers({file_object()}));
  EXPECT_CALL(async_, send(_, _)).Times(0);
  EXPECT_EQ(upload_once().via, route::sync);
}

TEST_F(uploader_test, a_server_error_is_retried_after_a_backoff) {
  EXPECT_CALL(sync_, send(_, _))
      .Times(2)
      .WillRepeatedly(answers({http_status(503), file_object()}));
  const auto r = upload_once();
  EXPECT_FALSE(r.error.has_value());
  EXPECT_EQ(r.attempts, 2);
  ASSERT_EQ(scheduler_.delays.size(), 1U);
  EXPECT_GE(scheduler_.delays[0], std::chrono::milliseconds{config_.settings.backoff_base_ms / 2});
  EXPECT_LE(scheduler_.delays[0], std::chrono::milliseconds{config_.settings.backoff_base_ms});
}

TEST_F(uploader_test, retry_after_sets_the_wait_of_a_rate_limited_attempt) {
  EXPECT_CALL(sync_, send(_, _))
      .Times(2)
      .WillRepeatedly(answers({http_status(429, "2"), file_object()}));
  upload_once();
  ASSERT_EQ(scheduler_.delays.size(), 1U);
  EXPECT_EQ(scheduler_.delays[0], std::chrono::milliseconds{2000});
}

TEST_F(uploader_test, retries_stop_at_max_retries_and_report_the_last_error) {
  EXPECT_CALL(sync_, send(_, _))
      .Times(3)
      .WillRepeatedly(
          answers({http_status(500), http_status(502), network_failure(error_code::timeout)}));
  const auto r = upload_once();
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->code, error_code::timeout);
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(r.status, 0);
}

TEST_F(uploader_test, an_auth_error_is_neither_retried_nor_sent_sync) {
  route_everyone_async();
  EXPECT_CALL(async_, send(_, _)).WillOnce(answers({http_status(401)}));
  EXPECT_CALL(sync_, send(_, _)).Times(0);
  const auto r = upload_once();
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->code, error_code::auth);
  EXPECT_FALSE(r.fallback);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.status, 401);
}

TEST_F(uploader_test, too_large_and_bad_request_never_fall_back) {
  route_everyone_async();
  EXPECT_CALL(async_, send(_, _))
      .WillOnce(answers(
          {{400,
            R"({"error":{"message":"File size is too large, max file size is 100MB","type":"invalid_request_error"}})",
            {},
            {},
            {}}}));
  EXPECT_CALL(sync_, send(_, _)).Times(0);
  const auto r = upload_once();
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->code, error_code::too_large);
  EXPECT_FALSE(r.fallback);
}

TEST_F(uploader_test, an_async_route_that_keeps_failing_falls_back_to_sync) {
  route_everyone_async();
  EXPECT_CALL(async_, send(_, _))
      .Times(3)
      .WillRepeatedly(
          answers({http_status(503), http_status(503), network_failure(error_code::connection)}));
  EXPECT_CALL(sync_, send(_, _)).WillOnce(answers({file_object()}));
  const auto r = upload_once();
  EXPECT_FALSE(r.error.has_value());
  EXPECT_TRUE(r.fallback);
  EXPECT_EQ(r.via, route::async);
  EXPECT_EQ(r.attempts, 4);
  EXPECT_EQ(r.status, 200);
}

TEST_F(uploader_test, a_protocol_error_falls_back_without_retrying_async) {
  route_everyone_async();
  EXPECT_CALL(async_, send(_, _)).WillOnce(answers({{200, "not json", {}, {}, {}}}));
  EXPECT_CALL(sync_, send(_, _)).WillOnce(answers({file_object()}));
  const auto r = upload_once();
  EXPECT_FALSE(r.error.has_value());
  EXPECT_TRUE(r.fallback);
  EXPECT_EQ(r.attempts, 2);
}

TEST_F(uploader_test, when_both_routes_fail_the_last_error_is_returned) {
  route_everyone_async();
  config_.settings.max_retries = 0;
  EXPECT_CALL(async_, send(_, _)).WillOnce(answers({network_failure(error_code::timeout)}));
  EXPECT_CALL(sync_, send(_, _)).WillOnce(answers({http_status(502)}));
  const auto r = upload_once();
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->code, error_code::server_error);
  EXPECT_TRUE(r.fallback);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_EQ(r.status, 502);
}

TEST_F(uploader_test, fallback_can_be_switched_off) {
  route_everyone_async();
  config_.settings.max_retries = 0;
  config_.settings.fallback = false;
  EXPECT_CALL(async_, send(_, _)).WillOnce(answers({http_status(503)}));
  EXPECT_CALL(sync_, send(_, _)).Times(0);
  const auto r = upload_once();
  ASSERT_TRUE(r.error.has_value());
  EXPECT_FALSE(r.fallback);
}

TEST_F(uploader_test, a_missing_file_fails_with_io_before_any_attempt) {
  std::filesystem::remove(file_);
  EXPECT_CALL(sync_, send(_, _)).Times(0);
  const auto r = upload_once();
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->code, error_code::io);
  EXPECT_EQ(r.attempts, 0);
  EXPECT_EQ(r.status, 0);
}

TEST_F(uploader_test, an_unconfigured_provider_is_a_bad_request) {
  config_.providers.clear();
  EXPECT_CALL(sync_, send(_, _)).Times(0);
  const auto r = upload_once();
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->code, error_code::bad_request);
}

TEST_F(uploader_test, metrics_count_attempts_per_wire_route_and_the_upload_under_its_final_route) {
  route_everyone_async();
  config_.settings.max_retries = 0;
  EXPECT_CALL(async_, send(_, _)).WillOnce(answers({http_status(503)}));
  EXPECT_CALL(sync_, send(_, _)).WillOnce(answers({file_object()}));
  upload_once();
  const auto totals = metrics_.to_json().at("totals");
  EXPECT_EQ(totals.at("kimi").at("async").at("attempts").to_number<int>(), 1);
  EXPECT_EQ(totals.at("kimi").at("sync").at("attempts").to_number<int>(), 1);
  EXPECT_EQ(totals.at("kimi").at("sync").at("uploads_ok").to_number<int>(), 1);
  EXPECT_EQ(totals.at("kimi").at("sync").at("fallbacks").to_number<int>(), 1);
}

// A success that libcurl reached only after resending the request once on a fresh connection.
http_outcome file_object_after_one_resend() {
  auto outcome = file_object();
  outcome.resent_requests.push_back(std::chrono::microseconds{1500});
  return outcome;
}

TEST_F(uploader_test, a_request_libcurl_resent_by_itself_counts_in_the_answer_metrics_and_log) {
  route_everyone_async();
  EXPECT_CALL(async_, send(_, _)).WillOnce(answers({file_object_after_one_resend()}));
  std::ostringstream log_lines;
  event_log log{log_lines};
  uploader up{{&sync_, &async_, &scheduler_, &metrics_, &log}, 42};
  std::optional<upload_result> result;
  up.upload(config_, {"u-1", provider_kind::kimi, file_, "file-extract", "user-1"},
            [&](upload_result r) { result = std::move(r); });
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(result->error.has_value());
  EXPECT_EQ(result->attempts, 2);
  EXPECT_FALSE(result->fallback);
  const auto async_totals = metrics_.to_json().at("totals").at("kimi").at("async");
  EXPECT_EQ(async_totals.at("attempts").to_number<int>(), 2);
  const std::string lines = log_lines.str();
  EXPECT_NE(lines.find(R"("attempt":1,"status":0,"duration_us":1500,"error":"connection")"),
            std::string::npos)
      << lines;
  EXPECT_NE(lines.find(R"("attempt":2,"status":200)"), std::string::npos) << lines;
}

}  // namespace
}  // namespace rollproof::upload
