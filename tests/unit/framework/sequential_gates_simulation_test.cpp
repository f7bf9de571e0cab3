// Seeded simulation of the sequential rollback gate (issue 15): a stage's async uploads fail at a
// known rate, and the gate is looked at 4, 12 or 50 times (or after every upload). Pure
// in-process, no sockets; deterministic for its seed. bench/gates/ reports the same figures side
// by side with the window rule; this test holds the guarantees.
#include <gtest/gtest.h>

#include <random>

#include "rollback_gates.hpp"

namespace rollproof::framework::detail {
namespace {

constexpr double bound = 0.05;
constexpr double alpha = 0.05;
constexpr int runs = 400;
constexpr int uploads = 1000;  // async uploads of the stage

// The share of `runs` stages of `total` uploads each, drawn from `next`, that `rb`'s sequential
// gates roll back, looking `looks` times at equal steps (0: after every upload).
template <typename next_upload>
double share_rolled_back(const rollback_spec& rb, int total, int looks, next_upload&& next) {
  int rolled_back = 0;
  for (int r = 0; r < runs; ++r) {
    sequential_gates gates(rb, alpha);
    int next_look = 1;
    for (int i = 1; i <= total; ++i) {
      gates.add(next());
      const bool looking = looks == 0 || i == next_look * total / looks;
      if (looking) ++next_look;
      if (looking && gates.look()) break;
    }
    rolled_back += gates.result("hold").tripped ? 1 : 0;
  }
  return static_cast<double>(rolled_back) / runs;
}

// The share of `runs` seeded stages whose async route fails at `rate` that the gate (error_rate
// at most `bound`, method "sequential") rolls back, looking `looks` times (0: after every upload).
double rollback_share(double rate, int looks, std::uint64_t seed) {
  rollback_spec rb;
  rb.error_rate_at_most = bound;
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution fails(rate);
  return share_rolled_back(rb, uploads, looks, [&]() -> gate_observation {
    return {.seen = true, .async = true, .failed = fails(rng), .ok = true};
  });
}

class sequential_gate_looks : public ::testing::TestWithParam<int> {};

TEST_P(sequential_gate_looks, rolls_back_a_healthy_canary_at_most_alpha_of_the_time) {
  EXPECT_LE(rollback_share(0.03, GetParam(), 1), alpha);
}

TEST_P(sequential_gate_looks, rolls_back_a_canary_right_at_the_bound_at_most_alpha_of_the_time) {
  EXPECT_LE(rollback_share(bound, GetParam(), 2), alpha);
}

TEST_P(sequential_gate_looks, rolls_back_a_canary_at_15_percent_errors_in_99_percent_of_runs) {
  EXPECT_GE(rollback_share(0.15, GetParam(), 3), 0.99);
}

INSTANTIATE_TEST_SUITE_P(looks, sequential_gate_looks, ::testing::Values(4, 12, 50, 0),
                         [](const auto& info) {
                           return info.param == 0 ? std::string("every_upload")
                                                  : std::to_string(info.param) + "_looks";
                         });

constexpr double margin = 0.02;

// The share of `runs` seeded stages that the comparative gate alone (error_rate_over_baseline at
// most `margin`) rolls back, when each upload takes the async route with probability 1/2 and its
// first attempt fails at `canary_rate` there and at `baseline_rate` on the sync route, looking
// `looks` times over 2 * `uploads` uploads (0: after every upload).
double comparative_rollback_share(double canary_rate, double baseline_rate, int looks,
                                  std::uint64_t seed) {
  rollback_spec rb;
  rb.error_rate_over_baseline_at_most = margin;
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution on_async(0.5), canary_fails(canary_rate),
      baseline_fails(baseline_rate);
  return share_rolled_back(rb, 2 * uploads, looks, [&]() -> gate_observation {
    const bool async = on_async(rng);
    const bool failed = async ? canary_fails(rng) : baseline_fails(rng);
    return {.seen = true, .async = async, .failed = failed, .ok = !failed};
  });
}

class comparative_gate_looks : public ::testing::TestWithParam<int> {};

TEST_P(comparative_gate_looks,
       rolls_back_a_canary_equal_to_its_baseline_at_most_alpha_of_the_time) {
  EXPECT_LE(comparative_rollback_share(0.03, 0.03, GetParam(), 4), alpha);
}

TEST_P(comparative_gate_looks, rolls_back_a_canary_right_at_the_margin_at_most_alpha_of_the_time) {
  EXPECT_LE(comparative_rollback_share(0.03 + margin, 0.03, GetParam(), 5), alpha);
}

TEST_P(comparative_gate_looks,
       rolls_back_a_canary_at_15_percent_over_a_3_percent_baseline_in_99_percent_of_runs) {
  EXPECT_GE(comparative_rollback_share(0.15, 0.03, GetParam(), 6), 0.99);
}

TEST_P(comparative_gate_looks, does_not_roll_back_a_canary_whose_baseline_fails_as_often) {
  EXPECT_LE(comparative_rollback_share(0.20, 0.20, GetParam(), 7), alpha);
}

TEST(comparative_gate,
     rolls_back_a_canary_failing_as_often_as_a_failing_baseline_under_the_absolute_gate) {
  // The contrast the margin exists for: the same stages under error_rate <= 0.05 do roll back.
  rollback_spec rb;
  rb.error_rate_at_most = bound;
  std::mt19937_64 rng(8);
  std::bernoulli_distribution fails(0.20);
  sequential_gates gates(rb, alpha);
  for (int i = 0; i < 2 * uploads && !gates.look(); ++i)
    gates.add({.seen = true, .async = i % 2 == 0, .failed = fails(rng)});
  EXPECT_TRUE(gates.result("hold").tripped);
}

// Every-upload looks are left out here: two sequences per look over 2000 uploads and 400 runs
// take minutes; 50 looks already show that more looks do not inflate the false-rollback rate.
INSTANTIATE_TEST_SUITE_P(looks, comparative_gate_looks, ::testing::Values(4, 12, 50),
                         [](const auto& info) { return std::to_string(info.param) + "_looks"; });

}  // namespace
}  // namespace rollproof::framework::detail
