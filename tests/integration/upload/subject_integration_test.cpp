#include <gtest/gtest.h>

#include <set>

#include "rollproof/common/sha256.hpp"
#include "upload_harness.hpp"

namespace rollproof::upload::testing {
namespace {

const std::string kimi_key = "sk-rollproof-it-kimi-0123456789";
const std::string glm_key = "rollproof-it.glm-secret-abcdef";

boost::json::object configure_request(const mock_server& kimi, const mock_server& glm, bool async,
                                      boost::json::object settings = {},
                                      std::string kimi_api_key = kimi_key) {
  return {{"id", "cfg"},
          {"op", "configure"},
          {"providers",
           {{"kimi", {{"base_url", kimi.base_url()}, {"api_key", kimi_api_key}}},
            {"glm", {{"base_url", glm.base_url()}, {"api_key", glm_key}}}}},
          {"flags",
           {{"async_upload", {{"enabled", async}, {"rollout_percent", 100.0}, {"salt", "it"}}}}},
          {"settings", std::move(settings)}};
}

boost::json::object upload_request(const std::string& id, const std::string& provider,
                                   const std::filesystem::path& file) {
  return {{"id", id},
          {"op", "upload"},
          {"provider", provider},
          {"file", file.string()},
          {"purpose", "file-extract"},
          {"user", "user-" + id}};
}

// Ledger entries of one upload request id.
std::vector<boost::json::object> entries_of(const boost::json::array& ledger,
                                            const std::string& id) {
  std::vector<boost::json::object> out;
  for (const auto& e : ledger)
    if (e.at("request_id").is_string() && e.at("request_id").as_string() == id)
      out.push_back(e.as_object());
  return out;
}

class subject_integration : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(bin_dir() / "rollproof-mock")) << "build rollproof-mock";
    ASSERT_TRUE(kimi_.ready());
    ASSERT_TRUE(glm_.ready());
  }
  temp_dir dir_;
  mock_server kimi_{"kimi", kimi_key};
  mock_server glm_{"glm", glm_key};
};

TEST_F(subject_integration, uploads_arrive_intact_on_both_routes_at_both_providers) {
  subject_process subject{dir_.path()};
  const auto file = dir_.file_of("data.bin", 3 * 1024 * 1024 + 17);
  const auto digest = sha256_file(file).value();
  for (bool async : {true, false}) {
    ASSERT_TRUE(subject.call(configure_request(kimi_, glm_, async)).at("ok").as_bool());
    for (const std::string provider : {"kimi", "glm"}) {
      const std::string id = provider + (async ? "-async" : "-sync");
      const auto r = subject.call(upload_request(id, provider, file));
      ASSERT_TRUE(r.at("ok").as_bool()) << boost::json::serialize(r);
      EXPECT_EQ(r.at("route").as_string(), async ? "async" : "sync");
      EXPECT_FALSE(r.at("fallback").as_bool());
      EXPECT_EQ(r.at("attempts").to_number<int>(), 1);
      EXPECT_EQ(r.at("status").to_number<int>(), 200);
      EXPECT_EQ(r.at("bytes").to_number<std::uint64_t>(), std::filesystem::file_size(file));
      const auto entries = entries_of((provider == "kimi" ? kimi_ : glm_).ledger(), id);
      ASSERT_EQ(entries.size(), 1U) << id;
      EXPECT_EQ(entries[0].at("sha256").as_string(), digest) << id;
      EXPECT_EQ(entries[0].at("route").as_string(), async ? "async" : "sync") << id;
      EXPECT_EQ(entries[0].at("file_id").as_string(), r.at("file_id").as_string()) << id;
      EXPECT_EQ(entries[0].at("filename").as_string(), "data.bin");
      EXPECT_EQ(entries[0].at("purpose").as_string(), "file-extract");
    }
  }
  EXPECT_EQ(subject.close_and_wait(), 0);
}

