#include "subject_answers.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace rollproof::framework::detail {
namespace {

using clock = std::chrono::steady_clock;

boost::json::object answer(std::string_view json) {
  return boost::json::parse(json).as_object();
}

// A run of `n` uploads, all sent at `t0` and in flight.
upload_run run_of(std::size_t n, clock::time_point t0) {
  upload_run run{n};
  for (auto& started : run.started)
    started = t0;
  run.in_flight = n;
  return run;
}

TEST(take_upload_answer, fills_the_sample_its_id_names) {
  const auto t0 = clock::now();
  auto run = run_of(3, t0);
  ASSERT_TRUE(take_upload_answer(
      answer(R"({"id":"u-2","ok":true,"file_id":"f-9","route":"async","fallback":true,
                 "attempts":3,"status":200})"),
      run, t0 + std::chrono::milliseconds(250)));
  const auto& s = run.samples[2];
  EXPECT_TRUE(s.ok);
  EXPECT_TRUE(s.fallback);
  EXPECT_EQ(s.attempts, 3);
  EXPECT_EQ(s.status, 200);
  EXPECT_EQ(s.reported_route, "async");
  EXPECT_DOUBLE_EQ(s.latency_ms, 250.0);
  EXPECT_EQ(run.file_ids[2], "f-9");
  EXPECT_EQ(run.done, 1U);
  EXPECT_EQ(run.in_flight, 2U);
  EXPECT_FALSE(run.answered[0]);
}

TEST(take_upload_answer, a_failure_keeps_its_error_code_and_marks_timeouts) {
  const auto t0 = clock::now();
  auto run = run_of(2, t0);
  take_upload_answer(answer(R"({"id":"u-0","ok":false,"error":{"code":"timeout"}})"), run, t0);
  take_upload_answer(answer(R"({"id":"u-1","ok":false})"), run, t0);
  EXPECT_EQ(run.samples[0].error_code, "timeout");
  EXPECT_TRUE(run.samples[0].timed_out);
  EXPECT_EQ(run.samples[1].error_code, "internal");
  EXPECT_FALSE(run.samples[1].timed_out);
}

TEST(take_upload_answer, ids_it_did_not_send_and_second_answers_are_ignored) {
  const auto t0 = clock::now();
  auto run = run_of(2, t0);
  for (const auto* json :
       {R"({"id":"u-2","ok":true})", R"({"id":"u-","ok":true})", R"({"id":"u-1x","ok":true})",
        R"({"id":"u--1","ok":true})", R"({"id":"cfg","ok":true})", R"({"id":7,"ok":true})",
        R"({"ok":true})", R"({"id":"u-99999999999999999999999","ok":true})"})
    EXPECT_FALSE(take_upload_answer(answer(json), run, t0)) << json;
  EXPECT_TRUE(take_upload_answer(answer(R"({"id":"u-1","ok":true,"attempts":1})"), run, t0));
  EXPECT_FALSE(take_upload_answer(answer(R"({"id":"u-1","ok":false,"attempts":5})"), run, t0));
  EXPECT_TRUE(run.samples[1].ok);
  EXPECT_EQ(run.samples[1].attempts, 1);
  EXPECT_EQ(run.done, 1U);
  EXPECT_FALSE(run.answered[0]);
}

TEST(take_upload_answer, numbers_of_the_wrong_kind_read_as_zero_and_huge_ones_saturate) {
  const auto t0 = clock::now();
  auto run = run_of(3, t0);
  take_upload_answer(answer(R"({"id":"u-0","ok":true,"attempts":1.5,"status":"200"})"), run, t0);
  take_upload_answer(answer(R"({"id":"u-1","ok":true,"attempts":1e30,"status":null})"), run, t0);
  take_upload_answer(answer(R"({"id":"u-2","ok":"yes","attempts":9000000000,"route":5})"), run, t0);
  EXPECT_EQ(run.samples[0].attempts, 0);
  EXPECT_EQ(run.samples[0].status, 0);
  EXPECT_EQ(run.samples[1].attempts, 0);
  EXPECT_EQ(run.samples[2].attempts, std::numeric_limits<int>::max());
  EXPECT_FALSE(run.samples[2].ok);
  EXPECT_EQ(run.samples[2].reported_route, "");
}

TEST(append_bucket_answer, keeps_decisions_buckets_and_scale_of_a_well_formed_answer) {
  bucket_decisions out;
  ASSERT_TRUE(append_bucket_answer(
      answer(R"({"enabled":[true,false,1],"buckets":[5,9000,1.5],"scale":10000})"), 3, out));
  EXPECT_EQ(out.enabled, (std::vector<bool>{true, false, false}));
  EXPECT_EQ(out.buckets, (std::vector<std::int64_t>{5, 9000, -1}));
  EXPECT_EQ(out.scale, 10000);
}

TEST(append_bucket_answer, refuses_an_answer_without_one_decision_per_user) {
  bucket_decisions out;
  const auto short_answer = append_bucket_answer(answer(R"({"enabled":[true]})"), 2, out);
  ASSERT_FALSE(short_answer);
  EXPECT_NE(short_answer.error().find("'enabled'"), std::string::npos);
  EXPECT_FALSE(append_bucket_answer(answer(R"({"enabled":"all"})"), 1, out));
  EXPECT_FALSE(append_bucket_answer(answer(R"({})"), 0, out));
  EXPECT_TRUE(out.enabled.empty());
}

TEST(append_bucket_answer, ignores_buckets_that_do_not_match_the_users) {
  bucket_decisions out;
  ASSERT_TRUE(
      append_bucket_answer(answer(R"({"enabled":[true,true],"buckets":[1],"scale":100})"), 2, out));
  ASSERT_TRUE(append_bucket_answer(answer(R"({"enabled":[true],"buckets":[1]})"), 1, out));
  EXPECT_EQ(out.enabled.size(), 3U);
  EXPECT_TRUE(out.buckets.empty());
}

}  // namespace
}  // namespace rollproof::framework::detail
