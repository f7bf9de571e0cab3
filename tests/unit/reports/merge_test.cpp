#include <gtest/gtest.h>

#include "rollproof/reports/evidence_json.hpp"
#include "rollproof/reports/writers.hpp"
#include "sample_run.hpp"

namespace rollproof::reports {
namespace {

// The sample run split in two shards of one plan (repetitions 0, 2 and 1, 3 of each route), each
// shard judging the claims over its own cases only; given in the order shard 2, shard 1.
std::vector<merge_input> two_shards() {
  std::vector<case_record> even, odd;
  const auto all = testing::sample_cases();
  for (std::size_t i = 0; i < all.size(); ++i)
    ((i / 2) % 2 ? odd : even).push_back(all[i]);
  run_record a = testing::sample_run(even), b = testing::sample_run(odd);
  a.prov.finished_at = "2026-11-29T15:02:00Z";
  b.prov.started_at = "2026-11-29T15:00:30Z";
  a.prov.shard_index = 1;
  b.prov.shard_index = 2;
  for (run_record* r : {&a, &b}) {
    r->prov.shard_total = 2;
    r->prov.plan_cases = all.size();
  }
  b.prov.host.hostname = "build-host-18";
  b.prov.command_line = {"rollproof", "run", "scenarios/seed", "--shard", "2/2"};
  return {{"out/shard-2", b}, {"out/shard-1", a}};
}

run_record merged_or_fail(std::vector<merge_input> shards, merge_options options = {}) {
  auto merged = merge_runs(std::move(shards), options);
  if (!merged) {
    std::string all;
    for (const auto& p : merged.error())
      all += p + "\n";
    ADD_FAILURE() << all;
    return {};
  }
  return *merged;
}

// The problems merge_runs gives for `shards`, one per line; empty when it merged them.
std::string refusal_of(std::vector<merge_input> shards, merge_options options = {}) {
  auto merged = merge_runs(std::move(shards), options);
  std::string all;
  if (!merged)
    for (const auto& p : merged.error())
      all += p + "\n";
  return all;
}

TEST(merge_runs, equals_the_unsharded_record_apart_from_timings_and_shard_origins) {
  const run_record whole = testing::sample_run();
  run_record merged = merged_or_fail(two_shards());
  EXPECT_EQ(merged.prov.shards.size(), 2u);
  merged.prov.shards.clear();
  merged.prov.shard_index = merged.prov.shard_total = 1;
  merged.prov.host = whole.prov.host;
  merged.prov.command_line = whole.prov.command_line;
  EXPECT_TRUE(
      merged.prov.run_id.empty());  // a merged set is a new one: write_reports gives it an id
  merged.prov.run_id = whole.prov.run_id;
  EXPECT_EQ(render_evidence_json(merged), render_evidence_json(whole));
}

TEST(merge_runs, judges_claims_again_over_the_joined_cases) {
  const auto shards = two_shards();
  // Alone, a shard has 4 of 8 repetitions per route: too few cases for the throughput claim.
  EXPECT_EQ(shards[0].run.claims[0].result, verdict::inconclusive)
      << shards[0].run.claims[0].explanation;
  const run_record merged = merged_or_fail(shards);
  EXPECT_EQ(merged.claims[0].result, verdict::refuted);
  EXPECT_EQ(merged.claims[0].measured.n, 16u);
}

TEST(merge_runs, takes_the_earliest_start_and_the_latest_end) {
  auto shards = two_shards();
  shards[0].run.prov.started_at = "2026-11-29T14:59:00Z";
  shards[1].run.prov.finished_at = "2026-11-29T15:09:00Z";
  const run_record merged = merged_or_fail(shards);
  EXPECT_EQ(merged.prov.started_at, "2026-11-29T14:59:00Z");
  EXPECT_EQ(merged.prov.finished_at, "2026-11-29T15:09:00Z");
}

TEST(merge_runs, keeps_every_shards_host_and_command_line_in_shard_order) {
  const run_record merged = merged_or_fail(two_shards());
  ASSERT_EQ(merged.prov.shards.size(), 2u);
  EXPECT_EQ(merged.prov.shards[0].index, 1u);
  EXPECT_EQ(merged.prov.shards[0].host.hostname, testing::run_host);
  EXPECT_EQ(merged.prov.shards[1].index, 2u);
  EXPECT_EQ(merged.prov.shards[1].host.hostname, "build-host-18");
  EXPECT_EQ(merged.prov.shards[1].command_line.back(), "2/2");
  EXPECT_FALSE(is_partial(merged));
}

TEST(merge_runs, marks_a_claim_without_spec_as_an_error_instead_of_trusting_one_shard) {
  auto shards = two_shards();
  for (auto& s : shards)
    s.run.claims[0].spec_json.clear();
  const run_record merged = merged_or_fail(shards);
  EXPECT_EQ(merged.claims[0].result, verdict::error);
  EXPECT_NE(merged.claims[0].reason.find("no claim spec"), std::string::npos);
}

TEST(merge_runs, keeps_an_abort_of_any_shard) {
  auto shards = two_shards();
  shards[1].run.aborted = true;
  shards[1].run.abort_reason = "SIGTERM";
  const run_record merged = merged_or_fail(shards);
  EXPECT_TRUE(merged.aborted);
  EXPECT_EQ(merged.abort_reason, "SIGTERM");
}

TEST(merge_runs, refuses_a_set_with_a_missing_shard) {
  auto shards = two_shards();
  shards.pop_back();  // shard 1
  EXPECT_NE(refusal_of(shards).find("shard(s) 1 of 2 missing"), std::string::npos)
      << refusal_of(shards);
}

TEST(merge_runs, merges_a_missing_shard_only_when_allowed_and_marks_the_result_partial) {
  auto shards = two_shards();
  shards.pop_back();
  const run_record merged = merged_or_fail(shards, {.allow_partial = true});
  EXPECT_TRUE(is_partial(merged));
  EXPECT_EQ(merged.prov.missing_shards, std::vector<std::uint64_t>{1});
  const auto json = evidence_to_json(merged);
  EXPECT_EQ(json.at("provenance").at("partial"), true);
  std::size_t errors = 0;
  for (const auto& c : merged.claims) {
    if (c.result != verdict::error) continue;
    ++errors;
    EXPECT_NE(c.reason.find("the merge is partial: shard(s) 1 of 2 missing"), std::string::npos)
        << c.reason;
  }
  EXPECT_GT(errors, 0u);  // the sample's claim without matching cases
}

TEST(merge_runs, refuses_a_repeated_shard_index) {
  auto shards = two_shards();
  shards[1].run.prov.shard_index = 2;
  const auto refusal = refusal_of(shards);
  EXPECT_NE(refusal.find("shard 2/2 is given twice: out/shard-2 and out/shard-1"),
            std::string::npos)
      << refusal;
}

TEST(merge_runs, refuses_the_same_case_in_two_shards) {
  auto shards = two_shards();
  shards[1].run.cases.push_back(shards[0].run.cases.front());
  const auto refusal = refusal_of(shards);
  EXPECT_NE(refusal.find("case " + shards[0].run.cases.front().id + " is in both"),
            std::string::npos)
      << refusal;
}

TEST(merge_runs, refuses_a_record_that_does_not_say_which_shard_it_is) {
  auto shards = two_shards();
  shards[0].run.prov.shard_index = shards[0].run.prov.shard_total = 0;  // as read from old evidence
  EXPECT_NE(refusal_of(shards).find("out/shard-2: records no shard index and total"),
            std::string::npos);
}

// Each way two shards can differ in what makes them comparable, and the words merge uses for it.
struct mismatch {
  const char* named;
  void (*change)(run_record&);
};

TEST(merge_runs, refuses_shards_that_differ_in_what_makes_them_comparable) {
  const mismatch mismatches[] = {
      {"different totals", [](run_record& r) { r.prov.shard_total = 3; }},
      {"different plans", [](run_record& r) { r.prov.filter = "*sync*"; }},
      {"different scenario digests", [](run_record& r) { r.scenarios[0].sha256.back() = 'f'; }},
      {"different seeds", [](run_record& r) { r.scenarios[1].seed = 12; }},
      {"different seeds", [](run_record& r) { r.prov.seed = 1; }},
      {"different commits", [](run_record& r) { r.prov.git.commit[0] = 'f'; }},
      {"different commits", [](run_record& r) { r.prov.git.work_tree = false; }},
      {"different rollproof versions", [](run_record& r) { r.prov.versions["rollproof"] = "9"; }},
      {"different subjects", [](run_record& r) { r.scenarios[0].subject.version = "0.2.0"; }},
      {"different subjects", [](run_record& r) { r.scenarios[0].subject.command = {"other"}; }},
      {"different subjects",
       [](run_record& r) { r.scenarios[0].subject.program_sha256.back() = 'f'; }},
  };
  for (const auto& m : mismatches) {
    auto shards = two_shards();
    m.change(shards[1].run);
    const auto refusal = refusal_of(shards);
    EXPECT_NE(refusal.find(std::string("the shards have ") + m.named), std::string::npos)
        << m.named << ": " << refusal;
  }
}

TEST(merge_runs, accepts_the_same_subject_installed_under_another_path) {
  auto shards = two_shards();
  for (auto& s : shards[1].run.scenarios)
    s.subject.command.front() = "/builds/runner-7/build/bin/rollproof-upload";
  EXPECT_EQ(refusal_of(shards), "");
}

TEST(merge_runs, names_every_problem_at_once) {
  auto shards = two_shards();
  shards[1].run.prov.git.commit[0] = 'f';
  shards[1].run.scenarios[0].subject.name = "impostor";
  const auto refusal = refusal_of(shards);
  EXPECT_NE(refusal.find("different commits"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("different subjects"), std::string::npos) << refusal;
}

}  // namespace
}  // namespace rollproof::reports
