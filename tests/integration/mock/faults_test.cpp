// Every fault action of rollproof-mock, observed from a libcurl client.

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "mock_client.hpp"
#include "rollproof/common/sha256.hpp"

namespace rollproof::mock::testing {
namespace {

void put_faults(const mock_process& mock, const std::string& rules_json) {
  const auto r = request("PUT", mock.url() + "/_mock/faults", {"Content-Type: application/json"},
                         R"({"rules":[)" + rules_json + "]}");
  ASSERT_EQ(r.status, 200) << r.body;
}

std::vector<std::string> kimi() {
  return {"--provider", "kimi", "--api-key", "sk-test", "--seed", "11"};
}

std::string files_of(const mock_process& mock) {
  return mock.url() + "/v1/files";
}

boost::json::value last_entry(const mock_process& mock) {
  const auto ledger = ledger_of(mock);
  return ledger.empty() ? boost::json::value() : ledger.back();
}

TEST(fault_status, answers_503_with_retry_after_and_names_the_fault) {
  mock_process mock(kimi());
  put_faults(mock, R"({"name":"flaky","match":{"method":"POST","path":"*/files"},
                       "action":{"kind":"status","status":503,"headers":{"Retry-After":"2"}}})");
  const auto r = upload(files_of(mock), {});
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.headers.at("retry-after"), "2");
  EXPECT_EQ(r.json().at("error").at("type"), "server_error");
  EXPECT_EQ(last_entry(mock).at("fault"), "flaky");
  EXPECT_EQ(last_entry(mock).at("status"), 503);
  const auto stats = request("GET", mock.url() + "/_mock/stats").json();
  EXPECT_EQ(stats.at("by_fault").at("flaky"), 1);
  EXPECT_EQ(get(files_of(mock)).json().at("data").as_array().size(), 0u) << "nothing stored";
}

TEST(fault_reset, resets_the_connection_after_the_given_request_bytes) {
  mock_process mock(kimi());
  put_faults(mock, R"({"name":"rst","action":{"kind":"reset","after_bytes":65536}})");
  const auto r = upload(files_of(mock), {.content = binary_content(4 << 20)});
  EXPECT_TRUE(r.curl_code == CURLE_SEND_ERROR || r.curl_code == CURLE_RECV_ERROR)
      << "curl code " << r.curl_code;
  const auto e = last_entry(mock);
  EXPECT_EQ(e.at("status"), 0);
  EXPECT_EQ(e.at("fault"), "rst");
  EXPECT_TRUE(e.at("sha256").is_null());
}

TEST(fault_close, closes_without_a_response) {
  mock_process mock(kimi());
  put_faults(mock, R"({"name":"c","action":{"kind":"close"}})");
  EXPECT_EQ(upload(files_of(mock), {}).curl_code, CURLE_GOT_NOTHING);
  EXPECT_EQ(last_entry(mock).at("fault"), "c");
}

TEST(fault_stall, never_answers_until_the_client_gives_up) {
  mock_process mock(kimi());
  put_faults(mock, R"({"name":"s","match":{"method":"GET"},"action":{"kind":"stall"}})");
  const auto r =
      request("GET", files_of(mock), {"Authorization: Bearer sk-test"}, std::nullopt, 500);
  EXPECT_EQ(r.curl_code, CURLE_OPERATION_TIMEDOUT);
  EXPECT_EQ(last_entry(mock).at("fault"), "s");
}

TEST(fault_latency, delays_the_response_by_at_least_the_given_time) {
  mock_process mock(kimi());
  put_faults(mock, R"({"name":"slow","action":{"kind":"latency","ms":300}})");
  const auto r = get(files_of(mock));
  EXPECT_EQ(r.status, 200);
  EXPECT_GE(r.seconds, 0.3);
}

TEST(fault_bandwidth, throttles_the_request_body) {
  mock_process mock(kimi());
  put_faults(mock, R"({"name":"bw","action":{"kind":"bandwidth","request_bytes_per_s":100000}})");
  const auto r = upload(files_of(mock), {.content = binary_content(50000)});
  EXPECT_EQ(r.status, 200);
  EXPECT_GE(r.seconds, 0.4);
}

