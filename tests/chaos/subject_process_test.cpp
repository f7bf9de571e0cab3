// A subject that misbehaves as a process: it stops reading its stdin, or it leaves a grandchild
// (in a new session, or in its own process group) that keeps its stdout open. The runner must
// still end every case in time, honour SIGTERM, write its reports and leave no process behind.

#include <gtest/gtest.h>
#include <signal.h>

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

// One kimi case of `uploads` 4 KiB sync uploads, `concurrency` in flight.
std::string one_case_scenario(int uploads, int concurrency, const std::string& time_limit) {
  return "[scenario]\nname = \"subject-process\"\nseed = 3\ntime_limit = \"" + time_limit +
         "\"\n\n[providers.kimi]\napi_key = \"sk-subject-process-key\"\n\n"
         "[matrix]\nfile_types = [\"text\"]\nsizes = [\"4KiB\"]\nproviders = [\"kimi\"]\n"
         "concurrency = [" +
         std::to_string(concurrency) +
         "]\nroutes = [\"sync\"]\nuploads = " + std::to_string(uploads) + "\n";
}

// `rollproof run` of `scenario_text` in `dir` (reports in <dir>/out), the subject broken by `kind`.
std::vector<std::string> run_args(const temp_dir& dir, const std::string& scenario_text,
                                  const std::string& kind) {
  write_text(dir.path() / "subject-process.toml", scenario_text);
  return {"run",       (dir.path() / "subject-process.toml").string(),
          "--out",     (dir.path() / "out").string(),
          "--subject", (bin_dir() / "rollproof-broken-subject").string() + " --break=" + kind};
}

// The only case of <dir>/out/evidence.json, or an empty object when there is no evidence.
boost::json::object only_case(const temp_dir& dir) {
  const fs::path evidence = dir.path() / "out" / "evidence.json";
  if (!fs::exists(evidence)) return {};
  const auto parsed = boost::json::parse(read_text(evidence));
  const auto& cases = parsed.at("cases").as_array();
  EXPECT_EQ(cases.size(), 1u);
  return cases.empty() ? boost::json::object{} : cases.front().as_object();
}

// The pid the broken subject said its grandchild has ("...: grandchild pid N"), or 0.
pid_t grandchild_pid(const boost::json::object& c) {
  const auto* tail = c.if_contains("subject_stderr_tail");
  if (tail == nullptr || !tail->is_string()) return 0;
  std::smatch m;
  const std::string text(tail->as_string());
  static const std::regex said("grandchild pid ([0-9]+)");
  return std::regex_search(text, m, said) ? static_cast<pid_t>(std::stol(m[1])) : 0;
}

// A case whose subject leaves a grandchild holding its stdout ends, with the grandchild gone.
void expect_grandchild_ended_with_its_case(const std::string& kind) {
  temp_dir dir;
  runner_process runner(run_args(dir, one_case_scenario(4, 2, "30s"), kind), dir.path());
  const int code = runner.wait_for_exit(90s);
  const auto left = left_behind(runner.tag(), 10s);
  kill_tagged(runner.tag());
  ASSERT_NE(code, -1) << "the runner was still running after 90 s:\n" << runner.output();
  EXPECT_TRUE(left.empty()) << left.size() << " processes left behind, e.g. pid " << left.front();
  const auto c = only_case(dir);
  ASSERT_FALSE(c.empty()) << runner.output();
  const pid_t pid = grandchild_pid(c);
  ASSERT_GT(pid, 0) << "the subject did not say its grandchild's pid: " << runner.output();
  EXPECT_FALSE(fs::exists(fs::path("/proc") / std::to_string(pid))) << "pid " << pid;
  // The subject answered everything before its grandchild was ended: the case itself passed.
  EXPECT_EQ(c.at("status").as_string(), "passed") << c.at("message").as_string();
}

}  // namespace

TEST(subject_input, a_subject_that_stops_reading_fails_its_case_as_error_by_the_time_limit) {
  temp_dir dir;
  // 64 requests in flight (about 200 bytes each) overfill the one-page pipe the subject leaves.
  runner_process runner(run_args(dir, one_case_scenario(64, 64, "3s"), "stops_reading"),
                        dir.path());
  const int code = runner.wait_for_exit(90s);
  const auto left = left_behind(runner.tag(), 10s);
  kill_tagged(runner.tag());
  ASSERT_NE(code, -1) << "the runner was still running after 90 s:\n" << runner.output();
  EXPECT_EQ(code, 3) << runner.output();
  EXPECT_TRUE(left.empty()) << left.size() << " processes left behind, e.g. pid " << left.front();
  const auto c = only_case(dir);
  ASSERT_FALSE(c.empty()) << runner.output();
  EXPECT_EQ(c.at("status").as_string(), "error");
  const std::string message(c.at("message").as_string());
  EXPECT_NE(message.find("the subject stopped reading its input"), std::string::npos) << message;
}

TEST(subject_input, sigterm_stops_a_runner_whose_subject_stopped_reading) {
  temp_dir dir;
  runner_process runner(run_args(dir, one_case_scenario(64, 64, "10m"), "stops_reading"),
                        dir.path());
  // Long enough for the hello, the configure and a full pipe.
  std::this_thread::sleep_for(3s);
  ASSERT_TRUE(runner.running()) << runner.output();
  ::kill(runner.pid(), SIGTERM);
  const int code = runner.wait_for_exit(60s);
  const auto left = left_behind(runner.tag(), 10s);
  kill_tagged(runner.tag());
  ASSERT_NE(code, -1) << "the runner was still running 60 s after SIGTERM:\n" << runner.output();
  EXPECT_EQ(code, 3) << runner.output();
  EXPECT_TRUE(left.empty()) << left.size() << " processes left behind";
  const std::string evidence = read_text(dir.path() / "out" / "evidence.json");
  EXPECT_TRUE(std::regex_search(evidence, std::regex(R"re("aborted"\s*:\s*true)re")))
      << runner.output();
}

TEST(subject_descendants, a_grandchild_in_a_new_session_holding_stdout_ends_with_its_case) {
  expect_grandchild_ended_with_its_case("setsid_grandchild");
}

TEST(subject_descendants, a_grandchild_in_the_subjects_group_holding_stdout_ends_with_its_case) {
  expect_grandchild_ended_with_its_case("group_grandchild");
}
