// The Kimi file API of rollproof-mock, over loopback, against the shapes of providers-mock/API.md.

#include <gtest/gtest.h>

#include "mock_client.hpp"
#include "rollproof/common/sha256.hpp"

namespace rollproof::mock::testing {
namespace {

std::vector<std::string> kimi(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--provider", "kimi", "--api-key", "sk-test", "--seed", "7"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

boost::json::value kimi_error(std::string_view type, std::string_view message) {
  return boost::json::object{{"error", {{"message", message}, {"type", type}}}};
}

TEST(kimi_api, uploads_a_file_and_answers_a_file_object) {
  mock_process mock(kimi());
  const auto r = upload(mock.url() + "/v1/files", {});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto o = r.json().as_object();
  const std::string id(o.at("id").as_string());
  EXPECT_EQ(id.size(), 20u);
  EXPECT_TRUE(
      std::all_of(id.begin(), id.end(), [](char c) { return std::isdigit(c) || std::islower(c); }));
  EXPECT_EQ(o.at("object"), "file");
  EXPECT_EQ(o.at("bytes"), 6);
  EXPECT_TRUE(o.at("created_at").is_int64() || o.at("created_at").is_uint64());
  EXPECT_EQ(o.at("filename"), "a.txt");
  EXPECT_EQ(o.at("purpose"), "file-extract");
  EXPECT_EQ(o.at("status"), "ok");
  EXPECT_EQ(o.at("status_details"), "");
  EXPECT_EQ(r.headers.count("msh-request-id"), 1u);
}

TEST(kimi_api, gives_the_same_ids_for_the_same_seed) {
  std::string first;
  for (int run = 0; run < 2; ++run) {
    mock_process mock(kimi());
    const auto id = upload(mock.url() + "/v1/files", {}).json().at("id");
    if (run == 0)
      first = std::string(id.as_string());
    else
      EXPECT_EQ(id, first.c_str());
  }
}

TEST(kimi_api, lists_retrieves_serves_content_and_deletes) {
  mock_process mock(kimi());
  const auto files = mock.url() + "/v1/files";
  const auto id = std::string(upload(files, {.content = "some text"}).json().at("id").as_string());
  const auto list = get(files);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json().at("object"), "list");
  EXPECT_EQ(list.json().at("has_more"), false);
  ASSERT_EQ(list.json().at("data").as_array().size(), 1u);
  EXPECT_EQ(get(files + "/" + id).json().at("id"), id.c_str());
  const auto content = get(files + "/" + id + "/content");
  ASSERT_EQ(content.status, 200);
  EXPECT_EQ(content.json(), (boost::json::value{{"content", "some text"},
                                                {"file_type", "text/plain"},
                                                {"filename", "a.txt"},
                                                {"title", ""},
                                                {"type", "file"}}));
  const auto deleted = request("DELETE", files + "/" + id, {"Authorization: Bearer sk-test"});
  EXPECT_EQ(deleted.json(),
            (boost::json::value{{"id", id}, {"object", "file"}, {"deleted", true}}));
  const auto gone = get(files + "/" + id);
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(gone.json().at("error").at("type"), "resource_not_found_error");
}

TEST(kimi_api, refuses_a_wrong_or_missing_key_with_invalid_authentication) {
  mock_process mock(kimi());
  const auto expected = kimi_error("invalid_authentication_error", "Invalid Authentication");
  const auto wrong = get(mock.url() + "/v1/files", "sk-wrong");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.json(), expected);
  const auto missing = request("GET", mock.url() + "/v1/files");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.json(), expected);
  EXPECT_EQ(upload(mock.url() + "/v1/files", {.api_key = "sk-wrong"}).status, 401);
}

TEST(kimi_api, accepts_any_bearer_token_without_keys_but_still_requires_one) {
  mock_process mock({"--provider", "kimi"});
  EXPECT_EQ(get(mock.url() + "/v1/files", "anything").status, 200);
  EXPECT_EQ(request("GET", mock.url() + "/v1/files").status, 401);
}

