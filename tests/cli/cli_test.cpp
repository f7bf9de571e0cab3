// Exit codes and messages of the `rollproof` command line, through the built binary.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace rollproof::testing