TEST_F(subject_integration, a_wrong_api_key_is_an_auth_error_without_retry_or_fallback) {
  subject_process subject{dir_.path()};
  ASSERT_TRUE(
      subject.call(configure_request(kimi_, glm_, true, {}, "sk-wrong-key")).at("ok").as_bool());
  const auto r = subject.call(upload_request("bad-key", "kimi", dir_.file_of("a.txt", 100)));
  ASSERT_FALSE(r.at("ok").as_bool());
  EXPECT_EQ(r.at("error").at("code").as_string(), "auth");
  EXPECT_EQ(r.at("status").to_number<int>(), 401);
  EXPECT_EQ(r.at("attempts").to_number<int>(), 1);
  EXPECT_FALSE(r.at("fallback").as_bool());
  EXPECT_EQ(entries_of(kimi_.ledger(), "bad-key").size(), 1U);
  EXPECT_EQ(subject.close_and_wait(), 0);
}

TEST_F(subject_integration, an_async_route_answering_503_falls_back_to_sync) {
  glm_.put_faults(R"({"rules":[{"name":"async-down","match":{"method":"POST","path":"*/files",
    "header":{"name":"User-Agent","regex":"route=async"}},"action":{"kind":"status","status":503}}]})");
  subject_process subject{dir_.path()};
  const auto settings =
      boost::json::object{{"max_retries", 1}, {"backoff_base_ms", 1}, {"backoff_max_ms", 2}};
  ASSERT_TRUE(subject.call(configure_request(kimi_, glm_, true, settings)).at("ok").as_bool());
  const auto file = dir_.file_of("b.bin", 200000);
  const auto r = subject.call(upload_request("fb", "glm", file));
  ASSERT_TRUE(r.at("ok").as_bool()) << boost::json::serialize(r);
  EXPECT_TRUE(r.at("fallback").as_bool());
  EXPECT_EQ(r.at("attempts").to_number<int>(), 3);
  const auto entries = entries_of(glm_.ledger(), "fb");
  ASSERT_EQ(entries.size(), 3U);
  EXPECT_EQ(entries[0].at("route").as_string(), "async");
  EXPECT_EQ(entries[0].at("status").to_number<int>(), 503);
  EXPECT_EQ(entries[1].at("route").as_string(), "async");
  EXPECT_EQ(entries[2].at("route").as_string(), "sync");
  EXPECT_EQ(entries[2].at("status").to_number<int>(), 200);
  EXPECT_EQ(entries[2].at("sha256").as_string(), sha256_file(file).value());
  // The subject's metrics agree with the ledger, route by route.
  const auto m = subject.call({{"id", "m"}, {"op", "metrics"}});
  const auto& glm_totals = m.at("metrics").at("totals").at("glm");
  EXPECT_EQ(glm_totals.at("async").at("attempts").to_number<int>(), 2);
  EXPECT_EQ(glm_totals.at("sync").at("attempts").to_number<int>(), 1);
  EXPECT_EQ(glm_totals.at("sync").at("uploads_ok").to_number<int>(), 1);
  EXPECT_EQ(glm_totals.at("sync").at("fallbacks").to_number<int>(), 1);
  EXPECT_EQ(subject.close_and_wait(), 0);
}

TEST_F(subject_integration, a_rate_limit_with_retry_after_is_retried_on_the_same_route) {
  kimi_.put_faults(R"({"rules":[{"name":"one-429","match":{"method":"POST","path":"*/files"},
    "schedule":{"first":1},"action":{"kind":"status","status":429,"headers":{"Retry-After":"0"}}}]})");
  subject_process subject{dir_.path()};
  ASSERT_TRUE(subject.call(configure_request(kimi_, glm_, false)).at("ok").as_bool());
  const auto r = subject.call(upload_request("rl", "kimi", dir_.file_of("r.txt", 5000)));
  ASSERT_TRUE(r.at("ok").as_bool()) << boost::json::serialize(r);
  EXPECT_EQ(r.at("attempts").to_number<int>(), 2);
  EXPECT_FALSE(r.at("fallback").as_bool());
  const auto entries = entries_of(kimi_.ledger(), "rl");
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[0].at("status").to_number<int>(), 429);
  EXPECT_EQ(entries[1].at("status").to_number<int>(), 200);
  EXPECT_EQ(subject.close_and_wait(), 0);
}

