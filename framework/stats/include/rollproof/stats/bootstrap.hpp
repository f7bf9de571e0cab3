#pragma once
// Seeded percentile bootstrap for one statistic of a sample, or for the ratio of a statistic
// between two independent samples (candidate / baseline), e.g. of medians, p99s or means.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>

#include "rollproof/stats/interval.hpp"

namespace rollproof::stats {

// A statistic of a sample (it may reorder its argument).
using statistic = std::function<double(std::span<double>)>;

// The statistic returning the type-7 percentile p (0..1) of a sample.
[[nodiscard]] statistic percentile_statistic(double p);
// The statistic returning the arithmetic mean.
[[nodiscard]] statistic mean_statistic();

// An estimate with its bootstrap interval.
struct bootstrap_result {
  double estimate = 0;  // the statistic on the data as given
  interval ci;
  unsigned resamples = 0;  // resamples that gave a finite value
};

// Percentile interval of `stat` over `resamples` resamples drawn with std::mt19937_64(seed);
// the same data, seed and count give the same interval. nullopt when the sample is empty.
[[nodiscard]] std::optional<bootstrap_result> bootstrap(std::span<const double> sample,
                                                        const statistic& stat, unsigned resamples,
                                                        std::uint64_t seed,
                                                        double confidence = 0.95);

// Percentile interval of stat(candidate) / stat(baseline), both resampled independently;
// resamples whose baseline statistic is 0 are dropped; nullopt when a sample is empty or the
// estimate's denominator is 0.
[[nodiscard]] std::optional<bootstrap_result> bootstrap_ratio(
    std::span<const double> baseline, std::span<const double> candidate, const statistic& stat,
    unsigned resamples, std::uint64_t seed, double confidence = 0.95);

}  // namespace rollproof::stats
