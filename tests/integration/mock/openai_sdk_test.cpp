// Reproduces what the OpenAI Python SDK (v1.109, providers-mock/API.md source O1) sends to a Kimi
// base URL, since the SDK itself cannot be installed here: files.create, list auto-pagination,
// content, delete, 401.

#include <gtest/gtest.h>

#include "mock_client.hpp"

namespace rollproof::mock::testing {
namespace {

std::vector<std::string> sdk_headers(const std::string& key) {
  return {"Authorization: Bearer " + key,
          "Accept: application/json",
          "User-Agent: OpenAI/Python 1.109.1",
          "X-Stainless-Lang: python",
          "X-Stainless-Package-Version: 1.109.1",
          "X-Stainless-OS: Linux",
          "X-Stainless-Arch: x64",
          "X-Stainless-Runtime: CPython",
          "X-Stainless-Runtime-Version: 3.11.2",
          "x-stainless-retry-count: 0",
          "x-stainless-read-timeout: 600"};
}

// httpx's multipart: purpose first, then the file, a hex boundary, and a Content-Length.
std::string httpx_multipart(const std::string& boundary, const std::string& content) {
  return "--" + boundary +
         "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfile-extract\r\n--" +
         boundary +
         "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"report.txt\"\r\n" +
         "Content-Type: text/plain\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n";
}

TEST(openai_sdk_requests, create_list_content_and_delete_work_against_kimi) {
  mock_process mock({"--provider", "kimi", "--api-key", "sk-sdk"});
  const std::string base = mock.url() + "/v1";
  const std::string boundary = "0c3a4b1e9f7d2a6b5c8e1f0a3d4b6c7e";
  auto headers = sdk_headers("sk-sdk");
  headers.push_back("Content-Type: multipart/form-data; boundary=" + boundary);
  const auto created =
      request("POST", base + "/files", headers, httpx_multipart(boundary, "quarterly numbers"));
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id(created.json().at("id").as_string());

  // SyncCursorPage stops auto-pagination only on has_more == false.
  const auto page = request("GET", base + "/files", sdk_headers("sk-sdk"));
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.json().at("has_more"), false);
  EXPECT_EQ(page.json().at("data").at(0).at("id"), id.c_str());

  auto binary = sdk_headers("sk-sdk");
  binary[1] = "Accept: application/binary";
  const auto content = request("GET", base + "/files/" + id + "/content", binary);
  ASSERT_EQ(content.status, 200);
  EXPECT_EQ(content.json().at("content"), "quarterly numbers");

  const auto deleted = request("DELETE", base + "/files/" + id, sdk_headers("sk-sdk"));
  EXPECT_EQ(deleted.json().at("deleted"), true);
}

TEST(openai_sdk_requests, a_bad_key_gets_the_401_the_sdk_maps_to_authentication_error) {
  mock_process mock({"--provider", "kimi", "--api-key", "sk-sdk"});
  const auto r = request("GET", mock.url() + "/v1/files", sdk_headers("sk-other"));
  EXPECT_EQ(r.status, 401);
  // The SDK reads body["error"] and its type/message to build AuthenticationError.
  EXPECT_EQ(r.json().at("error").at("type"), "invalid_authentication_error");
  EXPECT_EQ(r.json().at("error").at("message"), "Invalid Authentication");
  EXPECT_EQ(r.headers.at("content-type"), "application/json");
}

}  // namespace
}  // namespace rollproof::mock::testing
