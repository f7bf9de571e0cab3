// The GLM file API of rollproof-mock, over loopback, against the shapes of providers-mock/API.md.

#include <gtest/gtest.h>

#include "mock_client.hpp"

namespace rollproof::mock::testing {
namespace {

std::vector<std::string> glm(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--provider", "glm", "--api-key", "id.secret", "--seed", "3"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

upload_request glm_upload(std::string purpose = "file-extract", std::string content = "text\n") {
  return {.api_key = "id.secret", .purpose = std::move(purpose), .content = std::move(content)};
}

boost::json::value glm_error(std::string_view code, std::string_view message) {
  return boost::json::object{{"error", {{"code", code}, {"message", message}}}};
}

std::string files_of(const mock_process& mock) {
  return mock.url() + "/api/paas/v4/files";
}

TEST(glm_api, uploads_a_file_and_answers_a_file_object) {
  mock_process mock(glm());
  const auto r = upload(files_of(mock), glm_upload());
  ASSERT_EQ(r.status, 200) << r.body;
  const auto o = r.json().as_object();
  const std::string id(o.at("id").as_string());
  EXPECT_EQ(id.size(), 8u + 1u + 36u) << id;  // YYYYMMDD_<uuid>
  EXPECT_EQ(id[8], '_');
  EXPECT_EQ(o.at("object"), "file");
  EXPECT_EQ(o.at("bytes"), 5);
  EXPECT_EQ(o.at("filename"), "a.txt");
  EXPECT_EQ(o.at("purpose"), "file-extract");
  EXPECT_FALSE(o.contains("status"));
  EXPECT_EQ(r.headers.count("x-request-id"), 1u);
}

TEST(glm_api, refuses_missing_and_wrong_keys_with_its_business_codes) {
  mock_process mock(glm());
  const auto missing = request("GET", files_of(mock));
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.json(),
            glm_error("1001", "Header 中未收到 Authentication 参数，无法进行身份验证"));
  const auto wrong = get(files_of(mock), "id.wrong");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.json(), glm_error("1000", "身份验证失败。"));
}

TEST(glm_api, pages_the_list_with_limit_after_order_and_purpose) {
  mock_process mock(glm());
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.emplace_back(upload(files_of(mock), glm_upload(i == 4 ? "batch" : "file-extract"))
                         .json()
                         .at("id")
                         .as_string());
  const auto page1 =
      get(files_of(mock) + "?purpose=file-extract&limit=2&order=asc", "id.secret").json();
  ASSERT_EQ(page1.at("data").as_array().size(), 2u);
  EXPECT_EQ(page1.at("has_more"), true);
  EXPECT_EQ(page1.at("object"), "list");
  EXPECT_EQ(page1.at("data").at(0).at("id"), ids[0].c_str());
  const auto page2 =
      get(files_of(mock) + "?purpose=file-extract&limit=2&order=asc&after=" + ids[1], "id.secret")
          .json();
  ASSERT_EQ(page2.at("data").as_array().size(), 2u);
  EXPECT_EQ(page2.at("data").at(0).at("id"), ids[2].c_str());
  EXPECT_EQ(page2.at("has_more"), false);
  const auto newest = get(files_of(mock) + "?limit=1", "id.secret").json();
  EXPECT_EQ(newest.at("data").at(0).at("id"), ids[4].c_str());
  const auto bad = get(files_of(mock) + "?limit=101", "id.secret");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json(), glm_error("1214", "limit参数非法"));
}

TEST(glm_api, serves_extracted_content_and_deletes) {
  mock_process mock(glm());
  const auto id = std::string(
      upload(files_of(mock), glm_upload("file-extract", "内容 text")).json().at("id").as_string());
  const auto content = get(files_of(mock) + "/" + id + "/content", "id.secret");
  ASSERT_EQ(content.status, 200);
  EXPECT_EQ(content.json().at("content"), "内容 text");
  const auto deleted =
      request("DELETE", files_of(mock) + "/" + id, {"Authorization: Bearer id.secret"});
  EXPECT_EQ(deleted.json(),
            (boost::json::value{{"id", id}, {"object", "file"}, {"deleted", true}}));
  EXPECT_EQ(
      request("DELETE", files_of(mock) + "/" + id, {"Authorization: Bearer id.secret"}).status,
      404);
}

TEST(glm_api, answers_435_over_the_size_limit_and_400_over_purpose_limits) {
  mock_process mock(glm(
      {"--max-file-size", "2000", "--extract-max-file-size", "100", "--extract-max-files", "1"}));
  const auto huge = upload(files_of(mock), glm_upload("batch", std::string(5000, 'x')));
  EXPECT_EQ(huge.status, 435);
  EXPECT_EQ(huge.json(), glm_error("1210", "文件大小超过限制，最大100MB"));
  const auto chunked_huge = upload(files_of(mock), {.api_key = "id.secret",
                                                    .purpose = "batch",
                                                    .content = std::string(2001, 'x'),
                                                    .chunked = true});
  EXPECT_EQ(chunked_huge.status, 435);
  const auto over_purpose =
      upload(files_of(mock), glm_upload("file-extract", std::string(101, 'x')));
  EXPECT_EQ(over_purpose.status, 400);
  EXPECT_EQ(over_purpose.json().at("error").at("code"), "1210");
  ASSERT_EQ(upload(files_of(mock), glm_upload()).status, 200);
  const auto too_many = upload(files_of(mock), glm_upload());
  EXPECT_EQ(too_many.status, 400);
  EXPECT_EQ(too_many.json().at("error").at("code"), "1210");
  EXPECT_EQ(upload(files_of(mock), glm_upload("batch")).status, 200) << "other purposes unaffected";
}

TEST(glm_api, answers_bad_purpose_zero_size_and_missing_fields) {
  mock_process mock(glm());
  EXPECT_EQ(upload(files_of(mock), glm_upload("nonsense")).json(),
            glm_error("1214", "purpose参数非法"));
  EXPECT_EQ(upload(files_of(mock), glm_upload("batch", "")).json(),
            glm_error("1214", "file参数非法：文件内容为空"));
  auto no_purpose = glm_upload();
  no_purpose.send_purpose = false;
  EXPECT_EQ(upload(files_of(mock), no_purpose).json(),
            glm_error("1213", "未正常接收到purpose参数"));
}

}  // namespace
}  // namespace rollproof::mock::testing
