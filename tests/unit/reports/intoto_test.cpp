#include "rollproof/reports/intoto.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "json_exact.hpp"
#include "rollproof/reports/evidence_json.hpp"
#include "sample_run.hpp"

namespace rollproof::reports {
namespace {

TEST(render_intoto, binds_the_evidence_to_the_commit_and_the_scenario_files) {
  const run_record run = testing::sample_run();
  boost::system::error_code ec;
  const auto st = detail::parse_json_exact(render_intoto(run), ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(st.at("_type").as_string(), "https://in-toto.io/Statement/v1");
  EXPECT_EQ(st.at("predicateType").as_string(), evidence_predicate_type);
  const auto& subjects = st.at("subject").as_array();
  ASSERT_EQ(subjects.size(), 3u);
  EXPECT_EQ(subjects[0].at("name").as_string(), "git-commit");
  EXPECT_EQ(subjects[0].at("digest").at("gitCommit").as_string(), run.prov.git.commit);
  EXPECT_EQ(subjects[1].at("name").as_string(), "scenarios/seed/performance.toml");
  EXPECT_EQ(subjects[1].at("digest").at("sha256").as_string(), run.scenarios[0].sha256);
  EXPECT_EQ(st.at("predicate"), evidence_to_json(run));
}

TEST(render_intoto, leaves_out_a_commit_it_does_not_know) {
  run_record run = testing::sample_run();
  run.prov.git.commit.clear();
  const auto st = boost::json::parse(render_intoto(run));
  for (const auto& s : st.at("subject").as_array())
    EXPECT_NE(s.at("name").as_string(), "git-commit");
}

}  // namespace
}  // namespace rollproof::reports
