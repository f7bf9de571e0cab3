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

}  // namespace
}  // namespace rollproof::reports
