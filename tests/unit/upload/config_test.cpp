#include "rollproof/upload/config.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace rollproof::upload {
namespace {

env_lookup empty_environment() {
  return [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
}

std::expected<client_config, std::string> configure(const char* json,
                                                    env_lookup env = empty_environment()) {
  return config_from_configure(boost::json::parse(json).as_object(), env);
}

TEST(config_from_configure, reads_providers_flags_and_settings) {
  const auto c = configure(R"({"id":"2","op":"configure",
    "providers":{"kimi":{"base_url":"http://127.0.0.1:1/v1","api_key":"sk-a"},
                 "glm":{"base_url":"http://127.0.0.1:2/api/paas/v4","api_key":"g.b"}},
    "flags":{"async_upload":{"enabled":true,"rollout_percent":10.0,"salt":"s","scheme":"unleash"}},
    "settings":{"sync_workers":2}})");
  ASSERT_TRUE(c.has_value()) << c.error();
  EXPECT_EQ(c->providers.at(provider_kind::kimi).api_key, "sk-a");
  EXPECT_EQ(c->providers.at(provider_kind::glm).base_url, "http://127.0.0.1:2/api/paas/v4");
  EXPECT_TRUE(c->async_upload.enabled);
  EXPECT_EQ(c->async_upload.scheme, bucketing_scheme::unleash);
  EXPECT_EQ(c->settings.sync_workers, 2);
}

TEST(config_from_configure, takes_a_missing_api_key_from_the_environment) {
  auto env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "ZHIPUAI_API_KEY") return "from-env";
    return std::nullopt;
  };
  const auto c =
      configure(R"({"providers":{"glm":{"base_url":"http://127.0.0.1:2/api/paas/v4"}}})", env);
  ASSERT_TRUE(c.has_value()) << c.error();
  EXPECT_EQ(c->providers.at(provider_kind::glm).api_key, "from-env");
}

TEST(config_from_configure, names_the_offending_key) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"providers":{"openai":{}}})", "providers.openai"},
      {R"({"providers":{"kimi":{"base_url":"not a url"}}})", "providers.kimi.base_url"},
      {R"({"providers":{"kimi":{"token":"x"}}})", "providers.kimi.token"},
      {R"({"flags":{"other":{}}})", "flags.other"},
      {R"({"flags":{"async_upload":{"rollout_percent":150}}})",
       "flags.async_upload.rollout_percent"},
      {R"({"settings":{"max_retries":-1}})", "settings.max_retries"},
      {R"({"colour":"blue"})", "colour"},
  };
  for (const auto& [json, key] : cases) {
    const auto c = configure(json);
    ASSERT_FALSE(c.has_value()) << json;
    EXPECT_NE(c.error().find(key), std::string::npos) << c.error();
  }
}

}  // namespace
}  // namespace rollproof::upload
