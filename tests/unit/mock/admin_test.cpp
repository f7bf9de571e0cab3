#include "admin.hpp"

#include <gtest/gtest.h>

#include <string>

#include "rollproof/mock/credentials.hpp"

namespace rollproof::mock {
namespace {

TEST(same_secret, accepts_only_the_same_bytes) {
  EXPECT_TRUE(same_secret("s3cret-token", "s3cret-token"));
  EXPECT_TRUE(same_secret("", ""));
  EXPECT_FALSE(same_secret("s3cret-token", "x3cret-token"));  // first byte
  EXPECT_FALSE(same_secret("s3cret-token", "s3cret-tokeN"));  // last byte
  EXPECT_FALSE(same_secret("s3cret-token", "s3cret-toke"));   // a prefix
  EXPECT_FALSE(same_secret("s3cret-token", "s3cret-token!"));
  EXPECT_FALSE(same_secret("s3cret-token", ""));
}

TEST(same_secret, compares_bytes_past_an_embedded_nul) {
  const std::string a("ab\0cd", 5);
  const std::string b("ab\0ce", 5);
  EXPECT_TRUE(same_secret(a, a));
  EXPECT_FALSE(same_secret(a, b));  // a strcmp-style comparison would stop at the NUL
}

TEST(admin_token_matches, takes_the_token_as_bearer_or_in_its_own_header) {
  EXPECT_TRUE(admin_token_matches("Bearer tok", std::nullopt, "tok"));
  EXPECT_TRUE(admin_token_matches(std::nullopt, "tok", "tok"));
  EXPECT_TRUE(admin_token_matches("Bearer wrong", "tok", "tok"));
  EXPECT_TRUE(admin_token_matches("Bearer tok", "wrong", "tok"));
}

TEST(admin_token_matches, refuses_a_missing_wrong_or_unprefixed_token) {
  EXPECT_FALSE(admin_token_matches(std::nullopt, std::nullopt, "tok"));
  EXPECT_FALSE(admin_token_matches("Bearer tok2", "to", "tok"));
  EXPECT_FALSE(admin_token_matches("tok", std::nullopt, "tok"));  // no "Bearer " scheme
  EXPECT_FALSE(admin_token_matches("bearer tok", std::nullopt, "tok"));
  EXPECT_FALSE(admin_token_matches("Bearer ", "", "tok"));
}

}  // namespace
}  // namespace rollproof::mock
