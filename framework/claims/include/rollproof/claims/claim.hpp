#pragma once
// Claims: a stated property of the subject ("5-10x throughput", "80-90% less memory", "57/57
// tests passing") as a `[[claim]]` TOML table, and its verdict from the measured cases.
//
// TOML keys of a [[claim]] table:
//   id, text (the wording checked), source (where in the checked document), metric, and then
//   either `unverifiable = "reason"` or a relation, given at top level or inside `expect = {..}`:
//     ratio = { min = 5, max = 10 }          candidate / baseline lies in [min, max]
//     reduction = { min = 0.8, max = 0.9 }   1 - candidate / baseline lies in [min, max]
//     at_least = x, at_most = y              a bound (either or both) on the metric itself
//     proportion = { equals = p, tolerance = t }   the metric lies in [p - t, p + t]
//   Selectors match case_record.parameters (values are globs, `*` and `?`; the pseudo keys `id`,
//   `scenario` and `status` match the case's own fields): `baseline = {route = "sync"}` and
//   `candidate = {route = "async"}` for ratio/reduction, `cases = {...}` (or `candidate`) for the
//   others, where `cases` also narrows both sides of a ratio/reduction; no selector selects every
//   non-skipped case of the scenario.
//   Options: percentile (0-100, for latency_ms; default 50), statistic ("mean", "median" or "pNN",
//   for per-case metrics), confidence (default 0.95; the scenario loader allows it only with
//   [claims] error_control = "none", family.hpp sets the level otherwise), resamples (default
//   2000), min_samples (per-case metrics: at least 8 cases per side, the fewest a percentile
//   bootstrap is judged on, so min_samples can only raise it; latency: default 10 uploads),
//   as_measured = true (a per-case value is taken as the runner computed it, averaged over the
//   cases, without an interval: for values that are themselves test results), note (free text).
//
// Metrics (unit of sampling in brackets):
//   per upload:  latency_ms [ok uploads], success_rate, error_rate, timeout_rate, fallback_rate,
//                integrity_rate [ok uploads], rollout_share [uploads of cases with a `stage`
//                parameter; share whose ledger route is "async"]
//   per case:    throughput_bytes_per_s, uploads_per_s (default statistic: mean),
//                peak_rss_bytes, cpu_seconds, any name in case_record.values (default: median)
//   proportions: case_pass_rate [cases: passed / non-skipped]; a named value V whose case also
//                has V.n is a proportion of V.n trials (successes = round(V * V.n), summed)
//   tests:       bucket_uniformity = p-value of chi-square uniformity over the values
//                bucket_count.0 .. bucket_count.<k-1> summed over the cases (use at_least)
//
// Verdicts, with [lo, hi] the confidence interval of the measured quantity and [min, max] the
// claimed range (open sides allowed): verified when min <= lo and hi <= max; refuted when hi < min
// or lo > max (the whole interval outside: a "5-10x" claim measured at [12, 15]x is refuted, the
// claimed range is wrong); inconclusive otherwise or with too few samples (samples_needed
// estimates the sample size per group that would decide, and the explanation names the scenario
// change that brings it: "add repeat = N to [scenario]" for per-case metrics, "raise uploads to N
// in [matrix]" for per-upload ones); error for no matching cases or a bad metric;
// unverifiable when the claim says so. Intervals: Wilson for proportions, MOVER-R for ratios of
// proportions, order statistics for one percentile, seeded percentile bootstrap for ratios of
// percentiles/means/medians and for per-case statistics.

#include <toml++/toml.h>

#include <boost/json/value.hpp>
#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rollproof/common/diagnostic.hpp"
#include "rollproof/reports/run_record.hpp"

namespace rollproof::claims {

// The claimed relation between the measurement and numbers.
enum class relation_kind { none, ratio, reduction, bound, proportion };

// A parsed [[claim]] table (see the header comment for the keys and their meaning).
struct claim_spec {
  std::string id;
  std::string text;
  std::string source;
  std::string scenario;  // set by the loader: the scenario the claim belongs to (may be empty)
  std::string metric;
  std::optional<double> percentile;  // 0-100, for latency_ms
  std::string statistic;             // "", "mean", "median", "pNN"
  std::map<std::string, std::string> baseline;
  std::map<std::string, std::string> candidate;
  std::map<std::string, std::string> cases;
  relation_kind relation = relation_kind::none;
  std::optional<double> min;        // ratio/reduction/bound: lower end of the claimed range
  std::optional<double> max;        // upper end
  std::optional<double> equals;     // proportion
  std::optional<double> tolerance;  // proportion
  std::string unverifiable;         // non-empty: the reason no measurement can check the claim
  double confidence = 0.95;
  unsigned resamples = 2000;
  unsigned min_samples = 0;  // 0: the metric's default
  bool as_measured = false;
  std::string note;                  // free text shown with the claim (workload, caveats)
  rollproof::source_position where;  // position of the [[claim]] table
};

// Parses one [[claim]] table; every problem as file:line:col (toml++ source regions), all at once.
[[nodiscard]] std::expected<claim_spec, rollproof::diagnostics> parse_claim(const toml::table& t,
                                                                            std::string_view file);

// Judges a claim against the measured cases; never throws; verdict error with a reason on misuse.
[[nodiscard]] rollproof::reports::claim_record evaluate(
    const claim_spec& spec, std::span<const rollproof::reports::case_record> cases,
    std::uint64_t seed);

// A selector of a claim that picks none of the cases: `key` is "baseline", "candidate" or "cases",
// `reason` the error evaluate gives for it ("no case matches the baseline selector {...}").
struct unmatched_selector {
  std::string key;
  std::string reason;
};

// The first selector of `spec` that selects none of `cases` (the selection evaluate makes), or
// nullopt when every side selects at least one case.
[[nodiscard]] std::optional<unmatched_selector> find_unmatched_selector(
    const claim_spec& spec, std::span<const rollproof::reports::case_record> cases);

// The metric names the engine knows besides the cases' named values (latency_ms, success_rate...).
[[nodiscard]] const std::vector<std::string>& builtin_metric_names();

// The claimed relation in words, e.g. "ratio in [5, 10]", ">= 0.999", "0.1 +- 0.01".
[[nodiscard]] std::string describe_expected(const claim_spec& spec);

// The spec as JSON (every field; round-trips through claim_from_json).
[[nodiscard]] boost::json::value to_json(const claim_spec& spec);

// Reads what to_json wrote, or says which field is wrong.
[[nodiscard]] std::expected<claim_spec, std::string> claim_from_json(const boost::json::value& v);

// The cases a comparative (ratio or reduction) claim compares, as indices into `cases`: those its
// baseline and its candidate selector pick (`cases` narrowing both, as evaluate does). Both are
// empty for a claim that compares nothing (bound, proportion, unverifiable).
struct claim_arms {
  std::vector<std::size_t> baseline;
  std::vector<std::size_t> candidate;
};
[[nodiscard]] claim_arms arms_of(const claim_spec& spec,
                                 std::span<const rollproof::reports::case_record> cases);

}  // namespace rollproof::claims
