// Chaos: kill -9 a mock or the subject at seeded random points of a run, SIGTERM the runner, fill
// the output disk. Each run must end with complete (or explicitly aborted) reports, never half a
// file, and no process of the run left behind.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <random>
#include <regex>
#include <string>
#include <thread>

#include "run_support.hpp"

namespace {

namespace fs = std::filesystem;
using namespace rollproof::chaos;
using namespace std::chrono_literals;

// Two cases of 20 uploads each, every upload delayed 100 ms: a few seconds of run to hit.
std::string slow_scenario(const std::string& extra_matrix = "") {
  return R"(
[scenario]
name = "chaos"
seed = 11
time_limit = "30s"

[providers.kimi]
api_key = "sk-chaos-key"

[matrix]
file_types = ["binary"]
sizes = ["64KiB"]
providers = ["kimi"]
concurrency = [2]
routes = ["sync", "async"]
faults = ["slow"]
uploads = 20
)" + extra_matrix +
         R"(
[[faults.slow.rules]]
name = "latency-100ms"
match = { method = "POST", path = "*/files" }
action = { kind = "latency", ms = 100 }
)";
}

// Files left by an interrupted atomic write (atomic_file writes `<name>.tmp.<pid>` first).
std::vector<fs::path> temp_files_under(const fs::path& dir) {
  std::vector<fs::path> found;
  if (!fs::exists(dir)) return found;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().filename().string().find(".tmp.") != std::string::npos) found.push_back(e.path());
  return found;
}

bool parses_as_json(const fs::path& file) {
  boost::system::error_code ec;
  (void)boost::json::parse(read_text(file), ec);
  return !ec;
}

bool ends_with_closing_tag(const fs::path& file, const std::string& tag) {
  std::string text = read_text(file);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.pop_back();
  return text.ends_with(tag);
}

// The evidence says the run was aborted or carries at least one failed/errored case.
bool evidence_admits_trouble(const fs::path& evidence) {
  static const std::regex trouble(R"re("aborted"\s*:\s*true|"status"\s*:\s*"(error|failed)")re");
  return std::regex_search(read_text(evidence), trouble);
}

bool evidence_says_aborted(const fs::path& evidence) {
  static const std::regex aborted(R"re("aborted"\s*:\s*true)re");
  return std::regex_search(read_text(evidence), aborted);
}

// Every report that exists is whole; evidence and JUnit exist; nothing half-written remains.
void expect_complete_reports(const fs::path& out) {
  ASSERT_TRUE(fs::exists(out / "evidence.json")) << "no evidence.json in " << out;
  EXPECT_TRUE(parses_as_json(out / "evidence.json"));
  ASSERT_TRUE(fs::exists(out / "junit.xml"));
  EXPECT_TRUE(ends_with_closing_tag(out / "junit.xml", "</testsuites>"));
  EXPECT_TRUE(temp_files_under(out).empty()) << temp_files_under(out).front();
}

struct chaos_run {
  temp_dir dir;
  fs::path scenario = dir.path() / "chaos.toml";
  fs::path out = dir.path() / "out";
};

// Sleeps a seeded random time in [low, high] so a failing run can be replayed with its seed.
void sleep_seeded(unsigned seed, std::chrono::milliseconds low, std::chrono::milliseconds high) {
  std::mt19937 gen(seed);
  std::uniform_int_distribution<long> pick(low.count(), high.count());
  std::this_thread::sleep_for(std::chrono::milliseconds(pick(gen)));
}

