#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "rollproof/claims/claim.hpp"

namespace rollproof::claims {
namespace {

TEST(claim_json, round_trips_every_field) {
  claim_spec s;
  s.id = "perf.latency";
  s.text = "Latency | 30-50% reduction";
  s.source = "Performance Improvements table";
  s.scenario = "performance";
  s.metric = "latency_ms";
  s.percentile = 95;
  s.statistic = "median";
  s.baseline = {{"route", "sync"}};
  s.candidate = {{"route", "async"}, {"provider", "k*"}};
  s.cases = {{"stage", "10"}};
  s.relation = relation_kind::reduction;
  s.min = 0.3;
  s.max = 0.5;
  s.confidence = 0.9;
  s.resamples = 500;
  s.min_samples = 20;
  s.as_measured = true;
  s.note = "1 MiB files";
  s.where = {"seed/perf.toml", 12, 1};
  const auto back = claim_from_json(to_json(s));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(to_json(*back), to_json(s));
  EXPECT_EQ(back->candidate.at("provider"), "k*");
  EXPECT_EQ(back->relation, relation_kind::reduction);
  EXPECT_EQ(back->where.line, 12u);
}

TEST(claim_json, names_the_field_that_is_wrong) {
  const auto bad = claim_from_json(boost::json::parse(R"({"id": "a", "min": "five"})"));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("'min'"), std::string::npos);
  EXPECT_FALSE(claim_from_json(boost::json::parse("[1]")));
  EXPECT_FALSE(claim_from_json(boost::json::parse(R"({"relation": "guess"})")));
}

}  // namespace
}  // namespace rollproof::claims
