// The /_mock/ admin API: ledger, stats, faults, reset, health, admin token.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/process.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "mock_client.hpp"

namespace rollproof::mock::testing {
namespace {

std::vector<std::string> kimi(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--provider", "kimi", "--api-key", "sk-test"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(admin_api, reports_health_and_the_provider) {
  mock_process mock(kimi());
  const auto r = request("GET", mock.url() + "/_mock/health");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json().at("status"), "ok");
  EXPECT_EQ(r.json().at("provider"), "kimi");
}

TEST(admin_api, returns_ledger_entries_after_a_seq_and_leaves_admin_calls_out) {
  mock_process mock(kimi());
  for (int i = 0; i < 3; ++i)
    get(mock.url() + "/v1/files");
  const auto all = ledger_of(mock);
  ASSERT_EQ(all.size(), 3u);
  const auto seq1 = all[0].at("seq").to_number<std::uint64_t>();
  const auto rest = ledger_of(mock, seq1);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].at("seq"), seq1 + 1);
  EXPECT_EQ(request("GET", mock.url() + "/_mock/ledger?since=x").status, 400);
}

TEST(admin_api, counts_requests_statuses_and_bytes) {
  mock_process mock(kimi());
  upload(mock.url() + "/v1/files", {});
  get(mock.url() + "/v1/files", "sk-bad");
  const auto s = request("GET", mock.url() + "/_mock/stats").json();
  EXPECT_EQ(s.at("requests"), 2);
  EXPECT_EQ(s.at("by_status").at("200"), 1);
  EXPECT_EQ(s.at("by_status").at("401"), 1);
  EXPECT_GT(s.at("bytes_in").to_number<std::uint64_t>(), 6u);
  EXPECT_EQ(s.at("files"), 1);
}

TEST(admin_api, puts_and_gets_fault_rules_and_rejects_bad_ones_with_pointers) {
  mock_process mock(kimi());
  const std::string plan =
      R"({"rules":[{"name":"a","match":{},"schedule":{"every":2},"action":{"kind":"latency","ms":5}}]})";
  ASSERT_EQ(request("PUT", mock.url() + "/_mock/faults", {}, plan).status, 200);
  EXPECT_EQ(request("GET", mock.url() + "/_mock/faults").json(), boost::json::parse(plan));
  const auto bad = request("PUT", mock.url() + "/_mock/faults", {},
                           R"({"rules":[{"name":"a","action":{"kind":"boom"}}]})");
  EXPECT_EQ(bad.status, 400);
  const auto body = bad.json();
  const auto& errors = body.at("errors").as_array();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(
      std::string(errors[0].as_string())
          .starts_with("PUT /_mock/faults: /rules/0/action/kind: unknown action kind 'boom'"))
      << errors[0];
  EXPECT_EQ(request("PUT", mock.url() + "/_mock/faults", {}, "{not json").status, 400);
  EXPECT_EQ(request("GET", mock.url() + "/_mock/faults").json(), boost::json::parse(plan))
      << "a rejected plan leaves the old one";
}

TEST(admin_api, reset_clears_files_ledger_and_counters_and_restarts_ids) {
  mock_process mock(kimi({"--seed", "5"}));
  const auto first_id = upload(mock.url() + "/v1/files", {}).json().at("id");
  ASSERT_EQ(request("POST", mock.url() + "/_mock/reset").status, 200);
  EXPECT_EQ(ledger_of(mock).size(), 0u);
  EXPECT_EQ(request("GET", mock.url() + "/_mock/stats").json().at("requests"), 0);
  EXPECT_EQ(get(mock.url() + "/v1/files").json().at("data").as_array().size(), 0u);
  EXPECT_EQ(upload(mock.url() + "/v1/files", {}).json().at("id"), first_id);
  EXPECT_GT(ledger_of(mock)[0].at("seq").to_number<std::uint64_t>(), 1u) << "seq never restarts";
}

TEST(admin_api, requires_the_admin_token_when_one_is_set) {
  mock_process mock(kimi({"--admin-token", "adm"}));
  EXPECT_EQ(request("GET", mock.url() + "/_mock/ledger").status, 401);
  EXPECT_EQ(request("GET", mock.url() + "/_mock/ledger", {"Authorization: Bearer adm"}).status,
            200);
  EXPECT_EQ(request("GET", mock.url() + "/_mock/ledger", {"X-Mock-Admin-Token: adm"}).status, 200);
  EXPECT_EQ(request("POST", mock.url() + "/_mock/reset", {"X-Mock-Admin-Token: wrong"}).status,
            401);
}

TEST(admin_api, counts_each_refused_admin_request_with_its_method_and_path_across_reset) {
  mock_process mock(kimi({"--admin-token", "adm"}));
  const std::vector<std::string> admin{"X-Mock-Admin-Token: adm"};
  ASSERT_EQ(request("PUT", mock.url() + "/_mock/faults", {}, R"({"rules":[]})").status, 401);
  ASSERT_EQ(request("POST", mock.url() + "/_mock/reset", {"X-Mock-Admin-Token: wrong"}).status,
            401);
  const auto reset = request("POST", mock.url() + "/_mock/reset", admin);
  ASSERT_EQ(reset.status, 200);
  EXPECT_EQ(reset.json().at("admin_refused"), 2);  // the runner's cursor: refusals before it
  const auto stats = request("GET", mock.url() + "/_mock/stats", admin).json();
  const auto& refusals = stats.at("admin_refusals").as_object();
  EXPECT_EQ(refusals.at("count"), 2);  // the runner's own reset keeps the count
  const auto& newest = refusals.at("newest").as_array();
  ASSERT_EQ(newest.size(), 2u);
  EXPECT_EQ(newest[0].at("n"), 1);
  EXPECT_EQ(newest[0].at("method"), "PUT");
  EXPECT_EQ(newest[0].at("path"), "/_mock/faults");
  EXPECT_EQ(newest[1].at("method"), "POST");
  EXPECT_EQ(newest[1].at("path"), "/_mock/reset");
  // Refusals are not ledger entries.
  EXPECT_TRUE(request("GET", mock.url() + "/_mock/ledger", admin).json().as_array().empty());
}

