#include "rollproof/mock/provider_api.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace rollproof::mock {
namespace {

reply upload_through(provider_api& api, std::string purpose, std::string content) {
  upload_sink sink({});
  sink.on_part_begin({"purpose", std::nullopt, ""});
  sink.on_part_data(purpose);
  sink.on_part_end();
  sink.on_part_begin({"file", "f.txt", "text/plain"});
  if (!content.empty()) sink.on_part_data(content);
  sink.on_part_end();
  ledger_entry entry;
  return api.finish_upload(sink, std::nullopt, entry);
}

TEST(provider_api, needs_a_bearer_token_and_a_listed_key) {
  file_store store;
  provider_api api({.kind = provider_kind::kimi, .api_keys = {"sk-a"}}, store);
  EXPECT_TRUE(api.authenticate("Bearer sk-a"));
  EXPECT_EQ(api.authenticate("Bearer sk-b").error().status, 401u);
  EXPECT_EQ(api.authenticate("sk-a").error().status, 401u);
  EXPECT_EQ(api.authenticate(std::nullopt).error().status, 401u);
  provider_api open({.kind = provider_kind::kimi}, store);
  EXPECT_TRUE(open.authenticate("Bearer anything"));
  EXPECT_FALSE(open.authenticate("Bearer "));
}

TEST(provider_api, answers_each_glm_credential_refusal_with_zhipus_business_code) {
  file_store store;
  provider_api glm({.kind = provider_kind::glm, .api_keys = {"kid.s3cret"}}, store);
  const auto code_of = [&](std::optional<std::string_view> header) {
    const auto r = glm.authenticate(header);
    EXPECT_FALSE(r) << header.value_or("(none)");
    if (r) return std::string("accepted");
    EXPECT_EQ(r.error().status, 401u);
    return std::string(boost::json::parse(r.error().body).at("error").at("code").as_string());
  };
  EXPECT_EQ(code_of(std::nullopt), "1001");
  EXPECT_EQ(code_of("Bearer kid.other"), "1000");
  EXPECT_EQ(code_of("not-a-token"), "1002");
  EXPECT_EQ(code_of(sign_glm_token(R"({"api_key":"kid","exp":1,"timestamp":0})", "s3cret")),
            "1003");
  EXPECT_EQ(
      code_of(sign_glm_token(R"({"api_key":"kid","exp":99999999999999,"timestamp":0})", "wrong")),
      "1004");
  const auto jwt =
      glm.authenticate(sign_glm_token(R"({"api_key":"kid","exp":99999999999999})", "s3cret"));
  ASSERT_TRUE(jwt);
  EXPECT_EQ(jwt->form, credential_form::jwt);
}

TEST(provider_api, refuses_a_declared_length_only_beyond_the_multipart_allowance) {
  file_store store;
  provider_api kimi({.kind = provider_kind::kimi, .max_file_size = 1000}, store);
  EXPECT_FALSE(kimi.check_declared_length(1000 + multipart_allowance));
  EXPECT_EQ(kimi.check_declared_length(1001 + multipart_allowance)->status, 400u);
  provider_api glm({.kind = provider_kind::glm, .max_file_size = 1000}, store);
  EXPECT_EQ(glm.check_declared_length(1001 + multipart_allowance)->status, 435u);
}

TEST(provider_api, restarts_the_id_sequence_on_reset) {
  file_store store;
  provider_api api({.kind = provider_kind::kimi, .seed = 99}, store);
  const auto first = boost::json::parse(upload_through(api, "file-extract", "x").body).at("id");
  api.reset();
  store.clear();
  EXPECT_EQ(boost::json::parse(upload_through(api, "file-extract", "x").body).at("id"), first);
}

TEST(provider_api, shapes_errors_per_provider) {
  file_store store;
  provider_api kimi({.kind = provider_kind::kimi}, store);
  EXPECT_EQ(
      boost::json::parse(kimi.error(api_error::not_found, "abc").body),
      boost::json::parse(R"({"error":{"message":"Not found the file abc or Permission denied",)"
                         R"("type":"resource_not_found_error"}})"));
  provider_api glm({.kind = provider_kind::glm}, store);
  const auto r = glm.error(api_error::too_large);
  EXPECT_EQ(r.status, 435u);
  EXPECT_EQ(boost::json::parse(r.body).at("error").at("code"), "1210");
}

TEST(provider_api, answers_a_status_fault_in_the_provider_shape_and_never_shows_the_key) {
  file_store store;
  provider_api kimi({.kind = provider_kind::kimi}, store);
  const auto fault = kimi.fault_status(503, "flaky");
  EXPECT_EQ(fault.status, 503u);
  EXPECT_EQ(boost::json::parse(fault.body).at("error").at("type"), "server_error");
  const auto limited = kimi.rate_limited({true, 5, 1}, "sk-secret-key");
  EXPECT_EQ(limited.status, 429u);
  EXPECT_EQ(limited.body.find("sk-secret-key"), std::string::npos);
  ASSERT_EQ(limited.headers.size(), 1u);
  EXPECT_EQ(limited.headers[0].first, "Retry-After");
}

}  // namespace
}  // namespace rollproof::mock
