#include "rollproof/upload/provider.hpp"

#include <gtest/gtest.h>

namespace rollproof::upload {
namespace {

http_outcome response(long status, std::string body, std::optional<std::string> retry_after = {}) {
  return http_outcome{status, std::move(body), std::move(retry_after), std::nullopt, {}};
}

error_code code_of(provider_kind kind, const http_outcome& o) {
  const auto r = classify(kind, o);
  EXPECT_FALSE(r.has_value());
  return r ? error_code::internal : r.error().code;
}

TEST(classify, returns_the_file_id_of_a_kimi_file_object) {
  const auto r =
      classify(provider_kind::kimi,
               response(200, R"({"id":"abcdefghij0123456789","object":"file","bytes":3,)"
                             R"("created_at":1,"filename":"a.txt","purpose":"file-extract",)"
                             R"("status":"ok","status_details":""})"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, "abcdefghij0123456789");
}

TEST(classify, calls_a_success_without_an_id_a_protocol_error) {
  EXPECT_EQ(code_of(provider_kind::kimi, response(200, "")), error_code::protocol);
  EXPECT_EQ(code_of(provider_kind::glm, response(200, "{\"id\":")), error_code::protocol);
  EXPECT_EQ(code_of(provider_kind::glm, response(200, R"({"object":"file"})")),
            error_code::protocol);
}

TEST(classify, maps_kimi_error_bodies) {
  EXPECT_EQ(
      code_of(
          provider_kind::kimi,
          response(
              401,
              R"({"error":{"message":"Invalid Authentication","type":"invalid_authentication_error"}})")),
      error_code::auth);
  EXPECT_EQ(
      code_of(
          provider_kind::kimi,
          response(
              400,
              R"({"error":{"message":"File size is too large, max file size is 100MB, please confirm and re-upload the file","type":"invalid_request_error"}})")),
      error_code::too_large);
  EXPECT_EQ(
      code_of(
          provider_kind::kimi,
          response(
              400,
              R"({"error":{"message":"File size is zero, please confirm and re-upload the file","type":"invalid_request_error"}})")),
      error_code::bad_request);
  EXPECT_EQ(
      code_of(
          provider_kind::kimi,
          response(404, R"({"error":{"message":"Not found","type":"resource_not_found_error"}})")),
      error_code::not_found);
  EXPECT_EQ(
      code_of(provider_kind::kimi,
              response(429, R"({"error":{"message":"rate","type":"rate_limit_reached_error"}})")),
      error_code::rate_limited);
  EXPECT_EQ(code_of(provider_kind::kimi,
                    response(500, R"({"error":{"message":"x","type":"server_error"}})")),
            error_code::server_error);
  EXPECT_EQ(code_of(provider_kind::kimi, response(503, "<html>busy</html>")),
            error_code::server_error);
}

TEST(classify, maps_glm_business_codes_and_435) {
  EXPECT_EQ(code_of(provider_kind::glm,
                    response(401, R"({"error":{"code":"1001","message":"no auth"}})")),
            error_code::auth);
  EXPECT_EQ(code_of(provider_kind::glm,
                    response(435, R"({"error":{"code":"435","message":"file too big"}})")),
            error_code::too_large);
  EXPECT_EQ(
      code_of(provider_kind::glm, response(429, R"({"error":{"code":"1302","message":"rate"}})")),
      error_code::rate_limited);
  EXPECT_EQ(code_of(provider_kind::glm,
                    response(400, R"({"error":{"code":"1214","message":"bad purpose"}})")),
            error_code::bad_request);
}

TEST(classify, keeps_the_server_message_in_the_error) {
  const auto r =
      classify(provider_kind::glm,
               response(429, R"({"error":{"code":"1302","message":"High concurrency"}})"));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("High concurrency"), std::string::npos);
  EXPECT_NE(r.error().message.find("429"), std::string::npos);
}

TEST(classify, passes_a_transport_error_through) {
  http_outcome o;
  o.transport_error = upload_error{error_code::timeout, "curl error 28"};
  EXPECT_EQ(code_of(provider_kind::kimi, o), error_code::timeout);
}

TEST(files_url, appends_files_to_the_base_url_once) {
  EXPECT_EQ(files_url({provider_kind::kimi, "http://127.0.0.1:1/v1/", "k"}),
            "http://127.0.0.1:1/v1/files");
  EXPECT_EQ(files_url({provider_kind::glm, "http://h/api/paas/v4", "k"}),
            "http://h/api/paas/v4/files");
}

TEST(provider_from_environment, reads_the_providers_key_variable_or_names_it) {
  auto env = [](std::string_view name) -> std::optional<std::string> {
    if (name == "MOONSHOT_API_KEY") return "sk-env";
    return std::nullopt;
  };
  const auto kimi = provider_from_environment(provider_kind::kimi, env);
  ASSERT_TRUE(kimi.has_value());
  EXPECT_EQ(kimi->api_key, "sk-env");
  EXPECT_EQ(kimi->base_url, "https://api.moonshot.cn/v1");
  const auto glm = provider_from_environment(provider_kind::glm, env);
  ASSERT_FALSE(glm.has_value());
  EXPECT_NE(glm.error().find("ZHIPUAI_API_KEY"), std::string::npos);
}

}  // namespace
}  // namespace rollproof::upload
