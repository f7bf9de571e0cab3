#include "rollproof/stats/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "rollproof/stats/percentile.hpp"

namespace rollproof::stats {
namespace {

void resample(std::span<const double> from, std::vector<double>& into, std::mt19937_64& rng) {
  // uniform_int_distribution's output is implementation-defined; draw indices from raw 64-bit
  // words instead so the same seed gives the same interval with any standard library.
  into.resize(from.size());
  const std::uint64_t n = from.size();
  for (auto& v : into)
    v = from[static_cast<std::size_t>(rng() % n)];
}

interval percentile_bounds(std::vector<double>& estimates, double confidence) {
  interval ci;
  ci.confidence = confidence;
  const double tail = (1 - confidence) / 2;
  ci.low = *percentile(estimates, tail);
  ci.high = *percentile(estimates, 1 - tail);
  return ci;
}

}  // namespace

statistic percentile_statistic(double p) {
  return [p](std::span<double> xs) { return percentile_in_place(xs, p).value_or(std::nan("")); };
}

statistic mean_statistic() {
  return [](std::span<double> xs) { return mean(xs).value_or(std::nan("")); };
}

std::optional<bootstrap_result> bootstrap(std::span<const double> sample, const statistic& stat,
                                          unsigned resamples, std::uint64_t seed,
                                          double confidence) {
  if (sample.empty() || resamples == 0) return std::nullopt;
  std::vector<double> copy(sample.begin(), sample.end());
  bootstrap_result out;
  out.estimate = stat(copy);
  std::mt19937_64 rng(seed);
  std::vector<double> estimates, buffer;
  estimates.reserve(resamples);
  for (unsigned i = 0; i < resamples; ++i) {
    resample(sample, buffer, rng);
    const double e = stat(buffer);
    if (std::isfinite(e)) estimates.push_back(e);
  }
  if (estimates.empty()) return std::nullopt;
  out.resamples = static_cast<unsigned>(estimates.size());
  out.ci = percentile_bounds(estimates, confidence);
  return out;
}

std::optional<bootstrap_result> bootstrap_ratio(std::span<const double> baseline,
                                                std::span<const double> candidate,
                                                const statistic& stat, unsigned resamples,
                                                std::uint64_t seed, double confidence) {
  if (baseline.empty() || candidate.empty() || resamples == 0) return std::nullopt;
  std::vector<double> b(baseline.begin(), baseline.end()), c(candidate.begin(), candidate.end());
  const double denominator = stat(b);
  if (denominator == 0 || !std::isfinite(denominator)) return std::nullopt;
  bootstrap_result out;
  out.estimate = stat(c) / denominator;
  std::mt19937_64 rng(seed);
  std::vector<double> estimates, bb, cb;
  estimates.reserve(resamples);
  for (unsigned i = 0; i < resamples; ++i) {
    resample(baseline, bb, rng);
    resample(candidate, cb, rng);
    const double den = stat(bb);
    if (den == 0) continue;
    const double e = stat(cb) / den;
    if (std::isfinite(e)) estimates.push_back(e);
  }
  if (estimates.empty()) return std::nullopt;
  out.resamples = static_cast<unsigned>(estimates.size());
  out.ci = percentile_bounds(estimates, confidence);
  return out;
}

}  // namespace rollproof::stats
