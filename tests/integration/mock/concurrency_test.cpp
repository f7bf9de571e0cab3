// rollproof-mock under load: 1000 uploads in flight at once, every one answered and hashed right.

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <map>

#include "mock_client.hpp"
#include "rollproof/common/sha256.hpp"

namespace rollproof::mock::testing {
namespace {

struct transfer {
  CURL* easy = nullptr;
  curl_mime* mime = nullptr;
  curl_slist* headers = nullptr;
  std::string content;
  std::string id_header;
  std::string response;
};

std::size_t keep_response(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

TEST(mock_under_load, answers_and_hashes_1000_concurrent_uploads) {
  mock_process mock({"--provider", "kimi", "--max-files", "100000"});
  constexpr int count = 1000;
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
  std::vector<transfer> transfers(count);
  for (int i = 0; i < count; ++i) {
    auto& t = transfers[static_cast<std::size_t>(i)];
    t.content = binary_content(4096 + static_cast<std::size_t>(i), static_cast<unsigned>(i));
    t.easy = curl_easy_init();
    curl_easy_setopt(t.easy, CURLOPT_URL, (mock.url() + "/v1/files").c_str());
    curl_easy_setopt(t.easy, CURLOPT_TIMEOUT, 90L);
    curl_easy_setopt(t.easy, CURLOPT_WRITEFUNCTION, keep_response);
    curl_easy_setopt(t.easy, CURLOPT_WRITEDATA, &t.response);
    t.mime = curl_mime_init(t.easy);
    curl_mimepart* purpose = curl_mime_addpart(t.mime);
    curl_mime_name(purpose, "purpose");
    curl_mime_data(purpose, "file-extract", CURL_ZERO_TERMINATED);
    curl_mimepart* file = curl_mime_addpart(t.mime);
    curl_mime_name(file, "file");
    curl_mime_data(file, t.content.data(), t.content.size());
    curl_mime_filename(file, "f.bin");
    curl_easy_setopt(t.easy, CURLOPT_MIMEPOST, t.mime);
    t.id_header = "X-Client-Request-Id: req-" + std::to_string(i);
    t.headers = curl_slist_append(nullptr, "Authorization: Bearer k");
    t.headers = curl_slist_append(t.headers, t.id_header.c_str());
    curl_easy_setopt(t.easy, CURLOPT_HTTPHEADER, t.headers);
    curl_multi_add_handle(multi, t.easy);
  }
  int running = 0;
  do {
    curl_multi_perform(multi, &running);
    curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  } while (running > 0);
  int ok = 0;
  for (auto& t : transfers) {
    long status = 0;
    curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
    ok += status == 200;
    curl_multi_remove_handle(multi, t.easy);
    curl_easy_cleanup(t.easy);
    curl_mime_free(t.mime);
    curl_slist_free_all(t.headers);
  }
  curl_multi_cleanup(multi);
  EXPECT_EQ(ok, count);

  std::map<std::string, std::string> sha_by_request;
  for (const auto& e : ledger_of(mock))
    sha_by_request[std::string(e.at("request_id").as_string())] =
        std::string(e.at("sha256").as_string());
  ASSERT_EQ(sha_by_request.size(), static_cast<std::size_t>(count));
  int matching = 0;
  for (int i = 0; i < count; ++i)
    matching += sha_by_request["req-" + std::to_string(i)] ==
                rollproof::sha256_hex(transfers[static_cast<std::size_t>(i)].content);
  EXPECT_EQ(matching, count);
}

}  // namespace
}  // namespace rollproof::mock::testing
