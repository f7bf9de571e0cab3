// Exit codes and messages of the `rollproof` command line, through the built binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <set>
#include <sstream>

#include "run_command.hpp"

namespace rollproof::testing {
namespace {

std::set<std::string> lines_of(const std::string& text) {
  std::set<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    lines.insert(l);
  return lines;
}

TEST(rollproof_cli, prints_help_and_version_and_exits_0) {
  const auto help = rollproof({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("run"), std::string::npos);
  EXPECT_NE(help.out.find("merge"), std::string::npos);
  const auto version = rollproof({"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_TRUE(version.out.starts_with("rollproof ")) << version.out;
}

TEST(rollproof_cli, exits_2_on_usage_errors) {
  EXPECT_EQ(rollproof({}).code, 2);
  EXPECT_EQ(rollproof({"frobnicate"}).code, 2);
  const auto bad_shard = rollproof({"list", test_scenario("cli/many.toml"), "--shard", "4/3"});
  EXPECT_EQ(bad_shard.code, 2);
  EXPECT_NE(bad_shard.err.find("--shard must be K/N"), std::string::npos) << bad_shard.err;
}

TEST(rollproof_cli, validate_exits_0_for_a_valid_file) {
  const auto r = rollproof({"validate", test_scenario("valid/every_key.toml")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("every_key.toml: ok"), std::string::npos);
}

TEST(rollproof_cli, validate_exits_2_with_every_error_as_file_line_col) {
  const auto r = rollproof({"validate", test_scenario("invalid")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("invalid/many_errors.toml:4:8: 'seed' must be >= 0 (got -5)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("invalid/many_errors.toml:14:11: unknown route 'sideways'"),
            std::string::npos);
  EXPECT_NE(r.err.find("invalid/syntax_error.toml:2:15: "), std::string::npos);
}

TEST(rollproof_cli, validate_and_list_accept_the_repository_scenarios_directory_tree) {
  const auto scenarios = (source_dir() / "scenarios").string();
  const auto v = rollproof({"validate", scenarios});
  EXPECT_EQ(v.code, 0) << v.err;
  EXPECT_NE(v.out.find("scenarios/examples/rollout-stages.toml: ok"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("scenarios/rollout/stages.toml: ok"), std::string::npos) << v.out;
  const auto l = rollproof({"list", scenarios});
  EXPECT_EQ(l.code, 0) << l.err;
  const auto ids = lines_of(l.out);
  EXPECT_TRUE(ids.contains("smoke/text-64KiB-kimi-c4-sync-none")) << l.out;
  EXPECT_TRUE(ids.contains("rollout-bucketing/bucketing")) << l.out;
}

TEST(rollproof_cli, validate_exits_2_naming_both_files_of_a_repeated_scenario_name) {
  const auto r = rollproof({"validate", test_scenario("duplicate_names")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("duplicate_names/nested/second.toml:3:8: scenario name 'same-name' is "
                       "also used by " +
                       test_scenario("duplicate_names/first.toml") + ":2:8"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(rollproof({"list", test_scenario("duplicate_names")}).code, 2);
}

TEST(rollproof_cli, validate_reports_every_meaning_error_of_a_file_at_once) {
  const auto r = rollproof({"validate", test_scenario("invalid/claims_without_meaning.toml")});
  EXPECT_EQ(r.code, 2);
  for (const char* expected :
       {"claims_without_meaning.toml:12:10: claim 'fast': unknown metric 'latency' (use "
        "latency_ms,",
        "claims_without_meaning.toml:16:6: duplicate claim id 'fast'",
        "claims_without_meaning.toml:19:12: claim 'fast': at_least 1.5 is outside the range",
        "claims_without_meaning.toml:25:12: claim 'memory': no case matches the baseline selector",
        "claims_without_meaning.toml:33:9: claim 'share': no case matches the selector"})
    EXPECT_NE(r.err.find(expected), std::string::npos) << expected << "\n" << r.err;
}

TEST(rollproof_cli, validate_prints_warnings_to_stderr_and_still_exits_0) {
  const auto r = rollproof({"validate", test_scenario("warnings/limits_and_gates.toml")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("limits_and_gates.toml: ok"), std::string::npos);
  EXPECT_NE(r.err.find("limits_and_gates.toml:7:18: warning: size 60MB exceeds glm's limit"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("warning: at stage 10% a window of 50 uploads averages 5 async uploads"),
            std::string::npos)
      << r.err;
}

TEST(rollproof_cli, run_fails_a_case_whose_uploads_all_fail_when_the_scenario_says_nothing) {
  temp_dir out;
  const auto r = rollproof({"run", test_scenario("cli/loses_uploads.toml"), "--out", out.str()});
  EXPECT_EQ(r.code, 1) << r.err;
  const auto evidence = boost::json::parse(read_file(out.path() / "evidence.json"));
  const auto& the_case = evidence.at("cases").as_array().at(0);
  EXPECT_EQ(the_case.at("status").as_string(), "failed");
  bool shown = false;
  for (const auto& c : the_case.at("checks").as_array())
    shown = shown || (c.at("name").as_string() == "success_rate" &&
                      c.at("expected").as_string() == "success_rate >= 1 (default)" &&
                      !c.at("passed").as_bool());
  EXPECT_TRUE(shown) << boost::json::serialize(the_case.at("checks"));
}

TEST(rollproof_cli, run_passes_a_negative_test_that_expects_every_upload_to_fail) {
  temp_dir out;
  const auto r = rollproof({"run", test_scenario("cli/expects_failure.toml"), "--out", out.str()});
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST(rollproof_cli, run_exits_2_on_an_invalid_scenario_and_writes_nothing) {
  temp_dir out;
  const auto r =
      rollproof({"run", test_scenario("invalid/unknown_key.toml"), "--out", out.str("o")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown_key.toml:5:1: unknown key 'sizez' in [matrix]"), std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(out.path() / "o/evidence.json"));
}

TEST(rollproof_cli, list_shards_partition_the_cases) {
  const auto all = rollproof({"list", test_scenario("cli/many.toml")});
  ASSERT_EQ(all.code, 0);
  EXPECT_EQ(lines_of(all.out).size(), 9u);
  std::set<std::string> joined;
  std::size_t total = 0;
  for (const char* shard : {"1/3", "2/3", "3/3"}) {
    const auto part = rollproof({"list", test_scenario("cli/many.toml"), "--shard", shard});
    ASSERT_EQ(part.code, 0);
    total += lines_of(part.out).size();
    for (const auto& l : lines_of(part.out))
      joined.insert(l);
  }
  EXPECT_EQ(total, 9u);
  EXPECT_EQ(joined, lines_of(all.out));
}

TEST(rollproof_cli, list_reads_shards_from_gtest_and_kubernetes_variables) {
  const auto explicit_shard = rollproof({"list", test_scenario("cli/many.toml"), "--shard", "2/4"});
  const auto gtest = rollproof({"list", test_scenario("cli/many.toml")},
                               {"GTEST_SHARD_INDEX=1", "GTEST_TOTAL_SHARDS=4"});
  const auto k8s = rollproof({"list", test_scenario("cli/many.toml"), "--shards", "4"},
                             {"JOB_COMPLETION_INDEX=1"});
  EXPECT_EQ(gtest.out, explicit_shard.out);
  EXPECT_EQ(k8s.out, explicit_shard.out);
  EXPECT_EQ(lines_of(explicit_shard.out).size(), 2u);
}

TEST(rollproof_cli, list_honours_the_filter) {
  const auto r = rollproof({"list", test_scenario("cli/many.toml"), "--filter", "*csv*c2*"});
  EXPECT_EQ(r.out, "many/csv-1MiB-kimi-c2-async-none\n");
}

TEST(rollproof_cli, list_repeats_each_cell_as_the_scenario_says_unless_repeat_overrides_it) {
  const std::string cell = "cli-repeated/json-64KiB-kimi-c2-async-none";
  EXPECT_EQ(rollproof({"list", test_scenario("cli/repeated.toml")}).out,
            cell + "-r1\n" + cell + "-r2\n" + cell + "-r3\n");
  EXPECT_EQ(rollproof({"list", test_scenario("cli/repeated.toml"), "--repeat", "2"}).out,
            cell + "-r1\n" + cell + "-r2\n");
  EXPECT_EQ(rollproof({"list", test_scenario("cli/repeated.toml"), "--repeat", "1"}).out,
            cell + "\n");
  EXPECT_EQ(rollproof({"list", test_scenario("cli/repeated.toml"), "--repeat", "1001"}).code, 2);
  EXPECT_NE(rollproof({"validate", test_scenario("cli/repeated.toml")}).out.find("ok (3 cases"),
            std::string::npos);
}

TEST(rollproof_cli, run_exits_0_when_every_case_passes) {
  temp_dir out;
  const auto r = rollproof({"run", test_scenario("cli/passes.toml"), "--out", out.str()});
  EXPECT_EQ(r.code, 0) << r.err;
  const auto evidence = boost::json::parse(read_file(out.path() / "evidence.json"));
  EXPECT_EQ(evidence.at("cases").as_array().at(0).at("status").as_string(), "passed");
  EXPECT_EQ(r.out.find("sk-rollproof-cli-secret"), std::string::npos);
  EXPECT_EQ(r.err.find("sk-rollproof-cli-secret"), std::string::npos);
}

TEST(rollproof_cli, run_exits_1_when_a_case_fails_its_expectations) {
  temp_dir out;
  const auto r = rollproof({"run", test_scenario("cli/fails.toml"), "--out", out.str()});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("latency_p50_ms"), std::string::npos) << r.err;
  const auto evidence = boost::json::parse(read_file(out.path() / "evidence.json"));
  EXPECT_EQ(evidence.at("cases").as_array().at(0).at("status").as_string(), "failed");
}

TEST(rollproof_cli, run_exits_3_when_the_mock_does_not_start_and_still_writes_reports) {
  temp_dir out;
  const auto r = rollproof({"run", test_scenario("cli/passes.toml"), "--out", out.str()},
                           {"ROLLPROOF_MOCK=/bin/false"});
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("infrastructure failed"), std::string::npos) << r.err;
  const auto evidence = boost::json::parse(read_file(out.path() / "evidence.json"));
  EXPECT_EQ(evidence.at("cases").as_array().at(0).at("status").as_string(), "error");
}

TEST(rollproof_cli, run_exits_3_when_the_subject_cannot_start) {
  temp_dir out;
  const auto r = rollproof({"run", test_scenario("cli/passes.toml"), "--out", out.str(),
                            "--subject", "/nonexistent/subject"});
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("/nonexistent/subject"), std::string::npos) << r.err;
}

TEST(rollproof_cli, merge_joins_shards_into_the_unsharded_set_of_cases) {
  temp_dir out;
  const std::string smoke = (source_dir() / "scenarios/examples/smoke.toml").string();
  for (const char* shard : {"1/2", "2/2"}) {
    const auto r = rollproof({"run", smoke, "--filter", "*64KiB*", "--shard", shard, "--out",
                              out.str(std::string("shard-") + shard[0])});
    ASSERT_EQ(r.code, 0) << r.err;
  }
  const auto merged =
      rollproof({"merge", out.str("shard-1"), out.str("shard-2"), "--out", out.str("merged")});
  EXPECT_EQ(merged.code, 0) << merged.err;
  const auto evidence = boost::json::parse(read_file(out.path() / "merged/evidence.json"));
  std::set<std::string> ids;
  for (const auto& c : evidence.at("cases").as_array())
    ids.insert(std::string(c.at("id").as_string()));
  const auto listed = rollproof({"list", smoke, "--filter", "*64KiB*"});
  EXPECT_EQ(ids, lines_of(listed.out));
  EXPECT_EQ(ids.size(), 4u);
  EXPECT_EQ(evidence.at("claims").as_array().size(), 2u);
}

// Runs cli/paired.toml as shards K/N (each "K/N" of `shards`) into `out`/shard-K; ASSERTs exit 0.
void run_shards(const temp_dir& out, const std::vector<std::string>& shards,
                const std::vector<std::string>& more = {}) {
  for (const auto& shard : shards) {
    std::vector<std::string> args{"run",   test_scenario("cli/paired.toml"),      "--shard", shard,
                                  "--out", out.str("shard-" + shard.substr(0, 1))};
    args.insert(args.end(), more.begin(), more.end());
    const auto r = rollproof(args);
    ASSERT_EQ(r.code, 0) << shard << ": " << r.err;
  }
}

boost::json::value evidence_in(const temp_dir& out, const std::string& dir) {
  return boost::json::parse(read_file(out.path() / dir / "evidence.json"));
}

TEST(rollproof_cli, merge_of_one_complete_shard_set_exits_0_and_keeps_every_shards_origin) {
  temp_dir out;
  run_shards(out, {"1/2", "2/2"});
  const auto merged =
      rollproof({"merge", out.str("shard-2"), out.str("shard-1"), "--out", out.str("merged")});
  EXPECT_EQ(merged.code, 0) << merged.err;
  const auto evidence = evidence_in(out, "merged");
  const auto& shards = evidence.at("provenance").at("shards").as_array();
  ASSERT_EQ(shards.size(), 2u);
  const auto& second = shards[1].at("command_line").as_array();
  EXPECT_EQ(shards[1].at("index"), 2);
  EXPECT_NE(std::find(second.begin(), second.end(), boost::json::value("2/2")), second.end());
  EXPECT_NE(evidence.at("claims").at(0).at("verdict"), "error")
      << evidence.at("claims").at(0).at("explanation");
}

TEST(rollproof_cli, merge_exits_2_on_a_missing_or_repeated_shard) {
  temp_dir out;
  run_shards(out, {"1/2"});
  const auto missing = rollproof({"merge", out.str("shard-1"), "--out", out.str("m1")});
  EXPECT_EQ(missing.code, 2) << missing.err;
  EXPECT_NE(missing.err.find("shard(s) 2 of 2 missing"), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(out.path() / "m1/evidence.json"));
  const auto twice =
      rollproof({"merge", out.str("shard-1"), out.str("shard-1"), "--out", out.str("m2")});
  EXPECT_EQ(twice.code, 2) << twice.err;
  EXPECT_NE(twice.err.find("shard 1/2 is given twice"), std::string::npos) << twice.err;
}

TEST(rollproof_cli, merge_allow_partial_marks_every_report_and_never_exits_0) {
  temp_dir out;
  run_shards(out, {"1/2"});
  const auto r =
      rollproof({"merge", out.str("shard-1"), "--allow-partial", "--out", out.str("merged")});
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("partial result"), std::string::npos) << r.err;
  EXPECT_EQ(evidence_in(out, "merged").at("provenance").at("partial"), true);
  EXPECT_NE(read_file(out.path() / "merged/summary.md").find("PARTIAL RESULT"), std::string::npos);
  EXPECT_NE(read_file(out.path() / "merged/report.html").find("PARTIAL RESULT"), std::string::npos);
  EXPECT_NE(read_file(out.path() / "merged/junit.xml").find("<property name=\"partial\""),
            std::string::npos);
}

TEST(rollproof_cli, merge_exits_2_on_shards_of_different_seeds) {
  temp_dir out;
  run_shards(out, {"1/2"});
  run_shards(out, {"2/2"}, {"--seed", "1"});
  const auto r =
      rollproof({"merge", out.str("shard-1"), out.str("shard-2"), "--out", out.str("merged")});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("the shards have different seeds"), std::string::npos) << r.err;
}

TEST(rollproof_cli, merge_takes_fail_on_as_run_does) {
  temp_dir out;
  run_shards(out, {"1/1"});
  // paired.undecided is inconclusive: it passes a plain merge and fails one with --fail-on.
  const auto plain = rollproof({"merge", out.str("shard-1"), "--out", out.str("merged")});
  EXPECT_EQ(plain.code, 0) << plain.err;
  const auto strict = rollproof(
      {"merge", out.str("shard-1"), "--fail-on", "inconclusive", "--out", out.str("merged")});
  EXPECT_EQ(strict.code, 1) << strict.err;
  const auto bad =
      rollproof({"merge", out.str("shard-1"), "--fail-on", "nonsense", "--out", out.str("merged")});
  EXPECT_EQ(bad.code, 2);
}

TEST(rollproof_cli, shards_keep_the_arms_of_a_claim_together) {
  temp_dir out;
  // Round robin would deal 64KiB-sync to shard 1 and 64KiB-async to shard 2.
  const auto first = rollproof({"list", test_scenario("cli/paired.toml"), "--shard", "1/2"});
  EXPECT_NE(first.out.find("json-64KiB-kimi-c4-sync-none"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("json-64KiB-kimi-c4-async-none"), std::string::npos) << first.out;
}

TEST(rollproof_cli, a_filter_that_drops_one_arm_makes_the_claim_an_error_with_that_reason) {
  temp_dir out;
  const auto r = rollproof(
      {"run", test_scenario("cli/paired.toml"), "--filter", "*-sync-*", "--out", out.str()});
  EXPECT_EQ(r.code, 1) << r.err;
  const auto claim = evidence_in(out, "").at("claims").at(0);
  EXPECT_EQ(claim.at("verdict"), "error");
  EXPECT_EQ(claim.at("reason"),
            "its candidate arm has no cases in this run: filtered out by --filter");
}

TEST(rollproof_cli, evidence_names_the_subject_from_its_hello_and_each_scenarios_seed) {
  temp_dir out;
  run_shards(out, {"1/1"});
  const auto evidence = evidence_in(out, "shard-1");
  const auto& scenario = evidence.at("scenarios").at(0);
  EXPECT_EQ(scenario.at("seed"), 9);
  EXPECT_EQ(scenario.at("subject").at("name"), "rollproof-upload");
  EXPECT_EQ(scenario.at("subject").at("program_sha256").as_string().size(), 64u);
  EXPECT_TRUE(evidence.at("provenance").at("seed").is_null());
  EXPECT_NE(read_file(out.path() / "shard-1/summary.md").find(", seed 9, subject"),
            std::string::npos);
}

TEST(rollproof_cli, run_outside_a_git_work_tree_says_so_in_every_report) {
  temp_dir out;  // under the system temp dir, outside any repository
  const auto r = run_command({"/bin/sh", "-c",
                              "cd '" + out.str() + "' && '" + (bin_dir() / "rollproof").string() +
                                  "' run '" + test_scenario("cli/passes.toml") + "' --out o"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto git = evidence_in(out, "o").at("provenance").at("git");
  EXPECT_EQ(git.at("state"), "not a git work tree");
  EXPECT_TRUE(git.at("commit").is_null());
  EXPECT_NE(read_file(out.path() / "o/summary.md").find("- commit: not a git work tree"),
            std::string::npos);
  EXPECT_NE(read_file(out.path() / "o/junit.xml").find("value=\"not a git work tree\""),
            std::string::npos);
}

}  // namespace
}  // namespace rollproof::testing
