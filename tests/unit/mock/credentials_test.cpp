#include "rollproof/mock/credentials.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rollproof::mock {
namespace {

constexpr std::int64_t now_ms = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
const std::vector<std::string> keys{"kid.s3cret", "other.key"};

std::string payload(std::string_view id, std::int64_t exp) {
  return R"({"api_key":")" + std::string(id) + R"(","exp":)" + std::to_string(exp) +
         R"(,"timestamp":)" + std::to_string(now_ms) + "}";
}

std::string token_for(std::string_view id, std::string_view secret, std::int64_t exp) {
  return sign_glm_token(payload(id, exp), secret);
}

credential_refusal refusal_of(std::string_view header) {
  const auto r = check_credential(header, keys, true, now_ms);
  EXPECT_FALSE(r.has_value()) << header;
  return r ? credential_refusal::missing : r.error();
}

TEST(check_credential, accepts_a_raw_key_after_bearer) {
  const auto r = check_credential("Bearer kid.s3cret", keys, true, now_ms);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->form, credential_form::bearer_key);
  EXPECT_EQ(r->key, "kid.s3cret");
}

TEST(check_credential, accepts_the_sdk_jwt_with_and_without_bearer) {
  const std::string token = token_for("kid", "s3cret", now_ms + 210'000);
  const auto bare = check_credential(token, keys, true, now_ms);
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->form, credential_form::jwt);
  EXPECT_EQ(bare->key, "kid.s3cret");
  const auto bearer = check_credential("Bearer " + token, keys, true, now_ms);
  ASSERT_TRUE(bearer);
  EXPECT_EQ(bearer->form, credential_form::bearer_jwt);
}

TEST(check_credential, accepts_the_node_sdk_expiry_in_microseconds) {
  // zhipuai-sdk-nodejs-v4 0.1.12: exp = round(Date.now() * 1000) + 180000.
  EXPECT_TRUE(
      check_credential(token_for("kid", "s3cret", now_ms * 1000 + 180'000), keys, true, now_ms));
}

TEST(check_credential, refuses_each_bad_credential_with_its_own_reason) {
  EXPECT_EQ(refusal_of(""), credential_refusal::missing);
  EXPECT_EQ(refusal_of("Bearer "), credential_refusal::missing);
  EXPECT_EQ(refusal_of("Bearer kid.wrong"), credential_refusal::unknown_key);
  EXPECT_EQ(refusal_of(token_for("nobody", "s3cret", now_ms + 1000)),
            credential_refusal::unknown_key);
  EXPECT_EQ(refusal_of(token_for("kid", "not-the-secret", now_ms + 1000)),
            credential_refusal::bad_signature);
  EXPECT_EQ(refusal_of(token_for("kid", "s3cret", now_ms - 1)), credential_refusal::expired);
  EXPECT_EQ(refusal_of("a.b.c"), credential_refusal::malformed);
  EXPECT_EQ(refusal_of("kid.s3cret"), credential_refusal::malformed);  // a raw key needs Bearer
}

TEST(check_credential, refuses_a_token_whose_header_or_payload_is_not_zhipus) {
  // alg none, and a payload without exp: both signed correctly, both malformed.
  const std::string no_exp = sign_glm_token(R"({"api_key":"kid"})", "s3cret");
  EXPECT_EQ(refusal_of(no_exp), credential_refusal::malformed);
  std::string tampered = token_for("kid", "s3cret", now_ms + 1000);
  tampered[tampered.find('.') + 3] ^= 1;  // one bit of the payload
  const auto r = check_credential(tampered, keys, true, now_ms);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error(), credential_refusal::unknown_key);
}

TEST(check_credential, kimi_knows_only_the_raw_key) {
  const std::string token = token_for("kid", "s3cret", now_ms + 1000);
  EXPECT_FALSE(check_credential("Bearer " + token, keys, false, now_ms));
  EXPECT_TRUE(check_credential("Bearer other.key", keys, false, now_ms));
}

TEST(check_credential, without_keys_accepts_any_well_formed_credential_but_not_an_expired_one) {
  const std::vector<std::string> none;
  EXPECT_TRUE(check_credential("Bearer anything", none, true, now_ms));
  const auto jwt = check_credential(token_for("kid", "x", now_ms + 1), none, true, now_ms);
  ASSERT_TRUE(jwt);
  EXPECT_EQ(jwt->key, "kid");
  EXPECT_FALSE(check_credential(token_for("kid", "x", now_ms - 1), none, true, now_ms));
}

TEST(sign_glm_token, matches_a_token_made_by_an_independent_hs256_implementation) {
  // Made with Node's crypto: base64url(JSON header) . base64url(payload) . HMAC-SHA256, for
  // payload {"api_key":"kid","exp":1767225810000,"timestamp":1767225600000}, secret "s3cret".
  EXPECT_EQ(token_for("kid", "s3cret", now_ms + 210'000),
            "eyJhbGciOiJIUzI1NiIsInNpZ25fdHlwZSI6IlNJR04ifQ."
            "eyJhcGlfa2V5Ijoia2lkIiwiZXhwIjoxNzY3MjI1ODEwMDAwLCJ0aW1lc3RhbXAiOjE3NjcyMjU2MDAwMDB9."
            "0wvHvEFphIVyGIG6iuuB9zfS7yzKQIJYEGliRxIHiNg");
}

}  // namespace
}  // namespace rollproof::mock
