#include "rollproof/upload/error.hpp"

#include <gtest/gtest.h>

namespace rollproof::upload {
namespace {

TEST(error_code, round_trips_every_protocol_name) {
  for (const char* name : {"timeout", "connection", "rate_limited", "server_error", "auth",
                           "too_large", "bad_request", "not_found", "protocol", "io", "internal"}) {
    const auto code = parse_error_code(name);
    ASSERT_TRUE(code.has_value()) << name;
    EXPECT_EQ(to_string(*code), name);
  }
  EXPECT_FALSE(parse_error_code("teapot").has_value());
}

TEST(error_code, only_transient_failures_are_retried) {
  EXPECT_TRUE(is_retriable(error_code::timeout));
  EXPECT_TRUE(is_retriable(error_code::connection));
  EXPECT_TRUE(is_retriable(error_code::rate_limited));
  EXPECT_TRUE(is_retriable(error_code::server_error));
  for (auto c : {error_code::auth, error_code::too_large, error_code::bad_request,
                 error_code::not_found, error_code::protocol, error_code::io, error_code::internal})
    EXPECT_FALSE(is_retriable(c)) << to_string(c);
}

TEST(error_code, fallback_covers_retriable_and_protocol_but_never_client_errors) {
  EXPECT_TRUE(falls_back_to_sync(error_code::protocol));
  EXPECT_TRUE(falls_back_to_sync(error_code::server_error));
  for (auto c : {error_code::auth, error_code::too_large, error_code::bad_request,
                 error_code::not_found, error_code::io})
    EXPECT_FALSE(falls_back_to_sync(c)) << to_string(c);
}

}  // namespace
}  // namespace rollproof::upload
