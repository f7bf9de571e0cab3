#pragma once
// Aggregates every writer shows: per-case upload statistics and per-run verdict counts.

#include <cstdint>
#include <string>
#include <vector>

#include "rollproof/reports/run_record.hpp"

namespace rollproof::reports::detail {

// What a case's uploads add up to; latency figures are over successful uploads, percentiles by
// stats::percentile (the one definition, type 7), p50/p95/p99 the case check's own values when
// it recorded them.
struct case_aggregates {
  std::uint64_t uploads = 0;
  std::uint64_t ok = 0;
  std::uint64_t timeouts = 0;
  std::uint64_t fallbacks = 0;
  std::uint64_t integrity_failures = 0;
  std::uint64_t bytes = 0;
  std::uint64_t latency_count = 0;
  double latency_min = 0, latency_p50 = 0, latency_p90 = 0, latency_p95 = 0, latency_p99 = 0,
         latency_max = 0, latency_mean = 0;
  std::vector<double> histogram_edges_ms;       // 21 log-spaced edges from min to max
  std::vector<std::uint64_t> histogram_counts;  // 20 bins
};

// Aggregates one case's own-phase uploads (a stage's uploads after its rollback are left out).
case_aggregates aggregate(const case_record& c);

// Counts of case statuses and claim verdicts over a run.
struct run_totals {
  std::uint64_t passed = 0, failed = 0, errors = 0, skipped = 0;
  std::uint64_t verified = 0, refuted = 0, inconclusive = 0, claim_errors = 0, unverifiable = 0;
};

// Counts a run.
run_totals totals(const run_record& run);

// Scenario names in first-seen order over scenarios, cases and claims.
std::vector<std::string> scenario_names(const run_record& run);

// `v` with at most `decimals` decimals, no exponent, trailing zeros kept (e.g. "1.500").
std::string fixed(double v, int decimals);

// A number for people: 4 significant digits, "inf" for infinity, "-" for NaN.
std::string short_number(double v);

// The figures of a case's row in the cases tables, as short numbers ("-" where not measured):
// latency p50/p95/p99 (ms) of `a`, throughput (MB/s) and peak RSS (MiB) of `c`.
struct case_figures {
  std::string p50, p95, p99, throughput_mb_per_s, peak_rss_mib;
};
case_figures figures_of(const case_record& c, const case_aggregates& a);

// The run's error control in one sentence, e.g. "Error control: Holm (family-wise) over 23
// claims at alpha 0.05: each interval is at its adjusted level, its raw 95% interval is in
// evidence.json."; for none, that each claim stands alone at its own level.
std::string error_control_text(const run_record& run);

// "value [low, high]" of a claim's measurement, or "-" when nothing was measured.
std::string measured_text(const claim_record& c);

}  // namespace rollproof::reports::detail
