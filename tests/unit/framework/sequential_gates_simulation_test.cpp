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

// The share of `runs` seeded stages whose async route fails at `rate` that the gate (error_rate
// at most `bound`, method "sequential") rolls back, looking `looks` times (0: after every upload).
double rollback_share(double rate, int looks, std::uint64_t seed) {
  rollback_spec rb;
  rb.error_rate_at_most = bound;
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution fails(rate);
  int rolled_back = 0;
  for (int r = 0; r < runs; ++r) {
    sequential_gates gates(rb, alpha);
    int next_look = 1;
    for (int i = 1; i <= uploads; ++i) {
      gates.add({.seen = true, .async = true, .failed = fails(rng), .ok = true});
      const bool looking = looks == 0 || i == next_look * uploads / looks;
      if (looking) ++next_look;
      if (looking && gates.look()) break;
    }
    rolled_back += gates.result("hold").tripped ? 1 : 0;
  }
  return static_cast<double>(rolled_back) / runs;
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

}  // namespace
}  // namespace rollproof::framework::detail