TEST(fault_empty, answers_200_with_an_empty_body) {
  mock_process mock(kimi());
  put_faults(mock, R"({"name":"e","action":{"kind":"empty"}})");
  const auto r = upload(files_of(mock), {});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
}

TEST(fault_malformed, answers_200_with_broken_json) {
  mock_process mock(kimi());
  put_faults(mock, R"({"name":"m","action":{"kind":"malformed"}})");
  const auto r = upload(files_of(mock), {});
  EXPECT_EQ(r.status, 200);
  boost::system::error_code ec;
  boost::json::parse(r.body, ec);
  EXPECT_TRUE(ec) << r.body;
}

TEST(fault_truncate, sends_less_body_than_its_content_length) {
  mock_process mock(kimi());
  put_faults(mock, R"({"name":"t","action":{"kind":"truncate"}})");
  EXPECT_EQ(upload(files_of(mock), {}).curl_code, CURLE_PARTIAL_FILE);
  EXPECT_EQ(last_entry(mock).at("fault"), "t");
}

TEST(fault_slow_close, answers_then_closes_the_connection) {
  mock_process mock(kimi());
  put_faults(mock, R"({"name":"sc","action":{"kind":"slow_close","delay_ms":100}})");
  const auto r = get(files_of(mock));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.at("connection"), "close");
  EXPECT_EQ(last_entry(mock).at("fault"), "sc");
}

TEST(fault_corrupt, makes_the_ledger_hash_differ_from_the_file) {
  mock_process mock(kimi());
  put_faults(mock, R"({"name":"flip","action":{"kind":"corrupt","offset":10}})");
  const std::string content = binary_content(1000);
  const auto r = upload(files_of(mock), {.content = content});
  EXPECT_EQ(r.status, 200);
  const auto e = last_entry(mock);
  EXPECT_EQ(e.at("bytes"), 1000);
  EXPECT_NE(e.at("sha256"), rollproof::sha256_hex(content).c_str());
  std::string flipped = content;
  flipped[10] = static_cast<char>(flipped[10] ^ 0xff);
  EXPECT_EQ(e.at("sha256"), rollproof::sha256_hex(flipped).c_str());
}

TEST(fault_schedule, matches_the_route_in_the_user_agent) {
  mock_process mock(kimi());
  put_faults(mock,
             R"({"name":"async-only","match":{"header":{"name":"User-Agent","regex":"route=async"}},
                       "action":{"kind":"status","status":500}})");
  EXPECT_EQ(upload(files_of(mock), {.headers = {"User-Agent: u (route=async)"}}).status, 500);
  EXPECT_EQ(upload(files_of(mock), {.headers = {"User-Agent: u (route=sync)"}}).status, 200);
}

std::string statuses_of_requests(const mock_process& mock, int n) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += get(files_of(mock)).status == 503 ? 'x' : '.';
  return out;
}

TEST(fault_schedule, repeats_seeded_probabilities_after_a_reset_and_across_processes) {
  const std::string rule =
      R"({"name":"coin","schedule":{"probability":0.5},"action":{"kind":"status","status":503}})";
  std::string first;
  {
    mock_process mock(kimi());
    put_faults(mock, rule);
    first = statuses_of_requests(mock, 30);
    ASSERT_EQ(request("POST", mock.url() + "/_mock/reset").status, 200);
    EXPECT_EQ(statuses_of_requests(mock, 30), first);
  }
  mock_process again(kimi());
  put_faults(again, rule);
  EXPECT_EQ(statuses_of_requests(again, 30), first);
  EXPECT_NE(first.find('x'), std::string::npos);
  EXPECT_NE(first.find('.'), std::string::npos);
}

TEST(fault_schedule, loads_rules_from_a_toml_file) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("rollproof-faults-" + std::to_string(::getpid()) + ".toml");
  {
    std::ofstream(path) << "[[rules]]\nname = \"second\"\nschedule = { every = 2 }\naction = { "
                           "kind = \"status\", status = 502 }\n";
  }
  auto args = kimi();
  args.insert(args.end(), {"--faults", path.string()});
  mock_process mock(args);
  EXPECT_EQ(get(files_of(mock)).status, 200);
  EXPECT_EQ(get(files_of(mock)).status, 502);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace rollproof::mock::testing
