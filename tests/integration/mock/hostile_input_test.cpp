// rollproof-mock against hostile requests (issue 14): nothing a client sends kills the mock or
// makes one of its answers, or its ledger, invalid JSON.

#include <gtest/gtest.h>

#include "mock_client.hpp"

namespace rollproof::mock::testing {
namespace {

const std::string not_utf8_name = "bad\xff\xfe.txt";
const std::string replaced_name = "bad\xEF\xBF\xBD\xEF\xBF\xBD.txt";  // each byte is one U+FFFD

std::vector<std::string> kimi() {
  return {"--provider", "kimi", "--api-key", "sk-test", "--seed", "7"};
}

std::vector<std::string> glm() {
  return {"--provider", "glm", "--api-key", "sk-test", "--seed", "3"};
}

// A multipart upload body whose file part is named `filename` byte for byte (curl's MIME API
// stops at a NUL and may escape bytes).
std::string multipart_named(std::string_view filename) {
  std::string body;
  body += "--b0undary\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfile-extract\r\n";
  body += "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"";
  body += filename;
  body += "\"\r\nContent-Type: text/plain\r\n\r\nhello\n\r\n--b0undary--\r\n";
  return body;
}

// POSTs multipart_named(filename) to `files_url`.
http_result upload_named(const std::string& files_url, std::string_view filename,
                         std::vector<std::string> headers = {}) {
  headers.push_back("Authorization: Bearer sk-test");
  headers.push_back("Content-Type: multipart/form-data; boundary=b0undary");
  return request("POST", files_url, std::move(headers), multipart_named(filename));
}

// True when `text` parses as JSON (Boost.JSON refuses ill-formed UTF-8 in strings).
bool is_json(const std::string& text) {
  boost::system::error_code ec;
  (void)boost::json::parse(text, ec);
  return !ec;
}

// The raw GET /_mock/ledger answer, so a ledger that is not JSON shows as such.
std::string raw_ledger(const mock_process& mock) {
  return request("GET", mock.url() + "/_mock/ledger").body;
}

// Uploads a file named not_utf8_name, then lists; both answers and the ledger must be JSON.
void expect_a_name_that_is_not_utf8_refused(const mock_process& mock, const std::string& files,
                                            std::vector<std::string> headers = {}) {
  const auto r = upload_named(files, not_utf8_name, headers);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(is_json(r.body)) << r.body;
  EXPECT_NE(r.body.find("filename must be valid UTF-8"), std::string::npos) << r.body;
  headers.push_back("Authorization: Bearer sk-test");
  const auto list = request("GET", files, headers);
  EXPECT_EQ(list.curl_code, 0) << "the mock died";
  EXPECT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(is_json(list.body)) << list.body;
  const auto ledger = raw_ledger(mock);
  ASSERT_TRUE(is_json(ledger)) << ledger;
  const auto entries = boost::json::parse(ledger).as_array();
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.front().at("filename"), replaced_name.c_str());
}

TEST(hostile_input, a_kimi_upload_named_in_bytes_that_are_not_utf8_is_refused_and_lists_stay_json) {
  mock_process mock(kimi());
  expect_a_name_that_is_not_utf8_refused(mock, mock.url() + "/v1/files");
}

TEST(hostile_input, a_glm_upload_named_in_bytes_that_are_not_utf8_is_refused_and_lists_stay_json) {
  mock_process mock(glm());
  expect_a_name_that_is_not_utf8_refused(mock, mock.url() + "/api/paas/v4/files");
}

TEST(hostile_input, a_versioned_kimi_upload_named_in_bytes_that_are_not_utf8_is_refused) {
  mock_process mock(kimi());
  expect_a_name_that_is_not_utf8_refused(mock, mock.url() + "/v1/files",
                                         {"kimi-api-version: 2026-09-01-beta"});
}

TEST(hostile_input, headers_and_paths_that_are_not_utf8_reach_the_ledger_as_valid_json) {
  mock_process mock(kimi());
  const std::vector<std::string> headers{"User-Agent: agent\xff (route=r\xfe)",
                                         "X-Client-Request-Id: id-\xc0\xaf",
                                         "Authorization: Bearer sk-test"};
  const auto unknown = request("GET", mock.url() + "/v1/files/none", headers);
  EXPECT_EQ(unknown.status, 404);
  auto versioned = headers;
  versioned.push_back("kimi-api-version: 2026-\xe2\x82");
  const auto refused = request("GET", mock.url() + "/v1/files", versioned);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_TRUE(is_json(refused.body)) << refused.body;
  const auto answer = raw_exchange(mock,
                                   "GET /v1/files/id\xff\xfe HTTP/1.1\r\nHost: x\r\n"
                                   "Authorization: Bearer sk-test\r\nConnection: close\r\n\r\n");
  const auto body = answer.substr(std::min(answer.size(), answer.find("\r\n\r\n") + 4));
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 404")) << answer;
  EXPECT_TRUE(is_json(body)) << body;
  const auto ledger = raw_ledger(mock);
  ASSERT_TRUE(is_json(ledger)) << ledger;
  const auto entries = boost::json::parse(ledger).as_array();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].at("user_agent"), "agent\xEF\xBF\xBD (route=r\xEF\xBF\xBD)");
  EXPECT_EQ(entries[0].at("route"), "r\xEF\xBF\xBD");
  EXPECT_EQ(entries[0].at("request_id"), "id-\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(entries[1].at("api_version"), "2026-\xEF\xBF\xBD");
  EXPECT_EQ(entries[2].at("path"), "/v1/files/id\xEF\xBF\xBD\xEF\xBF\xBD");
}

