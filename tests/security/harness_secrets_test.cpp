// The harness is out of the subject's reach: the mocks the runner starts refuse admin requests
// without the runner's random token (a case whose subject tries fails "harness_untouched" and its
// faults stay), and no API key or admin token is ever on a mock's command line.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include "run_support.hpp"

namespace {

namespace fs = std::filesystem;
using namespace rollproof::chaos;
using namespace std::chrono_literals;

constexpr const char* planted_key = "sk-harness-4d81b2c6e0";

// One kimi case of `uploads` 4 KiB uploads, every upload answered 503 by a fault rule.
std::string all_503_scenario(int uploads) {
  return std::string("[scenario]\nname = \"harness\"\nseed = 5\ntime_limit = \"30s\"\n\n") +
         "[providers.kimi]\napi_key = \"" + planted_key + "\"\n\n" +
         "[matrix]\nfile_types = [\"text\"]\nsizes = [\"4KiB\"]\nproviders = [\"kimi\"]\n"
         "concurrency = [2]\nroutes = [\"sync\"]\nfaults = [\"all-503\"]\nuploads = " +
         std::to_string(uploads) +
         "\n\n[subject]\nsettings = { max_retries = 0 }\n\n"
         "[[faults.all-503.rules]]\nname = \"every-upload-503\"\n"
         "match = { method = \"POST\", path = \"*/files\" }\n"
         "action = { kind = \"status\", status = 503 }\n";
}

std::string broken_subject(const std::string& kind) {
  return (bin_dir() / "rollproof-broken-subject").string() + " --break=" + kind;
}

// `rollproof run` of `scenario_text` in `dir` (reports in <dir>/out) with `subject`.
std::vector<std::string> run_args(const temp_dir& dir, const std::string& scenario_text,
                                  const std::string& subject) {
  write_text(dir.path() / "harness.toml", scenario_text);
  return {"run",       (dir.path() / "harness.toml").string(),
          "--out",     (dir.path() / "out").string(),
          "--subject", subject};
}

// The only case of <dir>/out/evidence.json.
boost::json::object only_case(const temp_dir& dir) {
  const auto evidence = boost::json::parse(read_text(dir.path() / "out" / "evidence.json"));
  const auto& cases = evidence.at("cases").as_array();
  EXPECT_EQ(cases.size(), 1u);
  return cases.empty() ? boost::json::object{} : cases.front().as_object();
}

// The check named `name` of `c`, or an empty object.
boost::json::object check_named(const boost::json::object& c, const std::string& name) {
  for (const auto& k : c.at("checks").as_array())
    if (k.at("name").as_string() == name) return k.as_object();
  return {};
}

// How many uploads of `c` the subject reported ok.
std::size_t ok_uploads(const boost::json::object& c) {
  std::size_t ok = 0;
  for (const auto& u : c.at("uploads").as_array())
    ok += u.at("ok").as_bool() ? 1 : 0;
  return ok;
}

// The NUL-separated words of /proc/<pid>/cmdline.
std::vector<std::string> command_line_of(pid_t pid) {
  const std::string raw = read_text(fs::path("/proc") / std::to_string(pid) / "cmdline");
  std::vector<std::string> words;
  std::string word;
  for (const char c : raw) {
    if (c != '\0') {
      word += c;
      continue;
    }
    words.push_back(word);
    word.clear();
  }
  return words;
}

}  // namespace

TEST(harness_untouched, a_subject_that_puts_faults_and_resets_the_mock_fails_and_the_faults_stay) {
  temp_dir dir;
  runner_process runner(run_args(dir, all_503_scenario(4), broken_subject("tampers_harness")),
                        dir.path());
  const int code = runner.wait_for_exit(120s);
  kill_tagged(runner.tag());
  ASSERT_EQ(code, 1) << runner.output();
  const auto c = only_case(dir);
  const auto check = check_named(c, "harness_untouched");
  ASSERT_FALSE(check.empty()) << runner.output();
  EXPECT_FALSE(check.at("passed").as_bool());
  const std::string measured(check.at("measured").as_string());
  EXPECT_NE(measured.find("the subject tried to change the harness: PUT /_mock/faults refused"),
            std::string::npos)
      << measured;
  EXPECT_NE(measured.find("POST /_mock/reset refused"), std::string::npos) << measured;
  EXPECT_NE(std::string(c.at("message").as_string()).find("harness_untouched"), std::string::npos);
  // The all-503 rule was still in force: no upload got through.
  EXPECT_EQ(c.at("uploads").as_array().size(), 4u);
  EXPECT_EQ(ok_uploads(c), 0u);
}

