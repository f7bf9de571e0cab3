// The runner's trust boundary: an API key planted in a scenario never reaches any output, and no
// scenario value can make it write outside --out or execute anything but the configured subject.

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>

#include "run_support.hpp"

namespace {

namespace fs = std::filesystem;
using namespace rollproof::chaos;
using namespace std::chrono_literals;

constexpr const char* planted_key = "sk-planted-9f3c1e7a5b";

std::string scenario_with(const std::string& name, const std::string& provider_extra) {
  return "[scenario]\nname = \"" + name + "\"\nseed = 5\ntime_limit = \"30s\"\n\n" +
         "[providers.kimi]\napi_key = \"" + planted_key + "\"\n" + provider_extra +
         "\n[matrix]\nfile_types = [\"text\"]\nsizes = [\"4KiB\"]\nproviders = [\"kimi\"]\n"
         "concurrency = [2]\nroutes = [\"sync\", \"async\"]\nfaults = [\"none\"]\nuploads = 4\n";
}

// Runs `rollproof run` on `scenario_text` with --out <dir>/out; returns exit code and output.
struct run_result {
  int code = -1;
  std::string output;
};

run_result run_scenario(const temp_dir& dir, const std::string& scenario_text,
                        std::vector<std::string> extra = {}) {
  const fs::path scenarios = dir.path() / "scenarios";
  fs::create_directories(scenarios);
  write_text(scenarios / "planted.toml", scenario_text);
  std::vector<std::string> args{"run", (scenarios / "planted.toml").string(), "--out",
                                (dir.path() / "out").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  runner_process runner(args, dir.path());
  run_result r{runner.wait_for_exit(120s), runner.output()};
  kill_tagged(runner.tag());
  return r;
}

// Names directly under `dir` that a run may not create: anything but scenarios/, out/ (absent
// when the scenario was refused) and the runner's captured output.
std::set<std::string> strays_in(const fs::path& dir) {
  static const std::set<std::string> allowed{"scenarios", "out", "runner.stdout", "runner.stderr"};
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir))
    if (!allowed.contains(e.path().filename().string())) names.insert(e.path().filename().string());
  return names;
}

}  // namespace

TEST(runner_confinement, a_planted_api_key_appears_in_no_output_file_and_no_terminal_output) {
  temp_dir dir;
  const auto r = run_scenario(dir, scenario_with("planted", ""));
  ASSERT_EQ(r.code, 0) << r.output;  // a real run, so every report was written
  EXPECT_EQ(r.output.find(planted_key), std::string::npos);
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir.path() / "out")) {
    if (!e.is_regular_file()) continue;
    ++files;
    EXPECT_EQ(read_text(e.path()).find(planted_key), std::string::npos) << e.path();
  }
  EXPECT_GE(files, 3);  // at least evidence.json, junit.xml and one more report
  EXPECT_TRUE(fs::exists(dir.path() / "out" / "junit.xml"));
}

TEST(runner_confinement, a_scenario_name_with_dot_dot_cannot_write_outside_out) {
  temp_dir dir;
  const auto r = run_scenario(dir, scenario_with("../../escaped", ""));
  EXPECT_TRUE(strays_in(dir.path()).empty()) << r.output;
  EXPECT_FALSE(fs::exists(dir.path().parent_path() / "escaped"));
}

TEST(runner_confinement, a_store_directory_outside_out_is_refused_or_kept_inside) {
  for (const std::string store : {"../escaped-store", "/ABS/escaped-store"}) {
    temp_dir dir;
    std::string path = store;
    if (path.starts_with("/ABS")) path = (dir.path() / "escaped-store").string();
    const auto r = run_scenario(dir, scenario_with("store", "store = \"" + path + "\"\n"));
    EXPECT_TRUE(strays_in(dir.path()).empty()) << store << ":\n" << r.output;
  }
}

TEST(runner_confinement, shell_syntax_in_scenario_values_is_never_executed) {
  temp_dir dir;
  const std::string marker = (dir.path() / "pwned").string();
  const std::string evil = "x$(touch " + marker + ");touch " + marker + "`touch " + marker + "`";
  auto text = scenario_with(evil, "");
  text += "\n[subject]\nsettings = { note = \"" + evil + "\" }\n";
  const auto r = run_scenario(dir, text);
  EXPECT_FALSE(fs::exists(marker)) << r.output;
  EXPECT_TRUE(strays_in(dir.path()).empty()) << r.output;
}