// PUTs one rule to a new mock, then checks that mock still answers a plain request.
void expect_rule_refused_and_mock_serving(const std::string& action) {
  mock_process mock(kimi());
  const auto put = request("PUT", mock.url() + "/_mock/faults", {"Content-Type: application/json"},
                           R"({"rules":[{"name":"hostile","action":)" + action + "}]}");
  EXPECT_EQ(put.status, 400) << action.substr(0, 200) << ": " << put.body.substr(0, 300);
  const auto r = request("GET", mock.url() + "/v1/files", {"Authorization: Bearer sk-test"});
  EXPECT_EQ(r.curl_code, 0) << "the mock died after " << action.substr(0, 200);
  EXPECT_EQ(r.status, 200) << action.substr(0, 200);
  EXPECT_EQ(r.headers.count("set-cookie"), 0u) << action.substr(0, 200);
}

TEST(hostile_input, fault_rules_that_would_break_a_response_are_refused_and_the_mock_serves_on) {
  for (const std::string status : {"100", "204", "304"})
    expect_rule_refused_and_mock_serving(R"({"kind":"status","status":)" + status +
                                         R"(,"body":"not allowed"})");
  const std::string huge(70 * 1024, 'X');
  expect_rule_refused_and_mock_serving(R"({"kind":"status","status":503,"headers":{")" + huge +
                                       R"(":"v"}})");
  expect_rule_refused_and_mock_serving(R"({"kind":"status","status":503,"headers":{"X-Big":")" +
                                       huge + R"("}})");
  expect_rule_refused_and_mock_serving(
      R"({"kind":"status","status":503,"headers":{"X-A":"1\r\nSet-Cookie: s=1"}})");
  expect_rule_refused_and_mock_serving(
      R"({"kind":"status","status":503,"headers":{"Bad Name":"v"}})");
}

TEST(hostile_input, a_204_status_fault_is_served_without_a_body) {
  mock_process mock(kimi());
  const auto put = request("PUT", mock.url() + "/_mock/faults", {"Content-Type: application/json"},
                           R"({"rules":[{"name":"nc","action":{"kind":"status","status":204}}]})");
  ASSERT_EQ(put.status, 200) << put.body;
  const auto r = request("GET", mock.url() + "/v1/files", {"Authorization: Bearer sk-test"});
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
}

TEST(hostile_input, a_catastrophic_header_regex_holds_up_neither_requests_nor_the_admin_api) {
  mock_process mock(kimi());
  const auto put =
      request("PUT", mock.url() + "/_mock/faults", {"Content-Type: application/json"},
              R"({"rules":[{"name":"evil","match":{"header":{"name":"X-Evil","regex":"^(a+)+$"}},)"
              R"("action":{"kind":"status","status":503}}]})");
  ASSERT_EQ(put.status, 200) << put.body;
  const auto hostile =
      request("GET", mock.url() + "/v1/files",
              {"Authorization: Bearer sk-test", "X-Evil: " + std::string(40, 'a') + "!"},
              std::nullopt, 5'000);
  EXPECT_EQ(hostile.status, 200) << "curl " << hostile.curl_code;
  const auto matching =
      request("GET", mock.url() + "/v1/files", {"Authorization: Bearer sk-test", "X-Evil: aaaa"},
              std::nullopt, 5'000);
  EXPECT_EQ(matching.status, 503);
  EXPECT_EQ(request("GET", mock.url() + "/_mock/faults", {}, std::nullopt, 5'000).status, 200);
  EXPECT_EQ(request("POST", mock.url() + "/_mock/reset", {}, std::nullopt, 5'000).status, 200);
}

TEST(hostile_input, a_filename_holding_a_nul_byte_is_refused_as_such) {
  mock_process mock(kimi());
  const auto r = upload_named(mock.url() + "/v1/files", std::string("a\0b.txt", 7));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json().at("error").at("message"),
            "Invalid request: a part's name or filename must not contain a NUL byte");
  const auto list = request("GET", mock.url() + "/v1/files", {"Authorization: Bearer sk-test"});
  EXPECT_EQ(list.json().at("data").as_array().size(), 0u);
}

}  // namespace
}  // namespace rollproof::mock::testing