TEST_F(subject_integration, a_connection_reset_on_the_async_route_ends_in_a_sync_fallback) {
  kimi_.put_faults(R"({"rules":[{"name":"async-reset","match":{"method":"POST","path":"*/files",
    "header":{"name":"User-Agent","regex":"route=async"}},"action":{"kind":"reset","after_bytes":1024}}]})");
  subject_process subject{dir_.path()};
  const auto settings =
      boost::json::object{{"max_retries", 1}, {"backoff_base_ms", 1}, {"backoff_max_ms", 2}};
  ASSERT_TRUE(subject.call(configure_request(kimi_, glm_, true, settings)).at("ok").as_bool());
  const auto file = dir_.file_of("reset.bin", 512 * 1024);
  const auto r = subject.call(upload_request("rs", "kimi", file));
  ASSERT_TRUE(r.at("ok").as_bool()) << boost::json::serialize(r);
  EXPECT_TRUE(r.at("fallback").as_bool());
  const auto entries = entries_of(kimi_.ledger(), "rs");
  // Two async attempts and the sync one, plus any request libcurl resent by itself: the answer
  // counts what the server saw.
  EXPECT_GE(r.at("attempts").to_number<int>(), 3);
  EXPECT_EQ(r.at("attempts").to_number<std::size_t>(), entries.size());
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back().at("route").as_string(), "sync");
  EXPECT_EQ(entries.back().at("sha256").as_string(), sha256_file(file).value());
  EXPECT_EQ(subject.close_and_wait(), 0);
}

TEST_F(subject_integration, a_reset_on_a_reused_connection_is_counted_as_the_attempt_it_was) {
  // Every second request is reset as soon as its headers are read. The first upload leaves its
  // keep-alive connection in the async route's pool; the second goes out on that connection, is
  // reset, and libcurl resends it on a new one without being asked. The server saw two attempts.
  kimi_.put_faults(R"({"rules":[{"name":"reset-second","match":{"method":"POST","path":"*/files"},
    "schedule":{"every":2},"action":{"kind":"reset","after_bytes":0}}]})");
  subject_process subject{dir_.path()};
  const auto settings = boost::json::object{{"max_retries", 0}, {"fallback", false}};
  ASSERT_TRUE(subject.call(configure_request(kimi_, glm_, true, settings)).at("ok").as_bool());
  const auto file = dir_.file_of("small.txt", 2000);
  for (const std::string id : {"first", "second"}) {
    const auto r = subject.call(upload_request(id, "kimi", file));
    const auto entries = entries_of(kimi_.ledger(), id);
    EXPECT_EQ(r.at("attempts").to_number<std::size_t>(), entries.size())
        << id << ": " << boost::json::serialize(r);
  }
  const auto ledger = kimi_.ledger();
  ASSERT_EQ(entries_of(ledger, "second").size(), 2U) << "the reset did not reach a reused "
                                                        "connection; the test proves nothing";
  const auto m = subject.call({{"id", "m"}, {"op", "metrics"}});
  EXPECT_EQ(m.at("metrics").at("totals").at("kimi").at("async").at("attempts").to_number<int>(), 3);
  EXPECT_NE(subject.stderr_text().find("libcurl resent the request"), std::string::npos);
  EXPECT_EQ(subject.close_and_wait(), 0);
}

TEST_F(subject_integration, a_stalled_async_upload_hits_the_low_speed_limit_and_falls_back) {
  glm_.put_faults(R"({"rules":[{"name":"async-stall","match":{"method":"POST","path":"*/files",
    "header":{"name":"User-Agent","regex":"route=async"}},"action":{"kind":"stall"}}]})");
  subject_process subject{dir_.path()};
  const auto settings = boost::json::object{
      {"max_retries", 0}, {"low_speed_limit_bytes", 1000}, {"low_speed_time_s", 1}};
  ASSERT_TRUE(subject.call(configure_request(kimi_, glm_, true, settings)).at("ok").as_bool());
  const auto r = subject.call(upload_request("st", "glm", dir_.file_of("s.txt", 4096)));
  ASSERT_TRUE(r.at("ok").as_bool()) << boost::json::serialize(r);
  EXPECT_TRUE(r.at("fallback").as_bool());
  EXPECT_EQ(r.at("attempts").to_number<int>(), 2);
  EXPECT_NE(subject.stderr_text().find("\"error\":\"timeout\""), std::string::npos);
  EXPECT_EQ(subject.close_and_wait(), 0);
}

