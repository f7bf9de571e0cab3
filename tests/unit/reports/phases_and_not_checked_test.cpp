// Every writer shows a check that could not run as "not checked", and the HTML's stage chart
// keeps a stage's uploads after its rollback apart from the stage's own.
#include <gtest/gtest.h>

#include "rollproof/reports/html.hpp"
#include "rollproof/reports/junit.hpp"
#include "rollproof/reports/markdown.hpp"
#include "sample_run.hpp"

namespace rollproof::reports {
namespace {

// The sample run whose first case could not check the subject's metrics.
run_record a_run_without_subject_metrics() {
  run_record run = testing::sample_run();
  run.cases.front().checks.push_back(
      {"metrics", false, "the subject's metrics agree", "the subject offers no metrics", true});
  return run;
}

// A run of one 25% stage: 40 users on async, then rolled back to 10% with 20 users on sync.
run_record a_stage_rolled_back_from_25_to_10() {
  run_record run;
  case_record c;
  c.id = "s/stage-25";
  c.scenario = "s";
  c.status = case_status::passed;
  c.parameters = {{"stage", "25"}};
  c.values["rollback.to_percent"] = 10;
  // What the stage's share checks measured over each phase's users.
  c.values["rollout_share"] = 1.0;
  c.values["rollout_share.n"] = 40;
  c.values["rollback_left_async"] = 0.0;
  c.values["rollback_left_async.n"] = 20;
  for (int i = 0; i < 60; ++i) {
    upload_sample u;
    u.ok = true;
    u.route = i < 40 ? "async" : "sync";
    u.phase = i < 40 ? upload_phase::stage : upload_phase::after_rollback;
    c.uploads.push_back(u);
  }
  run.cases.push_back(c);
  return run;
}

TEST(render_junit, shows_a_not_run_check_as_not_checked_without_failing_the_case) {
  const std::string xml = render_junit(a_run_without_subject_metrics());
  EXPECT_NE(xml.find("metrics: not checked, the subject offers no metrics"), std::string::npos);
  EXPECT_EQ(xml.find("metrics: expected"), std::string::npos);
}

TEST(render_markdown, shows_a_not_run_check_as_not_checked) {
  const std::string md = render_markdown(a_run_without_subject_metrics());
  EXPECT_NE(md.find("metrics: not checked, the subject offers no metrics"), std::string::npos);
}

TEST(render_html, shows_a_not_run_check_as_not_checked) {
  const std::string html = render_html(a_run_without_subject_metrics());
  EXPECT_NE(html.find("metrics: not checked, the subject offers no metrics"), std::string::npos);
}

TEST(render_html, charts_the_uploads_after_a_rollback_apart_from_the_stage) {
  const std::string html = render_html(a_stage_rolled_back_from_25_to_10());
  EXPECT_NE(html.find("25% (n = 40 users)"), std::string::npos);
  EXPECT_NE(html.find("stage 25% after its rollback to 10% (n = 20 users)"), std::string::npos);
  EXPECT_EQ(html.find("25% (n = 60"), std::string::npos);
}

}  // namespace
}  // namespace rollproof::reports
