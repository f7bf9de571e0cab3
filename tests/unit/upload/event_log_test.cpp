#include "rollproof/upload/event_log.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>

namespace rollproof::upload {
namespace {

TEST(event_log, writes_one_json_object_per_attempt) {
  std::ostringstream out;
  event_log log{out};
  log.attempt({"u-1", route::async, provider_kind::glm, 2, 503, 1234,
               upload_error{error_code::server_error, "HTTP 503"}});
  const auto line = out.str();
  ASSERT_EQ(line.back(), '\n');
  const auto v = boost::json::parse(line).as_object();
  EXPECT_EQ(v.at("event").as_string(), "attempt");
  EXPECT_EQ(v.at("request_id").as_string(), "u-1");
  EXPECT_EQ(v.at("route").as_string(), "async");
  EXPECT_EQ(v.at("provider").as_string(), "glm");
  EXPECT_EQ(v.at("attempt").to_number<int>(), 2);
  EXPECT_EQ(v.at("status").to_number<int>(), 503);
  EXPECT_EQ(v.at("duration_us").to_number<int>(), 1234);
  EXPECT_EQ(v.at("error").as_string(), "server_error");
}

TEST(event_log, redacts_secrets_from_every_field) {
  std::ostringstream out;
  event_log log{out};
  rollproof::redactor secrets;
  secrets.add("sk-planted-key");
  log.set_secrets(secrets);
  log.attempt({"u-1", route::sync, provider_kind::kimi, 1, 401, 1,
               upload_error{error_code::auth, "HTTP 401: bad key sk-planted-key"}});
  log.note("config", "key is sk-planted-key");
  EXPECT_EQ(out.str().find("sk-planted-key"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("[REDACTED]"), std::string::npos);
}

}  // namespace
}  // namespace rollproof::upload
