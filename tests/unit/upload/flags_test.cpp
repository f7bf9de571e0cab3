#include "rollproof/upload/flags.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

namespace rollproof::upload {
namespace {

env_lookup environment(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    const auto it = vars.find(std::string{name});
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(flag_from_environment, reads_all_three_variables) {
  const auto flag = flag_from_environment(environment({{"ASYNC_UPLOAD_ENABLED", "true"},
                                                       {"ASYNC_UPLOAD_ROLLOUT_PERCENT", "12.5"},
                                                       {"ASYNC_UPLOAD_SALT", "pepper"}}));
  ASSERT_TRUE(flag.has_value()) << flag.error();
  EXPECT_TRUE(flag->enabled);
  EXPECT_DOUBLE_EQ(flag->rollout_percent, 12.5);
  EXPECT_EQ(flag->salt, "pepper");
}

TEST(flag_from_environment, keeps_defaults_when_nothing_is_set) {
  const auto flag = flag_from_environment(environment({}));
  ASSERT_TRUE(flag.has_value());
  EXPECT_FALSE(flag->enabled);
  EXPECT_EQ(flag->rollout_percent, 0.0);
  EXPECT_EQ(flag->salt, "async_upload");
}

TEST(flag_from_environment, refuses_out_of_range_and_non_numeric_percentages_by_name) {
  for (const char* bad : {"150", "-1", "abc", "", "50%", "nan"}) {
    const auto flag = flag_from_environment(environment({{"ASYNC_UPLOAD_ROLLOUT_PERCENT", bad}}));
    ASSERT_FALSE(flag.has_value()) << bad;
    EXPECT_NE(flag.error().find("ASYNC_UPLOAD_ROLLOUT_PERCENT"), std::string::npos) << flag.error();
  }
}

TEST(flag_from_environment, refuses_a_non_boolean_enabled_by_name) {
  const auto flag = flag_from_environment(environment({{"ASYNC_UPLOAD_ENABLED", "maybe"}}));
  ASSERT_FALSE(flag.has_value());
  EXPECT_NE(flag.error().find("ASYNC_UPLOAD_ENABLED"), std::string::npos);
}

TEST(flag_from_environment, refuses_an_empty_salt_by_name) {
  const auto flag = flag_from_environment(environment({{"ASYNC_UPLOAD_SALT", ""}}));
  ASSERT_FALSE(flag.has_value());
  EXPECT_NE(flag.error().find("ASYNC_UPLOAD_SALT"), std::string::npos);
}

TEST(flag_from_json, reads_every_field_and_defaults_the_salt_to_the_flag_name) {
  const auto flag = flag_from_json(
      boost::json::parse(R"({"enabled":true,"rollout_percent":10,"scheme":"flagd"})"),
      "async_upload");
  ASSERT_TRUE(flag.has_value()) << flag.error();
  EXPECT_TRUE(flag->enabled);
  EXPECT_EQ(flag->rollout_percent, 10.0);
  EXPECT_EQ(flag->salt, "async_upload");
  EXPECT_EQ(flag->scheme, bucketing_scheme::flagd);
}

TEST(flag_from_json, names_the_offending_key) {
  const auto cases = {R"({"rollout_percent":150})", R"({"rollout_percent":-1})",
                      R"({"rollout_percent":"abc"})"};
  for (const char* text : cases) {
    const auto flag = flag_from_json(boost::json::parse(text), "async_upload");
    ASSERT_FALSE(flag.has_value()) << text;
    EXPECT_NE(flag.error().find("flags.async_upload.rollout_percent"), std::string::npos);
  }
  const auto scheme = flag_from_json(boost::json::parse(R"({"scheme":"crc32"})"), "async_upload");
  ASSERT_FALSE(scheme.has_value());
  EXPECT_NE(scheme.error().find("flags.async_upload.scheme"), std::string::npos);
  const auto unknown = flag_from_json(boost::json::parse(R"({"percent":3})"), "async_upload");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().find("flags.async_upload.percent"), std::string::npos);
}

TEST(flag_enabled_for, nobody_has_a_disabled_flag_even_at_100_percent) {
  flag_config flag;
  flag.enabled = false;
  flag.rollout_percent = 100;
  EXPECT_FALSE(flag_enabled_for(flag, "user-1"));
  flag.enabled = true;
  EXPECT_TRUE(flag_enabled_for(flag, "user-1"));
}

}  // namespace
}  // namespace rollproof::upload