TEST(harness_untouched, passes_for_a_subject_that_leaves_the_mocks_alone) {
  temp_dir dir;
  runner_process runner(run_args(dir, all_503_scenario(4), broken_subject("none")), dir.path());
  const int code = runner.wait_for_exit(120s);
  kill_tagged(runner.tag());
  ASSERT_EQ(code, 1) << runner.output();  // the 503s fail success_rate, nothing else
  const auto check = check_named(only_case(dir), "harness_untouched");
  ASSERT_FALSE(check.empty()) << runner.output();
  EXPECT_TRUE(check.at("passed").as_bool()) << check.at("measured").as_string();
  EXPECT_EQ(check.at("measured").as_string(), "no admin request refused");
}

TEST(mock_secrets, no_api_key_or_admin_token_is_on_the_command_line_of_a_runner_started_mock) {
  temp_dir dir;
  runner_process runner(run_args(dir, all_503_scenario(40), broken_subject("none")), dir.path());
  std::vector<std::string> words;
  while (words.empty() && runner.running()) {
    for (const pid_t pid : tagged_with_command(runner.tag(), "rollproof-mock"))
      if (auto w = command_line_of(pid); !w.empty() && w.front().ends_with("rollproof-mock"))
        words = std::move(w);
    std::this_thread::sleep_for(5ms);
  }
  runner.wait_for_exit(120s);
  kill_tagged(runner.tag());
  ASSERT_FALSE(words.empty()) << "no rollproof-mock process seen: " << runner.output();
  std::string secrets_path;
  const std::regex token_like("[0-9a-f]{32,}");
  for (std::size_t i = 0; i < words.size(); ++i) {
    EXPECT_EQ(words[i].find(planted_key), std::string::npos) << words[i];
    EXPECT_NE(words[i], "--api-key");
    EXPECT_NE(words[i], "--admin-token");
    EXPECT_FALSE(std::regex_search(words[i], token_like)) << words[i];
    if (words[i] == "--secrets-file" && i + 1 < words.size()) secrets_path = words[i + 1];
  }
  ASSERT_FALSE(secrets_path.empty()) << "the mock was not given --secrets-file";
  EXPECT_FALSE(fs::exists(secrets_path)) << secrets_path;
  EXPECT_FALSE(fs::exists(fs::path(secrets_path).parent_path())) << secrets_path;
}

TEST(mock_secrets, the_secrets_file_is_0600_in_a_private_directory_and_gone_after_the_run) {
  temp_dir dir;
  // A stand-in mock that notes what it was handed, then becomes the real mock.
  const fs::path seen = dir.path() / "seen.txt";
  const fs::path wrapper = dir.path() / "mock-wrapper.sh";
  write_text(wrapper,
             "#!/bin/sh\nprev=\nfor a in \"$@\"; do\n"
             "  if [ \"$prev\" = --secrets-file ]; then\n"
             "    stat -c '%a' \"$a\" \"$(dirname \"$a\")\" >> '" +
                 seen.string() + "'\n    echo \"$a\" >> '" + seen.string() +
                 "'\n    grep -c . \"$a\" >> '" + seen.string() +
                 "'\n  fi\n  prev=$a\ndone\nexec '" + (bin_dir() / "rollproof-mock").string() +
                 "' \"$@\"\n");
  fs::permissions(wrapper, fs::perms::owner_all);
  ::setenv("ROLLPROOF_MOCK", wrapper.c_str(), 1);
  runner_process runner(run_args(dir, all_503_scenario(4), broken_subject("none")), dir.path());
  ::unsetenv("ROLLPROOF_MOCK");
  const int code = runner.wait_for_exit(120s);
  kill_tagged(runner.tag());
  ASSERT_EQ(code, 1) << runner.output();
  std::istringstream lines(read_text(seen));
  std::string file_mode, dir_mode, path, secret_lines;
  std::getline(lines, file_mode);
  std::getline(lines, dir_mode);
  std::getline(lines, path);
  std::getline(lines, secret_lines);
  ASSERT_FALSE(path.empty()) << "the mock was not given --secrets-file: " << runner.output();
  EXPECT_EQ(file_mode, "600");
  EXPECT_EQ(dir_mode, "700");
  EXPECT_EQ(secret_lines, "2");  // api_key= and admin_token=
  EXPECT_FALSE(fs::exists(path)) << path;
  EXPECT_FALSE(fs::exists(fs::path(path).parent_path())) << path;
}
