#include "rollproof/upload/settings.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace rollproof::upload {
namespace {

std::expected<upload_settings, std::string> settings(const char* json) {
  return settings_from_json(boost::json::parse(json));
}

TEST(settings_from_json, reads_every_documented_setting) {
  const auto s = settings(R"({"sync_workers":3,"async_max_in_flight":7,"max_retries":2,
    "backoff_base_ms":10,"backoff_max_ms":40,"total_timeout_ms":900,"connect_timeout_ms":50,
    "low_speed_limit_bytes":100,"low_speed_time_s":2,"fallback":false,"request_timeout_ms":800})");
  ASSERT_TRUE(s.has_value()) << s.error();
  EXPECT_EQ(s->sync_workers, 3);
  EXPECT_EQ(s->async_max_in_flight, 7);
  EXPECT_EQ(s->max_retries, 2);
  EXPECT_EQ(s->backoff_base_ms, 10);
  EXPECT_EQ(s->backoff_max_ms, 40);
  EXPECT_EQ(s->total_timeout_ms, 900);
  EXPECT_EQ(s->connect_timeout_ms, 50);
  EXPECT_EQ(s->low_speed_limit_bytes, 100);
  EXPECT_EQ(s->low_speed_time_s, 2);
  EXPECT_FALSE(s->fallback);
  EXPECT_EQ(s->request_timeout_ms, 800);
}

TEST(settings_from_json, keeps_defaults_for_an_empty_object) {
  const auto s = settings("{}");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->sync_workers, upload_settings{}.sync_workers);
  EXPECT_TRUE(s->fallback);
}

TEST(settings_from_json, names_an_unknown_key) {
  const auto s = settings(R"({"sync_wrokers":3})");
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().find("settings.sync_wrokers"), std::string::npos);
}

TEST(settings_from_json, names_the_key_of_an_invalid_value) {
  for (const char* json :
       {R"({"sync_workers":0})", R"({"sync_workers":"8"})", R"({"sync_workers":2.5})"}) {
    const auto s = settings(json);
    ASSERT_FALSE(s.has_value()) << json;
    EXPECT_NE(s.error().find("settings.sync_workers"), std::string::npos) << s.error();
  }
  const auto f = settings(R"({"fallback":1})");
  ASSERT_FALSE(f.has_value());
  EXPECT_NE(f.error().find("settings.fallback"), std::string::npos);
}

TEST(settings_from_json, refuses_a_backoff_cap_below_its_base) {
  const auto s = settings(R"({"backoff_base_ms":100,"backoff_max_ms":10})");
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().find("backoff_max_ms"), std::string::npos);
}

}  // namespace
}  // namespace rollproof::upload
