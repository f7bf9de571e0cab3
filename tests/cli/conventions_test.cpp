// The command-line conventions every rollproof binary keeps: --help and --version exit 0 without
// reading stdin, usage lines name the program, exit codes are documented, one spelling per flag;
// and what `rollproof run` prints for a person: the case lines, heartbeats, colours, the last line.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "run_command.hpp"

namespace rollproof::testing {
namespace {

// A binary of build/bin that must answer at once: stdin stays open and is never written, so one
// that reads it instead is killed at the limit (exit 137).
command_result answer_of(const std::string& binary, const std::vector<std::string>& args) {
  std::vector<std::string> all{(bin_dir() / binary).string()};
  all.insert(all.end(), args.begin(), args.end());
  return run_command(all, {}, std::chrono::seconds(20));
}

const char* const binaries[] = {"rollproof", "rollproof-mock", "rollproof-upload",
                                "rollproof-broken-subject"};

TEST(every_binary, answers_help_with_its_usage_and_exit_codes_and_exits_0) {
  for (const std::string binary : binaries) {
    const auto r = answer_of(binary, {"--help"});
    EXPECT_EQ(r.code, 0) << binary << ": " << r.err;
    EXPECT_NE(r.out.find("Usage: " + binary + " "), std::string::npos) << binary << "\n" << r.out;
    EXPECT_NE(r.out.find("Exit codes"), std::string::npos) << binary << "\n" << r.out;
    EXPECT_EQ(r.out.find(bin_dir().string()), std::string::npos) << binary << "\n" << r.out;
  }
}

TEST(every_binary, answers_version_with_its_name_and_exits_0) {
  for (const std::string binary : binaries) {
    const auto r = answer_of(binary, {"--version"});
    EXPECT_EQ(r.code, 0) << binary << ": " << r.err;
    EXPECT_TRUE(std::regex_match(r.out, std::regex(binary + R"( [0-9]+\.[0-9]+\.[0-9]+\n)")))
        << binary << ": " << r.out;
  }
}

TEST(every_binary, refuses_an_unknown_flag_with_exit_2) {
  for (const std::string binary : {"rollproof", "rollproof-mock", "rollproof-upload"}) {
    const auto r = answer_of(binary, {"--no-such-flag"});
    EXPECT_EQ(r.code, 2) << binary << ": " << r.out << r.err;
  }
}

TEST(rollproof_help, describes_every_subcommand_with_its_exit_codes_under_the_program_name) {
  for (const std::string sub : {"run", "list", "validate", "merge"}) {
    const auto r = rollproof({sub, "--help"});
    EXPECT_EQ(r.code, 0) << sub << ": " << r.err;
    EXPECT_NE(r.out.find("Usage: rollproof " + sub + " [OPTIONS]"), std::string::npos)
        << sub << "\n"
        << r.out;
    EXPECT_NE(r.out.find("Exit codes"), std::string::npos) << sub << "\n" << r.out;
  }
}

TEST(rollproof_help, documents_colour_and_no_color_for_run_and_merge) {
  for (const std::string sub : {"run", "merge"}) {
    const auto r = rollproof({sub, "--help"});
    EXPECT_NE(r.out.find("--color"), std::string::npos) << sub << "\n" << r.out;
    EXPECT_NE(r.out.find("NO_COLOR"), std::string::npos) << sub << "\n" << r.out;
  }
  EXPECT_EQ(rollproof({"run", test_scenario("cli/passes.toml"), "--color", "sometimes"}).code, 2);
}

TEST(rollproof_flags, run_and_merge_spell_fail_on_and_color_alike) {
  const auto run = rollproof({"run", "--help"}).out;
  const auto merge = rollproof({"merge", "--help"}).out;
  for (const std::string flag : {"--fail-on", "--color", "--out"}) {
    EXPECT_NE(run.find(flag), std::string::npos) << flag;
    EXPECT_NE(merge.find(flag), std::string::npos) << flag;
  }
}

TEST(rollproof_filter, matching_no_case_is_a_usage_error_for_run_and_list) {
  temp_dir out;
  const auto run = rollproof(
      {"run", test_scenario("cli/many.toml"), "--filter", "*no-such-case*", "--out", out.str("o")});
  EXPECT_EQ(run.code, 2) << run.out << run.err;
  EXPECT_NE(run.err.find("rollproof: --filter '*no-such-case*' matches none of the 9 cases"),
            std::string::npos)
      << run.err;
  EXPECT_FALSE(std::filesystem::exists(out.path() / "o/evidence.json"));
  const auto list = rollproof({"list", test_scenario("cli/many.toml"), "--filter", "nothing"});
  EXPECT_EQ(list.code, 2) << list.out << list.err;
  EXPECT_EQ(list.out, "");
}

// The last line of `text`.
std::string last_line(const std::string& text) {
  std::istringstream in(text);
  std::string line, last;
  while (std::getline(in, line))
    last = line;
  return last;
}

TEST(rollproof_run, ends_with_one_line_of_counts_time_and_exit_code_in_the_singular) {
  temp_dir out;
  const auto r = rollproof({"run", test_scenario("cli/passes.toml"), "--out", out.str()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(
      last_line(r.out),
      std::regex(R"(rollproof: 1 case \(1 passed\), 0 claims in [0-9.]+ s; exit 0)")))
      << r.out;
  EXPECT_NE(r.err.find("rollproof: 1 case from 1 scenario file\n"), std::string::npos) << r.err;
}

TEST(rollproof_run, ends_with_the_failed_count_and_exit_1_when_a_case_fails) {
  temp_dir out;
  const auto r = rollproof({"run", test_scenario("cli/fails.toml"), "--out", out.str()});
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(std::regex_search(last_line(r.out), std::regex(R"(\(1 failed\).*; exit 1$)")))
      << r.out;
}

TEST(rollproof_run, colours_a_pipe_only_with_color_always_and_never_under_no_color) {
  temp_dir out;
  const std::string scenario = test_scenario("cli/passes.toml");
  const auto piped = rollproof({"run", scenario, "--out", out.str("a")});
  EXPECT_EQ(piped.err.find('\033'), std::string::npos) << piped.err;
  const auto always = rollproof({"run", scenario, "--out", out.str("b"), "--color=always"});
  EXPECT_NE(always.err.find("\033[32mpassed\033[0m"), std::string::npos) << always.err;
  const auto never =
      rollproof({"run", scenario, "--out", out.str("c"), "--color=never"}, {"NO_COLOR=1"});
  EXPECT_EQ(never.err.find('\033'), std::string::npos) << never.err;
  EXPECT_EQ(never.out.find('\033'), std::string::npos) << never.out;
}

TEST(rollproof_run, beats_while_a_long_case_runs_so_ci_sees_output) {
  temp_dir out;
  // cli/slow.toml's async case sends 20 uploads one at a time, each 150 ms late at the mock: it
  // runs at least 3 s, many times the 0.05 s heartbeat interval the test sets.
  const auto r = rollproof(
      {"run", test_scenario("cli/slow.toml"), "--filter", "*-async-*", "--out", out.str()},
      {"ROLLPROOF_HEARTBEAT_SECONDS=0.05"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(std::regex_search(
      r.err, std::regex(R"(\[1/1\] slow/\S+-async-\S+ still running after [0-9.]+ s, )"
                        R"([0-9]+/20 uploads answered\n)")))
      << r.err;
}

TEST(rollproof_run, shows_the_real_duration_of_a_case_whose_subject_never_says_hello) {
  temp_dir out;
  // The runner waits 10 s for the subject's hello, then kills it: the case took that long.
  const auto r = rollproof(
      {"run", test_scenario("cli/passes.toml"), "--out", out.str(), "--subject", "/bin/sleep 60"});
  EXPECT_EQ(r.code, 3) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.err, m, std::regex(R"(\[1/1\] \S+ error \(([0-9.]+)s\))")))
      << r.err;
  EXPECT_GE(std::stod(m[1].str()), 5.0) << r.err;
}

}  // namespace
}  // namespace rollproof::testing