// Starts a run, kills -9 the first process whose command line holds `victim` after a seeded
// delay, and checks the aftermath.
void kill_during_run(const std::string& victim, unsigned seed) {
  chaos_run r;
  write_text(r.scenario, slow_scenario());
  runner_process runner({"run", r.scenario.string(), "--out", r.out.string()}, r.dir.path());
  sleep_seeded(seed, 300ms, 1500ms);
  std::vector<pid_t> victims;
  for (int i = 0; i < 100 && victims.empty(); ++i) {
    victims = tagged_with_command(runner.tag(), victim);
    if (victims.empty()) std::this_thread::sleep_for(50ms);
  }
  ASSERT_FALSE(victims.empty()) << "no " << victim << " ever ran; output:\n" << runner.output();
  ::kill(victims.front(), SIGKILL);
  const int code = runner.wait_for_exit(120s);
  const auto left = left_behind(runner.tag(), 10s);
  kill_tagged(runner.tag());
  EXPECT_TRUE(left.empty()) << left.size() << " processes left behind, e.g. pid " << left.front();
  EXPECT_TRUE(code == 1 || code == 3) << "exit " << code << "\n" << runner.output();
  expect_complete_reports(r.out);
  EXPECT_TRUE(evidence_admits_trouble(r.out / "evidence.json"));
}

}  // namespace

TEST(chaos, killing_the_mock_mid_run_ends_with_whole_reports_and_no_process_left) {
  for (const unsigned seed : {1u, 2u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    kill_during_run("rollproof-mock", seed);
  }
}

TEST(chaos, killing_the_subject_mid_run_ends_with_whole_reports_and_no_process_left) {
  for (const unsigned seed : {3u, 4u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    kill_during_run("rollproof-upload", seed);
  }
}

TEST(chaos, sigterm_to_the_runner_writes_aborted_reports_and_stops_every_child) {
  chaos_run r;
  write_text(r.scenario, slow_scenario());
  runner_process runner({"run", r.scenario.string(), "--out", r.out.string()}, r.dir.path());
  sleep_seeded(5, 500ms, 1500ms);
  ASSERT_TRUE(runner.running()) << runner.output();
  ::kill(runner.pid(), SIGTERM);
  const int code = runner.wait_for_exit(60s);
  const auto left = left_behind(runner.tag(), 10s);
  kill_tagged(runner.tag());
  EXPECT_TRUE(left.empty()) << left.size() << " processes left behind";
  EXPECT_EQ(code, 3) << runner.output();
  expect_complete_reports(r.out);
  EXPECT_TRUE(evidence_says_aborted(r.out / "evidence.json"));
}

TEST(chaos, a_full_output_disk_fails_clearly_without_half_written_reports) {
  chaos_run r;
  fs::create_directories(r.out);
  // A 256 KiB tmpfs as --out: the 1 MiB corpus file cannot fit. Needs root (CAP_SYS_ADMIN).
  if (::mount("tmpfs", r.out.c_str(), "tmpfs", 0, "size=256k") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here (not root?)";
  write_text(r.scenario, R"(
[scenario]
name = "full"
seed = 3
[providers.kimi]
api_key = "sk-chaos-key"
[matrix]
file_types = ["binary"]
sizes = ["1MiB"]
providers = ["kimi"]
concurrency = [1]
routes = ["sync"]
faults = ["none"]
uploads = 2
)");
  int code = 0;
  std::string output;
  std::vector<fs::path> half_written;
  std::vector<pid_t> left;
  {
    runner_process runner({"run", r.scenario.string(), "--out", r.out.string()}, r.dir.path());
    code = runner.wait_for_exit(120s);
    output = runner.output();
    left = left_behind(runner.tag(), 10s);
    kill_tagged(runner.tag());
    half_written = temp_files_under(r.out);
  }
  // Whatever reports made it must be whole (an existing evidence.json parses).
  const bool evidence_whole =
      !fs::exists(r.out / "evidence.json") || parses_as_json(r.out / "evidence.json");
  const bool junit_whole = !fs::exists(r.out / "junit.xml") ||
                           ends_with_closing_tag(r.out / "junit.xml", "</testsuites>");
  ::umount2(r.out.c_str(), MNT_DETACH);
  EXPECT_NE(code, 0) << output;
  EXPECT_NE(output.find("space"), std::string::npos) << "no clear error:\n" << output;
  EXPECT_TRUE(half_written.empty()) << half_written.front();
  EXPECT_TRUE(evidence_whole);
  EXPECT_TRUE(junit_whole);
  EXPECT_TRUE(left.empty());
}
