#include <gtest/gtest.h>

#include "rollproof/reports/evidence_json.hpp"
#include "rollproof/reports/writers.hpp"
#include "sample_run.hpp"

namespace rollproof::reports {
namespace {

TEST(redacted, removes_the_secret_from_every_string_of_the_record) {
  run_record run = testing::sample_run();
  run.cases[0].parameters["api_key"] = testing::planted_secret;
  run.claims[0].explanation += testing::planted_secret;
  const std::string before = render_evidence_json(run);
  ASSERT_NE(before.find(testing::planted_secret), std::string::npos);
  const std::string after = render_evidence_json(redacted(run, testing::sample_secrets()));
  EXPECT_EQ(after.find(testing::planted_secret), std::string::npos);
  EXPECT_NE(after.find("[REDACTED]"), std::string::npos);
}

TEST(redacted, removes_the_secret_from_the_subject_and_every_shards_command_line) {
  run_record run = testing::sample_run();
  run.scenarios[0].subject.command.push_back(testing::planted_secret);
  run.prov.shards = {{1, 1, run.prov.host, {"rollproof", testing::planted_secret}, "", ""}};
  const std::string after = render_evidence_json(redacted(run, testing::sample_secrets()));
  EXPECT_EQ(after.find(testing::planted_secret), std::string::npos);
}

TEST(redacted, changes_nothing_without_secrets) {
  const run_record run = testing::sample_run();
  EXPECT_EQ(render_evidence_json(redacted(run, rollproof::redactor{})), render_evidence_json(run));
}

}  // namespace
}  // namespace rollproof::reports