TEST(kimi_api, answers_the_documented_upload_errors) {
  mock_process mock(kimi({"--max-files", "1", "--max-file-size", "1000"}));
  const auto files = mock.url() + "/v1/files";
  const std::string invalid = "invalid_request_error";
  EXPECT_EQ(upload(files, {.content = ""}).json(),
            kimi_error(invalid, "File size is zero, please confirm and re-upload the file"));
  EXPECT_EQ(upload(files, {.purpose = "fine-tune"}).json(),
            kimi_error(invalid, "Invalid purpose: only 'file-extract' accepted"));
  const auto too_large = upload(files, {.content = std::string(1001, 'x'), .chunked = true});
  EXPECT_EQ(too_large.status, 400);
  EXPECT_EQ(too_large.json(), kimi_error(invalid,
                                         "File size is too large, max file size is 100MB, please "
                                         "confirm and re-upload the file"));
  ASSERT_EQ(upload(files, {}).status, 200);
  EXPECT_EQ(upload(files, {}).json(),
            kimi_error(invalid,
                       "The number of files you have uploaded exceeded the max file count "
                       "1, please delete previous uploaded files"));
}

TEST(kimi_api, refuses_a_declared_length_over_the_limit_before_reading_the_body) {
  mock_process mock(kimi({"--max-file-size", "1000"}));
  // 1 MiB declared and sent; the answer must come without the mock hashing it.
  const auto r = upload(mock.url() + "/v1/files", {.content = std::string(1 << 20, 'x')});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json().at("error").at("type"), "invalid_request_error");
  const auto ledger = ledger_of(mock);
  ASSERT_EQ(ledger.size(), 1u);
  EXPECT_TRUE(ledger[0].at("sha256").is_null());
  EXPECT_EQ(ledger[0].at("status"), 400);
}

TEST(kimi_api, says_a_binary_file_has_no_text) {
  mock_process mock(kimi());
  const auto id = std::string(upload(mock.url() + "/v1/files", {.content = binary_content(5000)})
                                  .json()
                                  .at("id")
                                  .as_string());
  const auto r = get(mock.url() + "/v1/files/" + id + "/content");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json(), kimi_error("invalid_request_error", "text extract error: 没有解析出内容"));
}

TEST(kimi_api, hashes_a_chunked_upload_like_the_file) {
  mock_process mock(kimi());
  const std::string content = binary_content(3 << 20, 5);
  const auto r = upload(mock.url() + "/v1/files",
                        {.filename = "big.bin",
                         .content = content,
                         .chunked = true,
                         .headers = {"X-Client-Request-Id: req-42",
                                     "User-Agent: rollproof-upload/0.1 (route=async)"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("bytes"), 3 << 20);
  const auto ledger = ledger_of(mock);
  ASSERT_EQ(ledger.size(), 1u);
  const auto& e = ledger[0].as_object();
  EXPECT_EQ(e.at("sha256"), rollproof::sha256_hex(content).c_str());
  EXPECT_EQ(e.at("bytes"), 3 << 20);
  EXPECT_EQ(e.at("request_id"), "req-42");
  EXPECT_EQ(e.at("route"), "async");
  EXPECT_EQ(e.at("user_agent"), "rollproof-upload/0.1 (route=async)");
  EXPECT_EQ(e.at("filename"), "big.bin");
  EXPECT_EQ(e.at("purpose"), "file-extract");
  EXPECT_EQ(e.at("file_id"), r.json().at("id"));
  EXPECT_EQ(e.at("method"), "POST");
  EXPECT_EQ(e.at("path"), "/v1/files");
  EXPECT_EQ(e.at("status"), 200);
  EXPECT_TRUE(e.at("fault").is_null());
  EXPECT_GT(e.at("duration_us").to_number<std::uint64_t>(), 0u);
}

TEST(kimi_api, accepts_the_file_part_before_the_purpose) {
  mock_process mock(kimi());
  const auto r = upload(mock.url() + "/v1/files", {.purpose_first = false});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(
      upload(mock.url() + "/v1/files", {.send_purpose = false}).json().at("error").at("message"),
      "Invalid request: purpose is required");
}

TEST(kimi_api, keeps_uploaded_bytes_in_a_store_directory) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("rollproof-mock-store-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    mock_process mock(kimi({"--store", dir.string()}));
    const std::string content = binary_content(70000, 3);
    const auto id = std::string(
        upload(mock.url() + "/v1/files", {.content = content}).json().at("id").as_string());
    EXPECT_EQ(rollproof::sha256_file(dir / id).value_or(""), rollproof::sha256_hex(content));
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace rollproof::mock::testing
