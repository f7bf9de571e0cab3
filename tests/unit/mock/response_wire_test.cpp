#include "response_wire.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rollproof::mock {
namespace {

const std::pair<std::string_view, std::string> request_id{"Msh-Request-Id", "req-1"};

std::string head_of(const std::string& wire) {
  return wire.substr(0, wire.find("\r\n\r\n") + 4);
}

TEST(response_wire, sends_the_reply_with_server_request_id_and_length) {
  const auto wire = response_wire({503, "{\"e\":1}", "application/json", {{"Retry-After", "2"}}},
                                  request_id, true);
  EXPECT_TRUE(wire.starts_with("HTTP/1.1 503 Service Unavailable\r\n")) << wire;
  EXPECT_NE(wire.find("Server: rollproof-mock\r\n"), std::string::npos);
  EXPECT_NE(wire.find("Msh-Request-Id: req-1\r\n"), std::string::npos);
  EXPECT_NE(wire.find("Retry-After: 2\r\n"), std::string::npos);
  EXPECT_NE(wire.find("Content-Length: 7\r\n"), std::string::npos);
  EXPECT_TRUE(wire.ends_with("\r\n\r\n{\"e\":1}"));
}

TEST(response_wire, drops_the_body_of_a_204_and_sends_no_content_length) {
  const auto wire = response_wire({204, "ignored", "", {}}, request_id, true);
  EXPECT_TRUE(wire.ends_with("\r\n\r\n")) << wire;
  EXPECT_EQ(wire, head_of(wire));
  EXPECT_EQ(wire.find("Content-Length"), std::string::npos) << wire;
}

TEST(response_wire, drops_the_body_of_a_304_and_of_a_1xx) {
  for (const unsigned status : {100u, 103u, 304u}) {
    const auto wire = response_wire({status, "ignored", "application/json", {}}, request_id, true);
    EXPECT_EQ(wire, head_of(wire)) << status;
  }
}

TEST(status_fault_reply, keeps_the_provider_body_unless_the_rule_gives_one_and_adds_its_headers) {
  fault_action a;
  a.status = 429;
  a.headers = {{"Retry-After", "1"}};
  const reply shaped{429, "{\"provider\":1}", "application/json", {{"X-Own", "1"}}};
  const auto from_provider = status_fault_reply(a, shaped);
  EXPECT_EQ(from_provider.body, shaped.body);
  ASSERT_EQ(from_provider.headers.size(), 2U);
  EXPECT_EQ(from_provider.headers[1].first, "Retry-After");
  a.body = "own";
  EXPECT_EQ(status_fault_reply(a, shaped).body, "own");
}

}  // namespace
}  // namespace rollproof::mock
