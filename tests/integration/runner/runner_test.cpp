// The runner with the real mock and subject: what `make run` does, and how it survives failures.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "rollproof/framework/child_process.hpp"
#include "run_command.hpp"

namespace rollproof::testing {
namespace {

using framework::child_process;
using clock = std::chrono::steady_clock;

struct process_info {
  int pid = 0;
  int ppid = 0;
  std::string name;
};

// Every process of the machine, from /proc/<pid>/stat.
std::vector<process_info> all_processes() {
  std::vector<process_info> found;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(e.path() / "stat");
    std::string stat;
    if (!std::getline(in, stat)) continue;
    const auto open = stat.find('('), close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    process_info p;
    p.pid = std::stoi(name);
    p.name = stat.substr(open + 1, close - open - 1);
    std::istringstream rest(stat.substr(close + 2));
    std::string state;
    rest >> state >> p.ppid;
    if (state != "Z") found.push_back(p);
  }
  return found;
}

std::vector<process_info> children_of(int pid) {
  std::vector<process_info> kids;
  for (const auto& p : all_processes())
    if (p.ppid == pid) kids.push_back(p);
  return kids;
}

// A zombie is dead: it only waits for a parent (maybe init, in a container) to reap it.
bool alive(int pid) {
  for (const auto& p : all_processes())
    if (p.pid == pid) return true;
  return false;
}

// Waits until the runner has a child named `name`; its pid, or 0.
int wait_for_child(int runner, const std::string& name,
                   std::chrono::seconds limit = std::chrono::seconds(30)) {
  const auto deadline = clock::now() + limit;
  while (clock::now() < deadline) {
    // The kernel keeps 15 characters of a command name.
    for (const auto& k : children_of(runner))
      if (k.name == name.substr(0, 15)) return k.pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return 0;
}

std::unique_ptr<child_process> start_runner(const std::vector<std::string>& args) {
  std::vector<std::string> argv{(bin_dir() / "rollproof").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto runner = child_process::start(argv);
  EXPECT_TRUE(runner) << (runner ? "" : runner.error());
  return runner ? std::move(*runner) : nullptr;
}

boost::json::value evidence_in(const temp_dir& out) {
  return boost::json::parse(read_file(out.path() / "evidence.json"));
}

TEST(runner, runs_the_smoke_scenario_to_a_valid_junit_and_passing_evidence) {
  temp_dir out;
  const auto r = rollproof(
      {"run", (source_dir() / "scenarios/examples/smoke.toml").string(), "--out", out.str()});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto xsd = junit_xsd().string();
  const auto lint = run_command({"xmllint", "--noout", "--schema", xsd, out.str("junit.xml")});
  EXPECT_EQ(lint.code, 0) << lint.err;
  const auto evidence = evidence_in(out);
  const auto& cases = evidence.at("cases").as_array();
  EXPECT_EQ(cases.size(), 8u);
  for (const auto& c : cases)
    EXPECT_EQ(c.at("status").as_string(), "passed") << c.at("id").as_string();
  EXPECT_EQ(evidence.at("provenance").at("git").at("commit").as_string().size(), 40u);
  EXPECT_EQ(evidence.at("scenarios").as_array().at(0).at("sha256").as_string().size(), 64u);
  for (const char* report :
       {"junit.xml", "evidence.json", "evidence.intoto.json", "summary.md", "report.html"}) {
    EXPECT_EQ(read_file(out.path() / report).find("sk-rollproof-smoke"), std::string::npos)
        << report;
  }
  EXPECT_EQ(r.out.find("sk-rollproof-smoke"), std::string::npos);
  EXPECT_NE(r.out.find("smoke.integrity"), std::string::npos);  // the claims table
}

// A scenario whose `down` fault answers every upload 503: its cases can only pass as a negative
// test (`success_rate = { at_most = 0.0 }`); `when_tables` is appended after [expect].
std::string scenario_with_a_failing_cell(const std::string& when_tables) {
  return R"([scenario]
name = "expect-when"
seed = 3
[matrix]
sizes = ["2KiB"]
routes = ["sync"]
faults = ["none", "down"]
uploads = 4
[expect]
success_rate = { at_least = 1.0 }
[[faults.down.rules]]
name = "always-503"
match = { method = "POST", path = "*/files" }
action = { kind = "status", status = 503 }
)" + when_tables;
}

TEST(runner, judges_each_case_by_its_own_expectations_from_expect_when) {
  temp_dir out;
  const auto file = out.path() / "expect-when.toml";
  std::ofstream(file) << scenario_with_a_failing_cell(
      "[[expect.when]]\ncell = { faults = \"down\" }\nsuccess_rate = { at_most = 0.0 }\n"
      "integrity = \"none\"\n");
  const auto r = rollproof({"run", file.string(), "--out", out.str("reports")});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const auto evidence = boost::json::parse(read_file(out.path() / "reports/evidence.json"));
  const auto& cases = evidence.at("cases").as_array();
  ASSERT_EQ(cases.size(), 2u);
  for (const auto& c : cases)
    EXPECT_EQ(c.at("status").as_string(), "passed") << c.at("id").as_string();

  temp_dir strict;
  const auto strict_file = strict.path() / "expect-when.toml";
  std::ofstream(strict_file) << scenario_with_a_failing_cell("");
  const auto s = rollproof({"run", strict_file.string(), "--out", strict.str("reports")});
  EXPECT_EQ(s.code, 1) << "without the when table the failing cell must fail";
  EXPECT_NE((s.out + s.err).find("success_rate: expected success_rate >= 1"), std::string::npos)
      << s.out << s.err;

  // A lower bound of 0 does not let a case without a single ok upload pass: only `at_most` does.
  temp_dir lax;
  const auto lax_file = lax.path() / "expect-when.toml";
  std::ofstream(lax_file) << scenario_with_a_failing_cell(
      "[[expect.when]]\ncell = { faults = \"down\" }\nsuccess_rate = { at_least = 0.0 }\n");
  const auto l = rollproof({"run", lax_file.string(), "--out", lax.str("reports")});
  EXPECT_EQ(l.code, 1) << "zero ok uploads passed a lower bound of 0";
}

TEST(runner, records_the_faults_the_mock_injected_in_each_case_from_its_stats) {
  temp_dir out;
  const auto file = out.path() / "expect-when.toml";
  std::ofstream(file) << scenario_with_a_failing_cell(
      "[[expect.when]]\ncell = { faults = \"down\" }\nsuccess_rate = { at_most = 0.0 }\n"
      "integrity = \"none\"\n");
  const auto r = rollproof({"run", file.string(), "--out", out.str("reports")});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const auto evidence = boost::json::parse(read_file(out.path() / "reports/evidence.json"));
  for (const auto& c : evidence.at("cases").as_array()) {
    const auto& values = c.at("values").as_object();
    ASSERT_TRUE(values.contains("faults_injected")) << c.at("id").as_string();
    const double injected = values.at("faults_injected").to_number<double>();
    if (c.at("parameters").at("faults").as_string() == "none") {
      EXPECT_EQ(injected, 0) << c.at("id").as_string();
      continue;
    }
    // always-503 answers every upload request: the mock's count is what its ledger recorded.
    double sent = 0;
    for (const auto& u : c.at("uploads").as_array())
      sent += u.at("ledger_attempts").to_number<double>();
    EXPECT_GT(sent, 0);
    EXPECT_EQ(injected, sent);
    EXPECT_EQ(values.at("faults_by_rule.always-503").to_number<double>(), sent);
  }
  EXPECT_NE(read_file(out.path() / "reports/report.html").find("always-503: "), std::string::npos);
}

TEST(runner, turns_cases_of_a_killed_mock_into_errors_and_goes_on) {
  temp_dir out;
  auto runner = start_runner({"run", test_scenario("cli/slow.toml"), "--out", out.str()});
  ASSERT_TRUE(runner);
  const int mock = wait_for_child(runner->pid(), "rollproof-mock");
  ASSERT_NE(mock, 0) << "the runner never started a mock";
  // The first case's 20 uploads take about 3 s (150 ms each, one at a time).
  ASSERT_NE(wait_for_child(runner->pid(), "rollproof-upload"), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  ASSERT_EQ(::kill(mock, SIGKILL), 0);
  const auto ended = runner->wait(clock::now() + std::chrono::seconds(120));
  EXPECT_FALSE(ended.signaled);
  EXPECT_EQ(ended.code, 3);  // an errored case is an infrastructure failure
  const auto evidence = evidence_in(out);
  const auto& cases = evidence.at("cases").as_array();
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].at("status").as_string(), "error");
  EXPECT_NE(std::string(cases[0].at("message").as_string()).find("mock kimi died"),
            std::string::npos)
      << cases[0].at("message").as_string();
  EXPECT_EQ(cases[1].at("status").as_string(), "passed") << cases[1].at("message").as_string();
}

TEST(runner, ends_a_case_at_once_when_its_mock_dies_and_records_its_uploads_as_unknown) {
  temp_dir out;
  // 100 uploads of 150 ms each in a 20 s time_limit: left to run on, a case without its mock
  // would retry each remaining upload against a closed port until the limit.
  auto runner = start_runner({"run", test_scenario("cli/slow_long_case.toml"), "--out", out.str()});
  ASSERT_TRUE(runner);
  const int mock = wait_for_child(runner->pid(), "rollproof-mock");
  ASSERT_NE(mock, 0) << "the runner never started a mock";
  ASSERT_NE(wait_for_child(runner->pid(), "rollproof-upload"), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // some uploads answered 200
  ASSERT_EQ(::kill(mock, SIGKILL), 0);
  const auto killed = clock::now();
  const auto ended = runner->wait(killed + std::chrono::seconds(120));
  const double after_kill = std::chrono::duration<double>(clock::now() - killed).count();
  EXPECT_FALSE(ended.signaled);
  EXPECT_EQ(ended.code, 3);  // an errored case is an infrastructure failure
  // Half the time_limit: the case must not wait for its deadline (the run has this one case).
  EXPECT_LT(after_kill, 10.0) << "the runner took " << after_kill << " s after the kill";
  const auto evidence = evidence_in(out);
  const auto& cases = evidence.at("cases").as_array();
  ASSERT_EQ(cases.size(), 1u);
  const auto& c = cases[0].as_object();
  EXPECT_EQ(c.at("status").as_string(), "error");
  EXPECT_LT(c.at("wall_seconds").to_number<double>(), 10.0);
  const std::string message(c.at("message").as_string());
  EXPECT_NE(message.find("mock kimi died"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown: the mock died"), std::string::npos) << message;
  const auto& uploads = c.at("uploads").as_array();
  ASSERT_FALSE(uploads.empty());
  std::size_t ok = 0;
  for (const auto& v : uploads) {
    const auto& u = v.as_object();
    const std::string id(u.at("request_id").as_string());
    ok += u.at("ok").as_bool() ? 1 : 0;
    EXPECT_TRUE(u.at("integrity_ok").as_bool()) << id << " recorded as an integrity failure";
    EXPECT_FALSE(u.at("timed_out").as_bool()) << id << " recorded as a timeout";
    const auto* unknown = u.if_contains("unknown");
    EXPECT_TRUE(unknown != nullptr && *unknown == "the mock died") << id << " not unknown";
  }
  EXPECT_GT(ok, 0u) << "no upload was answered 200 before the kill: the test shows nothing";
  EXPECT_EQ(c.at("aggregates").at("integrity_failures").to_number<int>(), 0);
  EXPECT_EQ(c.at("aggregates").at("timeouts").to_number<int>(), 0);
  for (const auto& check : c.at("checks").as_array()) {
    const auto& o = check.as_object();
    const std::string name(o.at("name").as_string());
    const bool not_run = o.contains("not_run") && o.at("not_run").as_bool();
    if (name == "integrity" || name == "success_rate" || name == "attempts_match")
      EXPECT_TRUE(not_run) << name << " was judged without a ledger";
  }
}

TEST(runner, stops_on_sigterm_writes_an_aborted_report_and_leaves_no_process) {
  temp_dir out;
  auto runner = start_runner({"run", test_scenario("cli/slow.toml"), "--out", out.str()});
  ASSERT_TRUE(runner);
  const int mock = wait_for_child(runner->pid(), "rollproof-mock");
  const int subject = wait_for_child(runner->pid(), "rollproof-upload");
  ASSERT_NE(mock, 0);
  ASSERT_NE(subject, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(runner->pid(), SIGTERM);
  const auto ended = runner->wait(clock::now() + std::chrono::seconds(60));
  EXPECT_FALSE(ended.signaled) << "the runner died of the signal instead of handling it";
  EXPECT_EQ(ended.code, 3);
  const auto evidence = evidence_in(out);
  EXPECT_TRUE(evidence.at("aborted").as_bool());
  EXPECT_EQ(evidence.at("abort_reason").as_string(), "SIGTERM");
  EXPECT_EQ(evidence.at("cases").as_array().at(1).at("status").as_string(), "skipped");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(alive(mock)) << "the mock outlived the runner";
  EXPECT_FALSE(alive(subject)) << "the subject outlived the runner";
}

TEST(runner, leaves_no_child_when_the_runner_itself_is_killed) {
  temp_dir out;
  auto runner = start_runner({"run", test_scenario("cli/slow.toml"), "--out", out.str()});
  ASSERT_TRUE(runner);
  const int mock = wait_for_child(runner->pid(), "rollproof-mock");
  const int subject = wait_for_child(runner->pid(), "rollproof-upload");
  ASSERT_NE(mock, 0);
  ASSERT_NE(subject, 0);
  runner->signal_group(SIGKILL);  // the runner's own group only: its children have their own
  runner->wait(clock::now() + std::chrono::seconds(10));
  // PR_SET_PDEATHSIG kills them when the runner dies; give the kernel a moment.
  const auto deadline = clock::now() + std::chrono::seconds(10);
  while ((alive(mock) || alive(subject)) && clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(alive(mock));
  EXPECT_FALSE(alive(subject));
}

}  // namespace
}  // namespace rollproof::testing
