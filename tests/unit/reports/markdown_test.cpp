#include "rollproof/reports/markdown.hpp"

#include <gtest/gtest.h>

#include "command.hpp"
#include "sample_run.hpp"

namespace rollproof::reports {
namespace {

TEST(render_markdown, puts_the_claims_table_before_the_cases) {
  const std::string md = render_markdown(testing::sample_run());
  const auto claims = md.find("## Claims");
  const auto cases = md.find("## Cases");
  ASSERT_NE(claims, std::string::npos);
  ASSERT_NE(cases, std::string::npos);
  EXPECT_LT(claims, cases);
  EXPECT_LT(md.find("| perf.throughput | **refuted** |"), cases);
  EXPECT_NE(md.find("| exai.approved | unverifiable |"), std::string::npos);
}

TEST(render_markdown, explains_the_verdicts_in_a_legend) {
  const std::string md = render_markdown(testing::sample_run());
  EXPECT_NE(md.find("## Legend"), std::string::npos);
  EXPECT_NE(md.find("\"5-10x\" is verified only if the whole interval"), std::string::npos);
}

TEST(render_markdown, keeps_cells_on_one_line_and_escapes_pipes) {
  run_record run = testing::sample_run();
  run.claims[0].explanation = "a | b\nc";
  const std::string md = render_markdown(run);
  EXPECT_NE(md.find("a \\| b c"), std::string::npos);
  EXPECT_FALSE(testing::has_control_characters(md));
}

TEST(render_markdown, says_how_many_samples_would_settle_an_inconclusive_claim) {
  const run_record run = testing::sample_run();
  ASSERT_TRUE(run.claims[2].samples_needed);
  const std::string n = std::to_string(*run.claims[2].samples_needed);
  const std::string md = render_markdown(run);
  EXPECT_NE(md.find("about " + n + " samples"), std::string::npos);
  // Said once, not repeated by the writer.
  EXPECT_EQ(md.find(n, md.find(n) + n.size() + 60), std::string::npos);
}

TEST(render_markdown, adds_samples_needed_when_the_explanation_lacks_it) {
  run_record run = testing::sample_run();
  run.claims[2].explanation = "Straddles.";
  EXPECT_NE(render_markdown(run).find("Straddles. (samples needed: about "), std::string::npos);
}

TEST(render_markdown, shows_each_scenarios_own_seed_when_no_seed_overrode_it) {
  const std::string md = render_markdown(testing::run_of_a_scenario_seeded_42());
  EXPECT_NE(md.find(", seed 42, subject"), std::string::npos) << md;
  EXPECT_EQ(md.find("seed 0"), std::string::npos) << md;
}

TEST(render_markdown, says_not_a_git_work_tree_instead_of_an_empty_commit) {
  run_record run = testing::sample_run();
  run.prov.git = {};
  run.prov.git.work_tree = false;
  EXPECT_NE(render_markdown(run).find("- commit: not a git work tree"), std::string::npos);
}

TEST(render_markdown, shows_the_subject_with_its_hello_and_digest_and_the_tool_version) {
  const std::string md = render_markdown(testing::sample_run());
  EXPECT_NE(md.find("subject `build/bin/rollproof-upload` (rollproof-upload 0.1.0, sha256 5d41"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("- version rollproof: 0.1.0"), std::string::npos);
}

TEST(render_markdown, shows_each_shards_host_instead_of_one_host_for_a_merge) {
  run_record run = testing::partial_merge();
  run.prov.shards.front().host.hostname = "shard-one-host";
  const std::string md = render_markdown(run);
  EXPECT_NE(md.find("- shard 1/3: shard-one-host:"), std::string::npos) << md;
  EXPECT_EQ(md.find("- host:"), std::string::npos) << md;
}

TEST(render_markdown, marks_a_partial_merge_at_the_top) {
  const std::string md = render_markdown(testing::partial_merge());
  EXPECT_LT(md.find("**PARTIAL RESULT: shard(s) 2, 3 of 3 missing.**"), md.find("## Claims"));
}

TEST(render_markdown, opens_with_the_verdict_banner_then_the_claims_table) {
  const run_record run = testing::sample_run();
  const std::string md = render_markdown(run);
  EXPECT_EQ(md.rfind("# \u274C FAIL: rollproof report\n\n**FAIL**: 1 case failed; ", 0), 0u) << md;
  const auto claims = md.find("## Claims");
  for (const std::string& fact : std::vector<std::string>{
           "- **commit**: " + run.prov.git.commit.substr(0, 12) + " (clean)", "- **branch**: main",
           std::string("- **seed**: 7 (performance), 11 (rollout)"),
           "- **when**: " + run.prov.started_at, "- **host**: " + run.prov.host.hostname,
           std::string("- **rollproof**: 0.1.0"), std::string("- **subject**: `"),
           std::string("- **[claims](#claims)**: **1 refuted**, **1 error**, **1 inconclusive**, "
                       "**1 unverifiable**, **1 verified**"),
           std::string("- **[cases](#cases)**: **1 failed**, **1 error**, **1 skipped**, "),
           std::string("- **faults injected**: "),
           std::string("- **rollbacks**: rollout/stage-50 rolled back to 10%")}) {
    const auto at = md.find(fact);
    EXPECT_NE(at, std::string::npos) << fact;
    EXPECT_LT(at, claims) << fact;
  }
  // The claims table is the first section after the banner.
  EXPECT_EQ(md.find("\n## "), claims - 1);
}

TEST(render_markdown, says_pass_with_a_check_mark_when_nothing_failed) {
  run_record run = testing::sample_run();
  std::erase_if(run.cases, [](const case_record& c) { return c.status != case_status::passed; });
  std::erase_if(run.claims, [](const claim_record& c) { return c.result != verdict::verified; });
  EXPECT_EQ(render_markdown(run).rfind("# \u2705 PASS: rollproof report\n\n**PASS**: every case "
                                       "passed and no claim was refuted.",
                                       0),
            0u);
}

TEST(render_markdown, gives_the_reason_for_every_verdict_but_verified) {
  const run_record run = testing::sample_run();
  const std::string md = render_markdown(run);
  const auto from = md.find("### Why not verified");
  const auto to = md.find("<details>");
  ASSERT_NE(from, std::string::npos);
  ASSERT_LT(from, to);
  const std::string reasons = md.substr(from, to - from);
  for (const auto& c : run.claims) {
    const bool listed = reasons.find("- **" + c.id + "**, ") != std::string::npos;
    EXPECT_EQ(listed, c.result != verdict::verified) << c.id;
    if (c.result != verdict::verified) {
      EXPECT_NE(reasons.find(c.explanation.substr(0, 40)), std::string::npos) << c.id;
    }
  }
}

TEST(render_markdown, shows_the_faults_the_mocks_injected_per_case) {
  const std::string md = render_markdown(testing::sample_run());
  EXPECT_NE(md.find("| faults injected | note |"), std::string::npos);
  EXPECT_NE(md.find("| slow-tail-503: 1, slow-tail-late: 2 |"), std::string::npos);
}

}  // namespace
}  // namespace rollproof::reports
