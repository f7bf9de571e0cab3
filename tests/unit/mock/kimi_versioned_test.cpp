#include "rollproof/mock/kimi_versioned.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace rollproof::mock::kimi_versioned {
namespace {

// A sink that received a purpose, a file part named `name` and, when given, a filename field.
void fill(upload_sink& sink, std::string_view content, std::optional<std::string> field = {}) {
  sink.on_part_begin({"purpose", std::nullopt, ""});
  sink.on_part_data("file-extract");
  sink.on_part_end();
  sink.on_part_begin({"file", "part.txt", "application/octet-stream"});
  if (!content.empty()) sink.on_part_data(content);
  sink.on_part_end();
  if (field) {
    sink.on_part_begin({"filename", std::nullopt, ""});
    if (!field->empty()) sink.on_part_data(*field);
    sink.on_part_end();
  }
}

// `a` followed by `b` (GCC 12 warns falsely about "literal" + std::string).
std::string joined(std::string a, std::string_view b) {
  a += b;
  return a;
}

boost::json::object error_of(const reply& r) {
  return boost::json::parse(r.body).at("error").as_object();
}

stored_file file_at(std::int64_t created_at, std::uint64_t order) {
  stored_file f;
  f.id = joined("f", std::to_string(order));
  f.created_at = created_at;
  f.order = order;
  return f;
}

TEST(kimi_versioned, applies_to_the_kimi_files_paths_only) {
  file_store store;
  provider_api kimi({.kind = provider_kind::kimi}, store);
  EXPECT_TRUE(applies(kimi, "/v1/files"));
  EXPECT_TRUE(applies(kimi, "/v1/files/abc/content"));
  EXPECT_FALSE(applies(kimi, "/v1/filesx"));
  EXPECT_FALSE(applies(kimi, "/v1/chat/completions"));
  provider_api glm({.kind = provider_kind::glm}, store);
  EXPECT_FALSE(applies(glm, "/v1/files"));
}

TEST(kimi_versioned, writes_rfc3339_with_milliseconds_in_utc) {
  EXPECT_EQ(rfc3339_ms(1787745600000), "2026-08-26T12:00:00.000Z");
  EXPECT_EQ(rfc3339_ms(1787745600042), "2026-08-26T12:00:00.042Z");
  EXPECT_EQ(rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(rfc3339_ms(-1), "1969-12-31T23:59:59.999Z");
}

TEST(kimi_versioned, issues_page_tokens_that_sort_like_the_list) {
  const auto early = page_token_after(file_at(100, 1));
  const auto late = page_token_after(file_at(100, 2));
  EXPECT_EQ(early.size(), 32u);
  EXPECT_NE(early, late);
  EXPECT_EQ(page_token_after(file_at(100, 1)), early);
}

TEST(kimi_versioned, answers_upload_with_201_and_the_record) {
  file_store store;
  provider_api api({.kind = provider_kind::kimi, .seed = 3}, store);
  responder v(api, "req-1");
  upload_sink sink({});
  fill(sink, "hello");
  ledger_entry entry;
  const auto r = v.finish_upload(sink, std::nullopt, entry);
  ASSERT_EQ(r.status, 201u) << r.body;
  const auto o = boost::json::parse(r.body).as_object();
  EXPECT_EQ(o.at("filename"), "part.txt");
  EXPECT_EQ(o.at("size_bytes"), 5);
  EXPECT_EQ(o.at("mime_type"), "text/plain");
  EXPECT_EQ(o.at("extract_status"), "ready");
  EXPECT_EQ(o.at("id"), entry.file_id->c_str());
  EXPECT_EQ(store.count(), 1u);
}

TEST(kimi_versioned, takes_the_filename_field_and_refuses_an_empty_one) {
  file_store store;
  provider_api api({.kind = provider_kind::kimi}, store);
  responder v(api, "req-2");
  upload_sink named({});
  fill(named, "x", "given.md");
  ledger_entry entry;
  EXPECT_EQ(boost::json::parse(v.finish_upload(named, std::nullopt, entry).body).at("filename"),
            "given.md");
  EXPECT_EQ(entry.filename, "given.md");
  upload_sink empty({});
  fill(empty, "x", "");
  ledger_entry refused;
  const auto r = v.finish_upload(empty, std::nullopt, refused);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(error_of(r).at("param"), "filename");
  EXPECT_TRUE(refused.sha256.has_value());
  EXPECT_EQ(store.count(), 1u);
}

TEST(kimi_versioned, shapes_errors_with_type_message_and_request_id) {
  file_store store;
  provider_api api({.kind = provider_kind::kimi, .max_file_size = 1000}, store);
  responder v(api, "req-3");
  const auto too_large = v.error(api_error::too_large);
  EXPECT_EQ(too_large.status, 400u);
  EXPECT_EQ(error_of(too_large).at("type"), "invalid_request_error");
  EXPECT_EQ(error_of(too_large).at("request_id"), "req-3");
  EXPECT_EQ(v.check_declared_length(1001 + multipart_allowance)->status, 400u);
  EXPECT_EQ(error_of(v.authenticate(std::nullopt).error()).at("type"), "authentication_error");
  EXPECT_FALSE(v.check_version(supported_version));
  EXPECT_EQ(error_of(*v.check_version("2025-01-01")).at("param"), "kimi-api-version");
  EXPECT_EQ(v.error(api_error::too_many_files).status, 400u);
  EXPECT_EQ(error_of(v.error(api_error::too_many_files)).at("type"), "failed_precondition_error");
}

TEST(kimi_versioned, gives_retry_after_only_to_rate_limit_errors) {
  file_store store;
  provider_api api({.kind = provider_kind::kimi}, store);
  responder v(api, "req-4");
  const auto limited = v.rate_limited({false, 3, 20}, "sk-secret");
  EXPECT_EQ(limited.status, 429u);
  EXPECT_EQ(error_of(limited).at("type"), "rate_limit_reached_error");
  ASSERT_EQ(limited.headers.size(), 1u);
  EXPECT_EQ(limited.headers[0], (std::pair<std::string, std::string>{"Retry-After", "20"}));
  EXPECT_EQ(limited.body.find("sk-secret"), std::string::npos);
  for (unsigned status : {400u, 401u, 403u, 404u, 409u, 500u, 503u})
    EXPECT_TRUE(v.fault_status(status, "rule").headers.empty()) << status;
  EXPECT_EQ(error_of(v.fault_status(409, "rule")).at("type"), "conflict_error");
  EXPECT_EQ(error_of(v.fault_status(403, "rule")).at("type"), "permission_denied_error");
  EXPECT_EQ(v.fault_status(429, "rule").headers.size(), 1u);
}

TEST(kimi_versioned, resumes_a_list_after_a_deleted_file) {
  file_store store;
  provider_api api({.kind = provider_kind::kimi}, store);
  responder v(api, "req-5");
  for (int i = 0; i < 3; ++i) {
    upload_sink sink({});
    fill(sink, "x");
    ledger_entry entry;
    ASSERT_EQ(v.finish_upload(sink, std::nullopt, entry).status, 201u);
  }
  ledger_entry entry;
  const auto first = boost::json::parse(v.handle("GET", "/v1/files", "page_size=1", entry).body);
  const std::string token(first.at("next_page_token").as_string());
  const std::string removed(first.at("items").at(0).at("id").as_string());
  EXPECT_EQ(v.handle("DELETE", joined("/v1/files/", removed), "", entry).status, 204u);
  const auto rest =
      boost::json::parse(v.handle("GET", "/v1/files", joined("page_token=", token), entry).body);
  EXPECT_EQ(rest.at("items").as_array().size(), 2u);
  EXPECT_FALSE(rest.as_object().contains("next_page_token"));
}

}  // namespace
}  // namespace rollproof::mock::kimi_versioned
