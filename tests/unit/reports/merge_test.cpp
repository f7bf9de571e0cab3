#include <gtest/gtest.h>

#include "rollproof/reports/evidence_json.hpp"
#include "rollproof/reports/writers.hpp"
#include "sample_run.hpp"

namespace rollproof::reports {
namespace {

// The sample run split in two shards (repetitions 0, 2 and 1, 3 of each route), each
// shard judging the claims over its own cases only.
std::vector<run_record> two_shards() {
  std::vector<case_record> even, odd;
  const auto all = testing::sample_cases();
  for (std::size_t i = 0; i < all.size(); ++i)
    ((i / 2) % 2 ? odd : even).push_back(all[i]);
  run_record a = testing::sample_run(even), b = testing::sample_run(odd);
  a.prov.finished_at = "2026-11-29T15:02:00Z";
  b.prov.started_at = "2026-11-29T15:00:30Z";
  return {b, a};
}

TEST(merge_runs, equals_the_unsharded_record_apart_from_timings) {
  const run_record whole = testing::sample_run();
  const run_record merged = merge_runs(two_shards());
  EXPECT_EQ(render_evidence_json(merged), render_evidence_json(whole));
}

TEST(merge_runs, judges_claims_again_over_the_joined_cases) {
  const auto shards = two_shards();
  // Alone, a shard has 4 of 8 repetitions per route: too few cases for the throughput claim.
  EXPECT_EQ(shards[0].claims[0].result, verdict::inconclusive) << shards[0].claims[0].explanation;
  const run_record merged = merge_runs(shards);
  EXPECT_EQ(merged.claims[0].result, verdict::refuted);
  EXPECT_EQ(merged.claims[0].measured.n, 16u);
}

TEST(merge_runs, takes_the_earliest_start_and_the_latest_end) {
  auto shards = two_shards();
  shards[0].prov.started_at = "2026-11-29T14:59:00Z";
  shards[1].prov.finished_at = "2026-11-29T15:09:00Z";
  const run_record merged = merge_runs(shards);
  EXPECT_EQ(merged.prov.started_at, "2026-11-29T14:59:00Z");
  EXPECT_EQ(merged.prov.finished_at, "2026-11-29T15:09:00Z");
}

TEST(merge_runs, marks_a_claim_without_spec_as_an_error_instead_of_trusting_one_shard) {
  auto shards = two_shards();
  for (auto& s : shards)
    s.claims[0].spec_json.clear();
  const run_record merged = merge_runs(shards);
  EXPECT_EQ(merged.claims[0].result, verdict::error);
  EXPECT_NE(merged.claims[0].reason.find("no claim spec"), std::string::npos);
}

TEST(merge_runs, keeps_an_abort_of_any_shard) {
  auto shards = two_shards();
  shards[1].aborted = true;
  shards[1].abort_reason = "SIGTERM";
  const run_record merged = merge_runs(shards);
  EXPECT_TRUE(merged.aborted);
  EXPECT_EQ(merged.abort_reason, "SIGTERM");
}

}  // namespace
}  // namespace rollproof::reports
