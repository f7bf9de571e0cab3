#include "rollproof/claims/family.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "case_builders.hpp"

namespace rollproof::claims {
namespace {

using rollproof::reports::case_record;
using rollproof::reports::error_control;
using rollproof::reports::verdict;

// Cases "ok<k>": 400 uploads of which k succeeded. The claim "success_rate of ok<k> >= 0.9" has
// Wilson lower bounds (by hand from Wilson's formula, z = 1.96, 2.241, 2.394, 2.576):
//   k = 372 (0.93):   0.9007 at 95%, 0.8958 at 97.5%, 0.8930 at 98.33%, 0.8896 at 99%
//   k = 374 (0.935):  0.9065,        0.9016,          0.8989,           0.8956
//   k = 376 (0.94):   0.9123,        0.9075,          0.9049,           0.9016
//   k = 395 (0.9875): 0.9711,        0.9677,          0.9657,           0.9633
// so the claim's decision p-value (the least alpha whose interval clears 0.9) is in (0.025,
// 0.05) for 372, (0.0167, 0.025) for 374, below 0.01 for 376 and 395; k = 360 (0.9) never clears.
std::vector<case_record> outcome_cases() {
  std::vector<case_record> out;
  for (const int k : {360, 372, 374, 376, 395}) {
    auto c = testing::a_case("ok" + std::to_string(k), {});
    testing::with_outcomes(c, 400, 400 - k);
    out.push_back(c);
  }
  return out;
}

claim_spec at_least_90(const std::string& case_id, const std::string& id) {
  claim_spec s;
  s.id = id;
  s.text = "at least 90% succeed";
  s.metric = "success_rate";
  s.cases = {{"id", case_id}};
  s.relation = relation_kind::bound;
  s.min = 0.9;
  return s;
}

struct judged {
  std::vector<rollproof::reports::claim_record> records;
  error_control control;
};

judged judge(const std::vector<case_record>& cases, const std::vector<std::string>& case_ids,
             const std::string& method) {
  std::vector<family_member> members;
  for (std::size_t i = 0; i < case_ids.size(); ++i)
    members.push_back({at_least_90(case_ids[i], "claim" + std::to_string(i)), cases, 1});
  judged out;
  out.control.method = method;
  out.control.alpha = 0.05;
  out.records = evaluate_family(members, out.control);
  return out;
}

TEST(evaluate_family,
     leaves_undecided_a_claim_whose_raw_interval_clears_the_bound_and_adjusted_does_not) {
  const auto cases = outcome_cases();
  const auto none = judge(cases, {"ok372", "ok360"}, "none");
  EXPECT_EQ(none.records[0].result, verdict::verified) << none.records[0].explanation;

  const auto holm = judge(cases, {"ok372", "ok360"}, "holm");
  EXPECT_EQ(holm.control.family_size, 2u);
  const auto& r = holm.records[0];
  EXPECT_EQ(r.result, verdict::inconclusive) << r.explanation;
  ASSERT_TRUE(r.measured.ci && r.measured.raw_ci);
  EXPECT_DOUBLE_EQ(r.measured.ci->confidence, 1 - 0.05 / 2);
  EXPECT_DOUBLE_EQ(r.measured.raw_ci->confidence, 0.95);
  EXPECT_GT(r.measured.raw_ci->low, 0.9);
  EXPECT_LT(r.measured.ci->low, 0.9);
  EXPECT_NE(r.explanation.find("Holm over 2 claims"), std::string::npos) << r.explanation;
}

TEST(evaluate_family, steps_down_like_holm_once_the_strongest_claims_are_decided) {
  // p.adjust(c(p395, p376, p372), "holm"): 3 p395 and 3 p376 stay below 0.05, and p372 < 0.05
  // is multiplied by 1 after both: all three are decided, 372 at the last step's 95%.
  const auto cases = outcome_cases();
  const auto holm = judge(cases, {"ok395", "ok376", "ok372"}, "holm");
  for (const auto& r : holm.records)
    EXPECT_EQ(r.result, verdict::verified) << r.explanation;
  EXPECT_DOUBLE_EQ(holm.records[0].measured.ci->confidence, 1 - 0.05 / 3);
  EXPECT_DOUBLE_EQ(holm.records[1].measured.ci->confidence, 1 - 0.05 / 3);
  EXPECT_DOUBLE_EQ(holm.records[2].measured.ci->confidence, 0.95);
}

TEST(evaluate_family, decides_with_bh_what_holm_leaves_undecided) {
  // Three p-values in (0.0167, 0.025): Holm's first step needs p < 0.05 / 3 and stops; BH's
  // adjusted values are min(3 p / 3) = p < 0.05 for all three.
  const auto cases = outcome_cases();
  const auto holm = judge(cases, {"ok374", "ok374", "ok374"}, "holm");
  const auto bh = judge(cases, {"ok374", "ok374", "ok374"}, "bh");
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(holm.records[i].result, verdict::inconclusive) << holm.records[i].explanation;
    EXPECT_DOUBLE_EQ(holm.records[i].measured.ci->confidence, 1 - 0.05 / 3);
    EXPECT_EQ(bh.records[i].result, verdict::verified) << bh.records[i].explanation;
    EXPECT_DOUBLE_EQ(bh.records[i].measured.ci->confidence, 0.95);
  }
  EXPECT_EQ(bh.control.method, "bh");
}

TEST(evaluate_family, steps_up_like_bh_to_the_largest_k_with_k_claims_decided) {
  // p.adjust(c(p395, p372, p360), "BH"): p372 in (0.033, 0.05) becomes min(3/2 p372, p360) >
  // 0.05, so only the first is decided, at 1 - 0.05 / 3.
  const auto cases = outcome_cases();
  const auto bh = judge(cases, {"ok395", "ok372", "ok360"}, "bh");
  EXPECT_EQ(bh.records[0].result, verdict::verified) << bh.records[0].explanation;
  EXPECT_EQ(bh.records[1].result, verdict::inconclusive) << bh.records[1].explanation;
  EXPECT_EQ(bh.records[2].result, verdict::inconclusive) << bh.records[2].explanation;
  for (const auto& r : bh.records)
    EXPECT_DOUBLE_EQ(r.measured.ci->confidence, 1 - 0.05 / 3);
}

TEST(evaluate_family, counts_only_claims_with_an_interval_and_keeps_the_spec_as_written) {
  const auto cases = outcome_cases();
  std::vector<family_member> members;
  members.push_back({at_least_90("ok372", "a"), cases, 1});
  claim_spec unverifiable;
  unverifiable.id = "b";
  unverifiable.unverifiable = "no measurement";
  members.push_back({unverifiable, cases, 1});
  members.push_back({at_least_90("nothing-matches", "c"), cases, 1});
  error_control control;
  control.method = "holm";
  const auto records = evaluate_family(members, control);
  EXPECT_EQ(control.family_size, 1u);
  EXPECT_EQ(records[0].result, verdict::verified) << records[0].explanation;
  EXPECT_EQ(records[1].result, verdict::unverifiable);
  EXPECT_EQ(records[2].result, verdict::error);
  // The spec as written (0.95), not the level it was judged at, so that merge judges it again.
  const auto spec = boost::json::parse(records[0].spec_json);
  EXPECT_DOUBLE_EQ(spec.at("confidence").to_number<double>(), 0.95);
}

}  // namespace
}  // namespace rollproof::claims
