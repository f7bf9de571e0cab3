// The sample ratio mismatch check of a stage: chi-square of its users' routes against the split.
#include <gtest/gtest.h>

#include <random>

#include "check_named.hpp"
#include "rollout_checks.hpp"

namespace rollproof::framework::detail {
namespace {

using testing::check_named;

// A stage case whose `users` users each send one upload, on async with probability `p_async`
// (a seeded draw, as the subject's bucketing is a fixed function of the user).
reports::case_record stage_of(std::uint32_t users, double p_async, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution on_async(p_async);
  reports::case_record rec;
  for (std::uint32_t i = 0; i < users; ++i) {
    reports::upload_sample s;
    s.user = "user-" + std::to_string(i);
    s.route = on_async(rng) ? "async" : "sync";
    s.ok = true;
    rec.uploads.push_back(s);
  }
  return rec;
}

TEST(sample_ratio_mismatch, holds_for_a_fair_ten_percent_split) {
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    auto rec = stage_of(20000, 0.10, seed);
    add_srm_check(rec, 10);
    const auto& c = check_named(rec, "sample_ratio_mismatch");
    EXPECT_TRUE(c.passed) << c.measured;
    EXPECT_FALSE(c.not_run);
    EXPECT_GE(rec.values.at("sample_ratio_mismatch.p"), srm_alpha);
  }
}

TEST(sample_ratio_mismatch, fires_on_a_split_biased_from_ten_to_twelve_percent) {
  // 20000 users at 12% instead of 10%: about 400 extra async users, a z of about 9.4.
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    auto rec = stage_of(20000, 0.12, seed);
    add_srm_check(rec, 10);
    const auto& c = check_named(rec, "sample_ratio_mismatch");
    EXPECT_FALSE(c.passed) << c.measured;
    EXPECT_LT(rec.values.at("sample_ratio_mismatch.p"), srm_alpha);
    EXPECT_NE(c.measured.find("X2 = "), std::string::npos) << c.measured;
  }
}

TEST(sample_ratio_mismatch, counts_users_not_uploads) {
  // Ten users on each route, one of the async ones sending 1000 uploads: a fair 50/50 split.
  auto rec = stage_of(0, 0.5, 1);
  for (int i = 0; i < 20; ++i) {
    reports::upload_sample s;
    s.user = "user-" + std::to_string(i);
    s.route = i < 10 ? "async" : "sync";
    for (int k = 0; k < (i == 0 ? 1000 : 1); ++k)
      rec.uploads.push_back(s);
  }
  add_srm_check(rec, 50);
  EXPECT_TRUE(check_named(rec, "sample_ratio_mismatch").passed);
  EXPECT_DOUBLE_EQ(rec.values.at("sample_ratio_mismatch.p"), 1.0);
}

TEST(sample_ratio_mismatch, does_not_run_on_a_one_armed_split) {
  auto rec = stage_of(100, 1.0, 1);
  add_srm_check(rec, 100);
  const auto& c = check_named(rec, "sample_ratio_mismatch");
  EXPECT_TRUE(c.not_run);
  EXPECT_FALSE(rec.values.contains("sample_ratio_mismatch.p"));
}

}  // namespace
}  // namespace rollproof::framework::detail