TEST_F(subject_integration, concurrent_uploads_are_all_answered_before_shutdown) {
  subject_process subject{dir_.path()};
  const auto settings = boost::json::object{{"async_max_in_flight", 4}, {"sync_workers", 2}};
  ASSERT_TRUE(subject.call(configure_request(kimi_, glm_, true, settings)).at("ok").as_bool());
  const auto file = dir_.file_of("c.bin", 64 * 1024);
  constexpr int uploads = 24;
  for (int i = 0; i < uploads; ++i)
    subject.send(upload_request("c-" + std::to_string(i), i % 2 ? "kimi" : "glm", file));
  subject.send({{"id", "bye"}, {"op", "shutdown"}});
  std::set<std::string> answered;
  bool shutdown_answered_last = false;
  for (int n = 0; n <= uploads; ++n) {
    const auto r = subject.next_response();
    ASSERT_FALSE(r.empty());
    const std::string id{r.at("id").as_string()};
    if (id == "bye")
      shutdown_answered_last = answered.size() == uploads;
    else
      EXPECT_TRUE(r.at("ok").as_bool()) << boost::json::serialize(r);
    answered.insert(id);
  }
  EXPECT_EQ(answered.size(), uploads + 1U);
  EXPECT_TRUE(shutdown_answered_last);
  EXPECT_EQ(subject.close_and_wait(), 0);
  EXPECT_EQ(kimi_.ledger().size() + glm_.ledger().size(), static_cast<std::size_t>(uploads));
}

TEST_F(subject_integration, uploads_in_flight_finish_under_the_configuration_they_started_with) {
  subject_process subject{dir_.path()};
  const auto file = dir_.file_of("phase.bin", 256 * 1024);
  subject.send(configure_request(kimi_, glm_, false, {{"sync_workers", 1}}));
  for (int i = 0; i < 6; ++i)
    subject.send(upload_request("before-" + std::to_string(i), "kimi", file));
  // A new rollout stage with other pool sizes arrives while the first uploads are queued.
  subject.send(
      configure_request(kimi_, glm_, true, {{"sync_workers", 2}, {"async_max_in_flight", 3}}));
  for (int i = 0; i < 6; ++i)
    subject.send(upload_request("after-" + std::to_string(i), "kimi", file));
  for (int i = 0; i < 6; ++i) {
    const auto before = subject.answer_to("before-" + std::to_string(i));
    ASSERT_TRUE(before.at("ok").as_bool()) << boost::json::serialize(before);
    EXPECT_EQ(before.at("route").as_string(), "sync");
    const auto after = subject.answer_to("after-" + std::to_string(i));
    ASSERT_TRUE(after.at("ok").as_bool()) << boost::json::serialize(after);
    EXPECT_EQ(after.at("route").as_string(), "async");
  }
  const auto ledger = kimi_.ledger();
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(entries_of(ledger, "before-" + std::to_string(i)).at(0).at("route").as_string(),
              "sync");
    EXPECT_EQ(entries_of(ledger, "after-" + std::to_string(i)).at(0).at("route").as_string(),
              "async");
  }
  EXPECT_EQ(subject.close_and_wait(), 0);
}

TEST_F(subject_integration, bad_lines_and_unknown_ops_are_answered_and_the_subject_keeps_running) {
  subject_process subject{dir_.path()};
  subject.send_line("this is not json");
  auto r = subject.next_response();
  EXPECT_TRUE(r.at("id").is_null());
  EXPECT_EQ(r.at("error").at("code").as_string(), "bad_request");
  r = subject.call({{"id", "x"}, {"op", "teleport"}});
  EXPECT_EQ(r.at("error").at("code").as_string(), "unsupported");
  r = subject.call({{"id", "c"}, {"op", "configure"}, {"settings", {{"sync_workers", "many"}}}});
  EXPECT_EQ(r.at("error").at("code").as_string(), "bad_config");
  EXPECT_NE(std::string{r.at("error").at("message").as_string()}.find("sync_workers"),
            std::string::npos);
  r = subject.call({{"id", "h"}, {"op", "hello"}, {"protocol", 1}});
  ASSERT_TRUE(r.at("ok").as_bool());
  EXPECT_EQ(r.at("protocol").to_number<int>(), 1);
  EXPECT_EQ(boost::json::serialize(r.at("capabilities")),
            R"(["upload","bucket","metrics","schemes"])");
  EXPECT_EQ(subject.close_and_wait(), 0);
}

