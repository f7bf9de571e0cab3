#include "rollproof/upload/protocol.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace rollproof::upload {
namespace {

TEST(parse_request, reads_id_op_and_keeps_the_other_fields) {
  const auto r = parse_request(R"({"id":"u-1","op":"upload","provider":"kimi","file":"/f"})");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->id, "u-1");
  EXPECT_EQ(r->op, "upload");
  EXPECT_EQ(r->body.at("provider").as_string(), "kimi");
}

TEST(parse_request, refuses_lines_that_are_not_objects_with_string_id_and_op) {
  for (const char* line :
       {"", "garbage", "[1,2]", "\"text\"", R"({"op":"hello"})", R"({"id":"1"})",
        R"({"id":1,"op":"hello"})", R"({"id":"1","op":7})", R"({"id":"1","op":"hello")"}) {
    const auto r = parse_request(line);
    ASSERT_FALSE(r.has_value()) << line;
    EXPECT_EQ(r.error().code, "bad_request");
    EXPECT_FALSE(r.error().message.empty());
  }
}

TEST(error_response, carries_a_null_id_and_the_code) {
  const auto v = error_response(nullptr, "bad_request", "nope");
  EXPECT_TRUE(v.at("id").is_null());
  EXPECT_FALSE(v.at("ok").as_bool());
  EXPECT_EQ(v.at("error").at("code").as_string(), "bad_request");
  EXPECT_EQ(v.at("error").at("message").as_string(), "nope");
}

TEST(ok_response, repeats_the_id_and_adds_fields) {
  const auto v = ok_response("7", {{"protocol", 1}});
  EXPECT_EQ(v.at("id").as_string(), "7");
  EXPECT_TRUE(v.at("ok").as_bool());
  EXPECT_EQ(v.at("protocol").to_number<int>(), 1);
}

}  // namespace
}  // namespace rollproof::upload
