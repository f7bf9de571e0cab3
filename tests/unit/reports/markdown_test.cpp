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
  EXPECT_NE(render_markdown(run).find("samples needed: about " +
                                      std::to_string(*run.claims[2].samples_needed)),
            std::string::npos);
}

}  // namespace
}  // namespace rollproof::reports