TEST_F(subject_integration, bucket_answers_the_configured_schemes_scale_and_decisions) {
  subject_process subject{dir_.path()};
  auto at_percent = [&](double percent) {
    auto cfg = configure_request(kimi_, glm_, true);
    cfg["flags"] = {{"async_upload",
                     {{"enabled", true},
                      {"rollout_percent", percent},
                      {"salt", "gr1"},
                      {"scheme", "unleash"}}}};
    return subject.call(cfg).at("ok").as_bool();
  };
  const boost::json::object bucket{
      {"id", "b"}, {"op", "bucket"}, {"flag", "async_upload"}, {"users", {"123"}}};
  // Unleash pure-hash vector: gr1:123 normalizes to 73, i.e. bucket 72, in from 73% on.
  ASSERT_TRUE(at_percent(72.0));
  auto r = subject.call(bucket);
  ASSERT_TRUE(r.at("ok").as_bool());
  EXPECT_EQ(r.at("scale").to_number<int>(), 100);
  EXPECT_EQ(boost::json::serialize(r.at("buckets")), "[72]");
  EXPECT_EQ(boost::json::serialize(r.at("enabled")), "[false]");
  ASSERT_TRUE(at_percent(73.0));
  r = subject.call(bucket);
  EXPECT_EQ(boost::json::serialize(r.at("enabled")), "[true]");
  EXPECT_EQ(subject.close_and_wait(), 0);
}

TEST_F(subject_integration, api_keys_never_appear_in_any_output) {
  subject_process subject{dir_.path()};
  ASSERT_TRUE(
      subject.call(configure_request(kimi_, glm_, true, {{"max_retries", 0}})).at("ok").as_bool());
  subject.call(upload_request("k1", "kimi", dir_.file_of("k.txt", 1000)));
  subject.call(upload_request("g1", "glm", dir_.file_of("g.txt", 1000)));
  subject.call(upload_request("missing", "glm", dir_.path() / "nope.txt"));
  ASSERT_TRUE(subject.call(configure_request(kimi_, glm_, false, {}, "sk-planted-wrong-key-42"))
                  .at("ok")
                  .as_bool());
  subject.call(upload_request("k2", "kimi", dir_.file_of("k2.txt", 1000)));
  const auto metrics = boost::json::serialize(subject.call({{"id", "m"}, {"op", "metrics"}}));
  EXPECT_EQ(subject.close_and_wait(), 0);
  const std::string everything = subject.stdout_text() + subject.stderr_text() + metrics;
  EXPECT_NE(subject.stderr_text().find("\"event\":\"attempt\""), std::string::npos);
  for (const auto& key : {kimi_key, glm_key, std::string{"sk-planted-wrong-key-42"}})
    EXPECT_EQ(everything.find(key), std::string::npos) << "leaked " << key;
}

}  // namespace
}  // namespace rollproof::upload::testing

namespace rollproof::upload::testing {
namespace {

TEST(subject_environment, a_bad_rollout_percent_is_refused_naming_the_variable) {
  temp_dir dir;
  for (const char* bad : {"150", "-1", "abc"}) {
    auto env = boost::this_process::environment();
    env["ASYNC_UPLOAD_ROLLOUT_PERCENT"] = bad;
    subject_process subject{dir.path(), env};
    EXPECT_EQ(subject.close_and_wait(), 2) << bad;
    EXPECT_NE(subject.stderr_text().find("ASYNC_UPLOAD_ROLLOUT_PERCENT"), std::string::npos) << bad;
  }
}

TEST(subject_environment, flags_from_the_environment_decide_the_bucket_answer) {
  temp_dir dir;
  auto env = boost::this_process::environment();
  env["ASYNC_UPLOAD_ENABLED"] = "true";
  env["ASYNC_UPLOAD_ROLLOUT_PERCENT"] = "100";
  env["ASYNC_UPLOAD_SALT"] = "from-env";
  subject_process subject{dir.path(), env};
  const auto r = subject.call(
      {{"id", "b"}, {"op", "bucket"}, {"flag", "async_upload"}, {"users", {"a", "b", "c"}}});
  ASSERT_TRUE(r.at("ok").as_bool());
  EXPECT_EQ(boost::json::serialize(r.at("enabled")), "[true,true,true]");
  EXPECT_EQ(subject.close_and_wait(), 0);
}

}  // namespace
}  // namespace rollproof::upload::testing
