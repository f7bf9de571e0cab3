#include "run_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <span>

#include "rollproof/stats/percentile.hpp"

namespace rollproof::reports::detail {
namespace {

// The case check's value of `name` (e.g. "latency_p95_ms") when it recorded one, so that a report
// shows the figure the check judged; else the same statistic over the same samples.
double checked_or(const case_record& c, const std::string& name, std::span<const double> latencies,
                  double p) {
  const auto it = c.values.find(name);
  return it != c.values.end() ? it->second : *stats::percentile(latencies, p);
}

}  // namespace

case_aggregates aggregate(const case_record& c) {
  case_aggregates a;
  std::vector<double> lat;
  for (const auto& u : c.uploads) {
    if (!in_own_phase(u)) continue;  // a stage's uploads after its rollback are not the stage's
    ++a.uploads;
    a.ok += u.ok ? 1 : 0;
    a.timeouts += u.timed_out ? 1 : 0;
    a.fallbacks += u.fallback ? 1 : 0;
    a.integrity_failures += u.integrity_ok ? 0 : 1;
    a.bytes += u.bytes;
    if (u.ok && std::isfinite(u.latency_ms)) lat.push_back(u.latency_ms);
  }
  if (lat.empty()) return a;
  a.latency_count = lat.size();
  a.latency_min = *stats::percentile(lat, 0);
  a.latency_max = *stats::percentile(lat, 1);
  a.latency_p50 = checked_or(c, "latency_p50_ms", lat, 0.5);
  a.latency_p90 = *stats::percentile(lat, 0.9);
  a.latency_p95 = checked_or(c, "latency_p95_ms", lat, 0.95);
  a.latency_p99 = checked_or(c, "latency_p99_ms", lat, 0.99);
  a.latency_mean = *stats::mean(lat);
  // Log-spaced bins cover latencies that span orders of magnitude (cache hits vs retries).
  constexpr int bins = 20;
  const double lo = std::max(a.latency_min, 1e-3);
  const double hi = std::max(a.latency_max, lo * 1.0001);
  for (int i = 0; i <= bins; ++i)
    a.histogram_edges_ms.push_back(lo * std::pow(hi / lo, static_cast<double>(i) / bins));
  a.histogram_counts.assign(bins, 0);
  for (const double v : lat) {
    const double pos = std::log(std::max(v, lo) / lo) / std::log(hi / lo) * bins;
    const auto bin = std::clamp(static_cast<int>(pos), 0, bins - 1);
    ++a.histogram_counts[static_cast<std::size_t>(bin)];
  }
  return a;
}

run_totals totals(const run_record& run) {
  run_totals t;
  for (const auto& c : run.cases) {
    switch (c.status) {
      case case_status::passed:
        ++t.passed;
        break;
      case case_status::failed:
        ++t.failed;
        break;
      case case_status::error:
        ++t.errors;
        break;
      case case_status::skipped:
        ++t.skipped;
        break;
    }
  }
  for (const auto& c : run.claims) {
    switch (c.result) {
      case verdict::verified:
        ++t.verified;
        break;
      case verdict::refuted:
        ++t.refuted;
        break;
      case verdict::inconclusive:
        ++t.inconclusive;
        break;
      case verdict::error:
        ++t.claim_errors;
        break;
      case verdict::unverifiable:
        ++t.unverifiable;
        break;
    }
  }
  return t;
}

std::vector<std::string> scenario_names(const run_record& run) {
  std::vector<std::string> out;
  auto add = [&](const std::string& n) {
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  };
  for (const auto& s : run.scenarios)
    add(s.name);
  for (const auto& c : run.cases)
    add(c.scenario);
  for (const auto& c : run.claims)
    add(c.scenario);
  return out;
}

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v) || v < 0) v = 0;
  return fmt::format("{:.{}f}", v, decimals);
}

std::string short_number(double v) {
  if (std::isnan(v)) return "-";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{:.4g}", v);
}

case_figures figures_of(const case_record& c, const case_aggregates& a) {
  const auto latency = [&](double v) { return a.latency_count ? short_number(v) : "-"; };
  return {latency(a.latency_p50), latency(a.latency_p95), latency(a.latency_p99),
          c.wall_seconds > 0 ? short_number(c.throughput_bytes_per_s / 1e6) : "-",
          c.peak_rss_bytes ? short_number(static_cast<double>(*c.peak_rss_bytes) / 1048576) : "-"};
}

std::string error_control_text(const run_record& run) {
  const auto& e = run.error_control;
  if (e.method != "holm" && e.method != "bh")
    return "Error control: none; each claim's interval is at its own level, with no adjustment "
           "for the number of claims.";
  return fmt::format(
      "Error control: {} over {} claims at alpha {}: each interval is at its adjusted level, its "
      "raw {}% interval is in evidence.json (measured.raw_interval).",
      e.method == "holm" ? "Holm (family-wise error rate)"
                         : "Benjamini-Hochberg (false discovery rate)",
      e.family_size, short_number(e.alpha), short_number((1 - e.alpha) * 100));
}

std::string measured_text(const claim_record& c) {
  if (!c.measured.value) return "-";
  std::string s = short_number(*c.measured.value);
  if (c.measured.ci)
    s += fmt::format(" [{}, {}]", short_number(c.measured.ci->low),
                     short_number(c.measured.ci->high));
  return s;
}

}  // namespace rollproof::reports::detail