TEST(admin_api, keeps_the_newest_32_refusals_and_counts_every_one) {
  mock_process mock(kimi({"--admin-token", "adm"}));
  for (int i = 0; i < 40; ++i)
    ASSERT_EQ(request("GET", mock.url() + "/_mock/ledger?i=" + std::to_string(i)).status, 401);
  const auto stats =
      request("GET", mock.url() + "/_mock/stats", {"X-Mock-Admin-Token: adm"}).json();
  const auto& refusals = stats.at("admin_refusals").as_object();
  EXPECT_EQ(refusals.at("count"), 40);
  const auto& newest = refusals.at("newest").as_array();
  ASSERT_EQ(newest.size(), 32u);
  EXPECT_EQ(newest.front().at("n"), 9);
  EXPECT_EQ(newest.back().at("n"), 40);
}

// A file under the temp dir with `text` and `mode`, removed on destruction.
class secrets_on_disk {
 public:
  secrets_on_disk(const std::string& text, ::mode_t mode)
      : path_(std::filesystem::temp_directory_path() /
              ("rollproof-secrets-test-" + std::to_string(std::random_device{}()))) {
    std::ofstream(path_) << text;
    ::chmod(path_.c_str(), mode);
  }
  ~secrets_on_disk() { std::filesystem::remove(path_); }
  secrets_on_disk(const secrets_on_disk&) = delete;
  secrets_on_disk& operator=(const secrets_on_disk&) = delete;
  [[nodiscard]] std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// Runs rollproof-mock with `args` to its exit (it must refuse them); the exit code and stderr.
std::pair<int, std::string> refused_start(const std::vector<std::string>& args) {
  namespace bp = boost::process;
  bp::ipstream err;
  bp::child c(mock_binary(), bp::args(args), bp::std_out > bp::null, bp::std_err > err);
  std::string text, line;
  while (std::getline(err, line))
    text += line + "\n";
  c.wait();
  return {c.exit_code(), text};
}

TEST(secrets_file, gives_the_mock_its_api_key_and_admin_token_off_the_command_line) {
  const secrets_on_disk secrets("api_key=sk-from-file\nadmin_token=adm-from-file\n", 0600);
  mock_process mock({"--provider", "kimi", "--secrets-file", secrets.path()});
  EXPECT_EQ(get(mock.url() + "/v1/files", "sk-from-file").status, 200);
  EXPECT_EQ(get(mock.url() + "/v1/files", "sk-other").status, 401);
  EXPECT_EQ(request("GET", mock.url() + "/_mock/ledger").status, 401);
  EXPECT_EQ(
      request("GET", mock.url() + "/_mock/ledger", {"X-Mock-Admin-Token: adm-from-file"}).status,
      200);
}

TEST(secrets_file, is_refused_when_others_may_read_it_or_a_line_is_not_a_known_name) {
  const secrets_on_disk open_to_all("admin_token=adm\n", 0644);
  const auto [open_code, open_error] = refused_start({"--secrets-file", open_to_all.path()});
  EXPECT_EQ(open_code, 2);
  EXPECT_NE(
      open_error.find(open_to_all.path() + ":1:1: the secrets file is open to group or others"),
      std::string::npos)
      << open_error;
  const secrets_on_disk malformed("admin_token=adm\nkey sk-x\n", 0600);
  const auto [bad_code, bad_error] = refused_start({"--secrets-file", malformed.path()});
  EXPECT_EQ(bad_code, 2);
  EXPECT_NE(bad_error.find(malformed.path() + ":2:1: expected NAME=VALUE"), std::string::npos)
      << bad_error;
}

TEST(rate_model, answers_kimi_429_with_retry_after_over_the_rpm) {
  mock_process mock(kimi({"--rpm", "2"}));
  EXPECT_EQ(get(mock.url() + "/v1/files").status, 200);
  EXPECT_EQ(get(mock.url() + "/v1/files").status, 200);
  const auto r = get(mock.url() + "/v1/files");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.json().at("error").at("type"), "rate_limit_reached_error");
  EXPECT_NE(std::string(r.json().at("error").at("message").as_string()).find("max RPM: 2"),
            std::string::npos);
  EXPECT_EQ(r.body.find("sk-test"), std::string::npos) << "the key never appears";
  EXPECT_FALSE(r.headers.at("retry-after").empty());
}

TEST(rate_model, answers_glm_1302_without_retry_after_over_the_concurrency) {
  mock_process mock({"--provider", "glm", "--max-concurrency", "1"});
  ASSERT_EQ(
      request(
          "PUT", mock.url() + "/_mock/faults", {},
          R"({"rules":[{"name":"hold","schedule":{"first":1},"action":{"kind":"latency","ms":1500}}]})")
          .status,
      200);
  const auto url = mock.url() + "/api/paas/v4/files";
  std::thread slow([&] { get(url, "k"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto r = get(url, "k");
  slow.join();
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.json().at("error").at("code"), "1302");
  EXPECT_EQ(r.headers.count("retry-after"), 0u);
}

}  // namespace
}  // namespace rollproof::mock::testing
