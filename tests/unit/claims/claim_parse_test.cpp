#include <gtest/gtest.h>

#include "rollproof/claims/claim.hpp"

namespace rollproof::claims {
namespace {

// Parses the first [[claim]] of `text` in place (copies of toml++ nodes drop source positions).
std::expected<claim_spec, rollproof::diagnostics> parse(std::string_view text) {
  const toml::table doc = toml::parse(text, std::string_view("claims.toml"));
  return parse_claim(*doc["claim"][0].as_table(), "claims.toml");
}

TEST(parse_claim, reads_a_throughput_ratio_claim_of_the_seed_document) {
  const auto spec = parse(R"([[claim]]
id = "perf.throughput"
text = "Throughput | 5-10x improvement"
source = "Performance Improvements table, row Throughput"
metric = "throughput_bytes_per_s"
baseline = { route = "sync" }
candidate = { route = "async", concurrency = 100 }
ratio = { min = 5, max = 10 }
)");
  ASSERT_TRUE(spec) << rollproof::to_string(spec.error());
  EXPECT_EQ(spec->id, "perf.throughput");
  EXPECT_EQ(spec->relation, relation_kind::ratio);
  EXPECT_EQ(spec->min, 5);
  EXPECT_EQ(spec->max, 10);
  EXPECT_EQ(spec->baseline.at("route"), "sync");
  EXPECT_EQ(spec->candidate.at("concurrency"), "100");
  EXPECT_EQ(spec->where.line, 1u);
}

TEST(parse_claim, accepts_the_relation_inside_an_expect_table) {
  const auto spec = parse(R"([[claim]]
id = "phase3.file-variants"
text = "Tested all file types"
metric = "success_rate"
expect = { at_least = 0.999 }
)");
  ASSERT_TRUE(spec) << rollproof::to_string(spec.error());
  EXPECT_EQ(spec->relation, relation_kind::bound);
  EXPECT_EQ(spec->min, 0.999);
  EXPECT_FALSE(spec->max);
}

TEST(parse_claim, turns_a_proportion_into_a_range) {
  const auto spec = parse(R"([[claim]]
id = "d"
text = "10/100"
metric = "rollout_share"
cases = { stage = "10" }
proportion = { equals = 0.10, tolerance = 0.02 }
)");
  ASSERT_TRUE(spec);
  EXPECT_NEAR(*spec->min, 0.08, 1e-12);
  EXPECT_NEAR(*spec->max, 0.12, 1e-12);
}

TEST(parse_claim, accepts_an_unverifiable_claim_without_metric) {
  const auto spec = parse(R"toml([[claim]]
id = "duration"
text = "~4 hours (vs 3 weeks planned)"
unverifiable = "the document gives no logs or timestamps of the work"
)toml");
  ASSERT_TRUE(spec);
  EXPECT_FALSE(spec->unverifiable.empty());
}

TEST(parse_claim, reports_every_problem_at_once_with_positions) {
  const auto spec = parse(R"([[claim]]
id = 7
text = "x"
metric = "latency_ms"
percentile = 120
ratio = { min = 10, max = 5 }
colour = "blue"
)");
  ASSERT_FALSE(spec);
  const std::string all = rollproof::to_string(spec.error());
  EXPECT_NE(all.find("claims.toml:2:6: claim 'id' must be a string"), std::string::npos) << all;
  EXPECT_NE(all.find("claims.toml:5:14: 'percentile' must lie in (0, 100)"), std::string::npos)
      << all;
  EXPECT_NE(all.find("unknown key 'colour'"), std::string::npos) << all;
  EXPECT_NE(all.find("min 10 > max 5"), std::string::npos) << all;
  EXPECT_NE(all.find("needs 'baseline' and 'candidate'"), std::string::npos) << all;
  EXPECT_GE(spec.error().size(), 5u);
}

TEST(parse_claim, refuses_two_relations_and_a_claim_without_any) {
  const auto two = parse(R"([[claim]]
id = "a"
text = "x"
metric = "success_rate"
at_least = 0.9
proportion = { equals = 0.5, tolerance = 0.1 }
)");
  ASSERT_FALSE(two);
  EXPECT_NE(rollproof::to_string(two.error()).find("one relation"), std::string::npos);
  const auto none = parse(R"([[claim]]
id = "a"
text = "x"
metric = "success_rate"
)");
  ASSERT_FALSE(none);
  EXPECT_NE(rollproof::to_string(none.error()).find("needs a relation"), std::string::npos);
}

}  // namespace
}  // namespace rollproof::claims
