#pragma once
// The exact (Clopper-Pearson) interval for a binomial proportion: the one whose coverage is at
// least its confidence for every n and p, where Wilson's falls short in the tails (at n = 100 and
// p = 0.10 a 99.9% Wilson interval misses p in 0.20% of samples, not 0.10%).

#include <cstdint>

#include "rollproof/stats/interval.hpp"

namespace rollproof::stats {

// Clopper-Pearson interval (1934) for `successes` of `n` at `confidence`: the p whose one-sided
// binomial tail at `successes` is at least (1 - confidence) / 2 on each side; low is 0 at 0
// successes, high is 1 at n; [0, 1] when n is 0.
[[nodiscard]] interval clopper_pearson_interval(std::uint64_t successes, std::uint64_t n,
                                                double confidence = 0.95);

}  // namespace rollproof::stats
