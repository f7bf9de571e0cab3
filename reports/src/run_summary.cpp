#include "run_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace rollproof::reports::detail {
namespace {

double type7(const std::vector<double>& sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
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
  std::sort(lat.begin(), lat.end());
  a.latency_count = lat.size();
  a.latency_min = lat.front();
  a.latency_max = lat.back();
  a.latency_p50 = type7(lat, 0.5);
  a.latency_p90 = type7(lat, 0.9);
  a.latency_p99 = type7(lat, 0.99);
  a.latency_mean = std::accumulate(lat.begin(), lat.end(), 0.0) / static_cast<double>(lat.size());
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

std::string measured_text(const claim_record& c) {
  if (!c.measured.value) return "-";
  std::string s = short_number(*c.measured.value);
  if (c.measured.ci)
    s += fmt::format(" [{}, {}]", short_number(c.measured.ci->low),
                     short_number(c.measured.ci->high));
  return s;
}

}  // namespace rollproof::reports::detail
