// Kimi's versioned mode (kimi-api-version: 2026-09-01-beta) of rollproof-mock, over loopback,
// against providers-mock/API.md (source K6).

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "mock_client.hpp"

namespace rollproof::mock::testing {
namespace {

const std::string version_header = "kimi-api-version: 2026-09-01-beta";

std::vector<std::string> kimi(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--provider", "kimi", "--api-key", "sk-test", "--seed", "7"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// A request in the versioned mode with the test key.
http_result versioned(const std::string& method, const std::string& url,
                      const std::string& key = "sk-test") {
  return request(method, url, {version_header, "Authorization: Bearer " + key});
}

// An upload in the versioned mode.
http_result versioned_upload(const mock_process& mock, upload_request u = {}) {
  u.headers.push_back(version_header);
  return upload(mock.url() + "/v1/files", u);
}

// `prefix` followed by `n` (GCC 12 warns falsely about "literal" + std::to_string).
std::string numbered(std::string prefix, int n) {
  prefix += std::to_string(n);
  return prefix;
}

std::string id_of(const http_result& r) {
  return std::string(r.json().at("id").as_string());
}

// Checks the versioned error shape and that its request_id is the response's Msh-Request-Id.
void expect_error(const http_result& r, long status, std::string_view type) {
  EXPECT_EQ(r.status, status) << r.body;
  const auto v = r.json();
  ASSERT_TRUE(v.is_object() && v.as_object().contains("error")) << r.body;
  const auto& e = v.at("error").as_object();
  EXPECT_EQ(e.at("type"), std::string(type).c_str()) << r.body;
  EXPECT_TRUE(e.at("message").is_string());
  ASSERT_EQ(r.headers.count("msh-request-id"), 1u);
  EXPECT_EQ(e.at("request_id"), r.headers.at("msh-request-id").c_str());
  if (type != "rate_limit_reached_error") {
    EXPECT_EQ(r.headers.count("retry-after"), 0u);
  }
}

std::vector<std::string> ids_of(const boost::json::array& records) {
  std::vector<std::string> out;
  for (const auto& r : records)
    out.emplace_back(r.at("id").as_string());
  return out;
}

TEST(kimi_versioned, uploads_with_201_and_the_versioned_record) {
  mock_process mock(kimi());
  const auto r = versioned_upload(mock);
  ASSERT_EQ(r.status, 201) << r.body;
  const auto v = r.json();
  const auto& o = v.as_object();
  EXPECT_EQ(o.size(), 7u) << r.body;
  EXPECT_EQ(id_of(r).size(), 20u);
  EXPECT_EQ(o.at("filename"), "a.txt");
  EXPECT_EQ(o.at("mime_type"), "text/plain");
  EXPECT_EQ(o.at("size_bytes"), 6);
  EXPECT_EQ(o.at("purpose"), "file-extract");
  EXPECT_EQ(o.at("extract_status"), "ready");
  const std::string created(o.at("created_at").as_string());
  EXPECT_TRUE(std::regex_match(created, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << created;
  EXPECT_EQ(r.headers.count("msh-request-id"), 1u);
}

TEST(kimi_versioned, names_the_file_by_the_filename_field_when_given) {
  mock_process mock(kimi());
  const auto r = versioned_upload(mock, {.fields = {{"filename", "report (1).md"}}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("filename"), "report (1).md");
  EXPECT_EQ(r.json().at("mime_type"), "text/markdown");
  std::string longest;
  for (int i = 0; i < 4096; ++i)
    longest += "é";  // 4096 characters, 8192 bytes
  EXPECT_EQ(versioned_upload(mock, {.fields = {{"filename", longest}}}).status, 201);
  const auto too_long = versioned_upload(mock, {.fields = {{"filename", std::string(4097, 'x')}}});
  expect_error(too_long, 400, "invalid_parameter_error");
  EXPECT_EQ(too_long.json().at("error").at("param"), "filename");
  EXPECT_EQ(ledger_of(mock)[0].at("filename"), "report (1).md");
}

TEST(kimi_versioned, retrieves_the_record_it_answered_on_upload) {
  mock_process mock(kimi());
  const auto uploaded = versioned_upload(mock, {.filename = "notes.csv", .content = "a,b\n"});
  const auto got = versioned("GET", mock.url() + "/v1/files/" + id_of(uploaded));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json(), uploaded.json());
  EXPECT_EQ(got.json().at("mime_type"), "text/csv");
}

TEST(kimi_versioned, pages_through_five_files_two_at_a_time_in_the_compat_order) {
  mock_process mock(kimi());
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(versioned_upload(mock, {.filename = numbered("f", i) + ".txt"}).status, 201);
  const auto compat = get(mock.url() + "/v1/files").json().at("data").as_array();
  std::vector<std::string> paged;
  std::string token;
  std::vector<std::size_t> sizes;
  for (int page = 0; page < 5; ++page) {
    std::string url = mock.url() + "/v1/files?page_size=2";
    if (!token.empty()) url += "&page_token=" + token;
    const auto r = versioned("GET", url);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto v = r.json();
    const auto& o = v.as_object();
    const auto ids = ids_of(o.at("items").as_array());
    sizes.push_back(ids.size());
    paged.insert(paged.end(), ids.begin(), ids.end());
    if (!o.contains("next_page_token")) break;
    token = std::string(o.at("next_page_token").as_string());
    ASSERT_FALSE(token.empty());
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 2, 1}));
  EXPECT_EQ(paged, ids_of(compat));
}

TEST(kimi_versioned, lists_every_file_on_one_page_without_a_page_size) {
  mock_process mock(kimi());
  for (int i = 0; i < 3; ++i)
    versioned_upload(mock);
  const auto r = versioned("GET", mock.url() + "/v1/files");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("items").as_array().size(), 3u);
  EXPECT_FALSE(r.json().as_object().contains("next_page_token"));
  EXPECT_FALSE(r.json().as_object().contains("data"));
}

TEST(kimi_versioned, refuses_a_bad_page_size_or_an_unknown_page_token) {
  mock_process mock(kimi());
  versioned_upload(mock);
  for (const char* size : {"0", "1001", "abc", "2x", "-1", ""}) {
    const auto r = versioned("GET", mock.url() + "/v1/files?page_size=" + size);
    expect_error(r, 400, "invalid_parameter_error");
    EXPECT_EQ(r.json().at("error").at("param"), "page_size") << size;
  }
  EXPECT_EQ(versioned("GET", mock.url() + "/v1/files?page_size=1000").status, 200);
  for (const char* token :
       {"nope", "00000000000000000000000000000000", "0000000000000000000000000000000G"}) {
    const auto r = versioned("GET", mock.url() + "/v1/files?page_token=" + token);
    expect_error(r, 400, "invalid_parameter_error");
    EXPECT_EQ(r.json().at("error").at("param"), "page_token") << token;
  }
}

TEST(kimi_versioned, deletes_with_204_and_no_body_then_answers_404) {
  mock_process mock(kimi());
  const auto id = id_of(versioned_upload(mock));
  const auto deleted = versioned("DELETE", mock.url() + "/v1/files/" + id);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_EQ(deleted.body, "");
  EXPECT_EQ(deleted.headers.count("content-type"), 0u);
  EXPECT_EQ(deleted.headers.count("msh-request-id"), 1u);
  expect_error(versioned("GET", mock.url() + "/v1/files/" + id), 404, "resource_not_found_error");
  expect_error(versioned("DELETE", mock.url() + "/v1/files/" + id), 404,
               "resource_not_found_error");
}

std::vector<std::string> request_ids_of_a_session(const std::string& seed) {
  mock_process mock({"--provider", "kimi", "--api-key", "sk-test", "--seed", seed});
  std::vector<http_result> results;
  results.push_back(versioned_upload(mock));
  results.push_back(versioned("GET", mock.url() + "/v1/files"));
  results.push_back(versioned("GET", mock.url() + "/v1/files/missing"));
  results.push_back(versioned("GET", mock.url() + "/v1/files", "sk-wrong"));
  results.push_back(get(mock.url() + "/v1/files"));
  results.push_back(versioned("GET", mock.url() + "/v1/files?page_size=0"));
  std::vector<std::string> ids;
  for (const auto& r : results) {
    EXPECT_EQ(r.headers.count("msh-request-id"), 1u) << r.status;
    ids.push_back(r.headers.count("msh-request-id") ? r.headers.at("msh-request-id") : "");
  }
  return ids;
}

TEST(kimi_versioned, carries_a_request_id_on_every_response_the_same_for_a_fixed_seed) {
  const auto first = request_ids_of_a_session("11");
  EXPECT_EQ(request_ids_of_a_session("11"), first);
  EXPECT_NE(request_ids_of_a_session("12"), first);
  EXPECT_EQ(std::set<std::string>(first.begin(), first.end()).size(), first.size());
}

TEST(kimi_versioned, refuses_an_unknown_version_naming_the_header) {
  mock_process mock(kimi());
  const auto r = request("GET", mock.url() + "/v1/files",
                         {"kimi-api-version: 2099-01-01", "Authorization: Bearer sk-test"});
  expect_error(r, 400, "invalid_parameter_error");
  EXPECT_EQ(r.json().at("error").at("param"), "kimi-api-version");
  EXPECT_NE(r.json().at("error").at("message").as_string().find("kimi-api-version"),
            std::string::npos);
}

TEST(kimi_versioned, answers_request_errors_with_their_types_and_statuses) {
  mock_process mock(kimi({"--max-files", "1", "--max-file-size", "1000"}));
  expect_error(versioned("GET", mock.url() + "/v1/files", "sk-wrong"), 401, "authentication_error");
  expect_error(request("GET", mock.url() + "/v1/files", {version_header}), 401,
               "authentication_error");
  expect_error(versioned("GET", mock.url() + "/v1/files/nope"), 404, "resource_not_found_error");
  // Over the limit: chunked (seen on the file part) and declared (refused before the body).
  expect_error(versioned_upload(mock, {.content = std::string(1001, 'x'), .chunked = true}), 400,
               "invalid_request_error");
  expect_error(versioned_upload(mock, {.content = std::string(1 << 20, 'x')}), 400,
               "invalid_request_error");
  const auto purpose = versioned_upload(mock, {.purpose = "fine-tune"});
  expect_error(purpose, 400, "invalid_parameter_error");
  EXPECT_EQ(purpose.json().at("error").at("param"), "purpose");
  expect_error(versioned_upload(mock, {.content = ""}), 400, "invalid_parameter_error");
  const auto id = id_of(versioned_upload(mock, {.content = binary_content(100)}));
  expect_error(versioned_upload(mock), 400, "failed_precondition_error");
  expect_error(versioned("GET", mock.url() + "/v1/files/" + id + "/content"), 400,
               "failed_precondition_error");
}

TEST(kimi_versioned, shapes_status_faults_by_their_status) {
  mock_process mock(kimi());
  boost::json::array rules;
  for (int status : {403, 409, 429, 503}) {
    rules.push_back(boost::json::object{
        {"name", numbered("f", status)},
        {"match", {{"header", {{"name", "X-Fault"}, {"regex", numbered("^", status)}}}}},
        {"action", {{"kind", "status"}, {"status", status}}}});
  }
  ASSERT_EQ(request("PUT", mock.url() + "/_mock/faults", {},
                    boost::json::serialize(boost::json::object{{"rules", rules}}))
                .status,
            200);
  const auto faulted = [&](int status) {
    return request(
        "GET", mock.url() + "/v1/files",
        {version_header, "Authorization: Bearer sk-test", numbered("X-Fault: ", status)});
  };
  expect_error(faulted(403), 403, "permission_denied_error");
  expect_error(faulted(409), 409, "conflict_error");
  expect_error(faulted(503), 503, "server_error");
  const auto limited = faulted(429);
  expect_error(limited, 429, "rate_limit_reached_error");
  EXPECT_EQ(limited.headers.count("retry-after"), 1u);
  // The same rule without the header answers in the compat shape.
  const auto compat =
      request("GET", mock.url() + "/v1/files", {"Authorization: Bearer sk-test", "X-Fault: 503"});
  EXPECT_EQ(compat.status, 503);
  EXPECT_FALSE(compat.json().at("error").as_object().contains("request_id"));
}

TEST(kimi_versioned, limits_the_rate_with_429_and_retry_after) {
  mock_process mock(kimi({"--rpm", "1"}));
  ASSERT_EQ(versioned("GET", mock.url() + "/v1/files").status, 200);
  const auto r = versioned("GET", mock.url() + "/v1/files");
  expect_error(r, 429, "rate_limit_reached_error");
  ASSERT_EQ(r.headers.count("retry-after"), 1u);
  EXPECT_GE(std::stoi(r.headers.at("retry-after")), 1);
  EXPECT_EQ(r.body.find("sk-test"), std::string::npos);
}

TEST(kimi_versioned, leaves_a_compat_request_between_versioned_ones_in_the_compat_shape) {
  mock_process mock(kimi());
  const auto id = id_of(versioned_upload(mock));
  const auto compat = upload(mock.url() + "/v1/files", {});
  ASSERT_EQ(compat.status, 200);
  EXPECT_EQ(compat.json().at("object"), "file");
  EXPECT_EQ(compat.json().at("status"), "ok");
  const auto retrieved = get(mock.url() + "/v1/files/" + id);
  EXPECT_EQ(retrieved.json().at("object"), "file");
  EXPECT_EQ(retrieved.json().at("bytes"), 6);
  const auto list = get(mock.url() + "/v1/files");
  EXPECT_EQ(list.json().at("data").as_array().size(), 2u);
  EXPECT_EQ(list.json().at("has_more"), false);
  EXPECT_EQ(versioned("GET", mock.url() + "/v1/files").json().at("items").as_array().size(), 2u);
  const auto deleted =
      request("DELETE", mock.url() + "/v1/files/" + id, {"Authorization: Bearer sk-test"});
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.json().at("deleted"), true);
  EXPECT_EQ(get(mock.url() + "/v1/files/" + id).json().at("error").as_object().size(), 2u);
}

TEST(kimi_versioned, leaves_glm_alone_whatever_the_header) {
  mock_process mock({"--provider", "glm", "--api-key", "sk-test"});
  const auto r = versioned_upload(mock);  // /v1/files is no GLM path
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json().at("error").at("code"), "1222");
  const auto glm = upload(mock.url() + "/api/paas/v4/files", {.headers = {version_header}});
  EXPECT_EQ(glm.status, 200) << glm.body;
  EXPECT_EQ(glm.json().at("object"), "file");
}

TEST(kimi_versioned, records_the_api_version_in_the_ledger) {
  mock_process mock(kimi());
  versioned_upload(mock);
  get(mock.url() + "/v1/files");
  request("GET", mock.url() + "/v1/files",
          {"kimi-api-version: 1999-01-01", "Authorization: Bearer sk-test"});
  const auto ledger = ledger_of(mock);
  ASSERT_EQ(ledger.size(), 3u);
  EXPECT_EQ(ledger[0].at("api_version"), "2026-09-01-beta");
  EXPECT_EQ(ledger[0].at("status"), 201);
  EXPECT_TRUE(ledger[1].at("api_version").is_null());
  EXPECT_EQ(ledger[2].at("api_version"), "1999-01-01");
  EXPECT_EQ(ledger[2].at("status"), 400);
}

}  // namespace
}  // namespace rollproof::mock::testing
