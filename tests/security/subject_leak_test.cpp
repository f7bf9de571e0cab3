// The secret-leak check sees everything the subject emits: a key on a stdout line that is not
// JSON, a key early in stderr followed by more stderr than any tail keeps, and a key echoed in an
// answer (the configure answer) all fail `no_secret_leak`, and the key is in no report.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "run_support.hpp"

namespace {

namespace fs = std::filesystem;
using namespace rollproof::chaos;
using namespace std::chrono_literals;

constexpr const char* planted_key = "sk-leak-scan-7f3e90a2c4";

// One kimi case of 4 sync 4 KiB uploads with the planted key.
std::string leak_scenario() {
  return std::string("[scenario]\nname = \"leak-scan\"\nseed = 9\ntime_limit = \"30s\"\n\n") +
         "[providers.kimi]\napi_key = \"" + planted_key + "\"\n\n" +
         "[matrix]\nfile_types = [\"text\"]\nsizes = [\"4KiB\"]\nproviders = [\"kimi\"]\n"
         "concurrency = [2]\nroutes = [\"sync\"]\nuploads = 4\n";
}

// What a run with the subject broken by `kind` said: its no_secret_leak check (empty object when
// missing), and the text of every report.
struct leak_run {
  boost::json::object check;
  std::string reports;
  std::string output;
};

leak_run run_with(const std::string& kind) {
  temp_dir dir;
  write_text(dir.path() / "leak.toml", leak_scenario());
  runner_process runner(
      {"run", (dir.path() / "leak.toml").string(), "--out", (dir.path() / "out").string(),
       "--subject", (bin_dir() / "rollproof-broken-subject").string() + " --break=" + kind},
      dir.path());
  runner.wait_for_exit(120s);
  kill_tagged(runner.tag());
  leak_run r;
  r.output = runner.output();
  const fs::path out = dir.path() / "out";
  for (const char* name : {"evidence.json", "junit.xml", "summary.md", "report.html"})
    r.reports += read_text(out / name);
  if (!fs::exists(out / "evidence.json")) return r;
  const auto evidence = boost::json::parse(read_text(out / "evidence.json"));
  for (const auto& c : evidence.at("cases").as_array())
    for (const auto& k : c.at("checks").as_array())
      if (k.at("name").as_string() == "no_secret_leak") r.check = k.as_object();
  return r;
}

// The run's no_secret_leak check failed, and the key shows in neither reports nor output.
void expect_leak_caught(const std::string& kind) {
  const auto r = run_with(kind);
  ASSERT_FALSE(r.check.empty()) << "no no_secret_leak check: " << r.output;
  EXPECT_FALSE(r.check.at("passed").as_bool()) << r.check.at("measured").as_string();
  EXPECT_EQ(r.reports.find(planted_key), std::string::npos);
  EXPECT_EQ(r.output.find(planted_key), std::string::npos);
}

}  // namespace

TEST(no_secret_leak, fails_for_a_key_on_a_stdout_line_that_is_not_json) {
  expect_leak_caught("leaks_key_plain_stdout");
}

TEST(no_secret_leak, fails_for_a_key_early_in_stderr_followed_by_64_kib_more) {
  expect_leak_caught("leaks_key_early_stderr");
}

TEST(no_secret_leak, fails_for_a_key_echoed_in_the_configure_answer) {
  expect_leak_caught("leaks_key_in_configure");
}

TEST(no_secret_leak, passes_for_a_subject_that_keeps_the_key_to_itself) {
  const auto r = run_with("none");
  ASSERT_FALSE(r.check.empty()) << "no no_secret_leak check: " << r.output;
  EXPECT_TRUE(r.check.at("passed").as_bool()) << r.check.at("measured").as_string();
}
