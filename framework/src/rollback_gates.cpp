#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "json_number.hpp"
#include "rollout_checks.hpp"
#include "rollproof/stats/percentile.hpp"

namespace rollproof::framework::detail {
namespace {

struct first_attempt {
  std::string route;
  std::int64_t status = 0;
};

}  // namespace

std::string gate_analysis::describe() const {
  return fmt::format(
      "{} successful, {} failed, {} inconclusive, {} error measurement(s) (longest error run {}){}",
      successful, failed, inconclusive, errors, worst_error_run,
      first_failure.empty() ? std::string() : "; first failure: " + first_failure);
}

gate_analysis analyse_gates(const rollback_spec& rb,
                            const std::vector<reports::upload_sample>& samples, std::size_t count,
                            const boost::json::array& ledger) {
  std::map<std::string, first_attempt> first;
  for (const auto& v : ledger) {
    if (!v.is_object()) continue;
    const auto& e = v.as_object();
    if (text_of(e, "method") != "POST" || !text_of(e, "path").ends_with("/files")) continue;
    const auto* status = e.if_contains("status");
    first.emplace(text_of(e, "request_id"),
                  first_attempt{text_of(e, "route"), detail::integer_or(status, 0)});
  }
  gate_analysis out;
  std::uint32_t error_run = 0;
  count = std::min(count, samples.size());
  for (std::size_t from = 0; from < count; from += rb.window) {
    const std::size_t to = std::min(count, from + rb.window);
    std::uint64_t seen = 0, async = 0, async_failed = 0, timeouts = 0;
    std::vector<double> latencies;
    for (std::size_t i = from; i < to; ++i) {
      const auto& s = samples[i];
      timeouts += s.timed_out ? 1 : 0;
      const auto it = first.find(s.request_id);
      if (it == first.end()) continue;
      ++seen;
      if (it->second.route != "async") continue;
      ++async;
      async_failed += it->second.status != 200 ? 1 : 0;
      if (s.ok) latencies.push_back(s.latency_ms);
    }
    // A window the server saw nothing of cannot be measured: Argo's "error" measurement.
    if (seen == 0 && timeouts == 0) {
      ++out.errors;
      out.worst_error_run = std::max(out.worst_error_run, ++error_run);
      continue;
    }
    error_run = 0;
    const double n = static_cast<double>(to - from);
    std::string failure;
    if (rb.timeout_rate_at_most && static_cast<double>(timeouts) / n > *rb.timeout_rate_at_most)
      failure = fmt::format("timeout_rate {:.4f} > {}", timeouts / n, *rb.timeout_rate_at_most);
    if (failure.empty() && async < rb.min_samples) {
      ++out.inconclusive;
      continue;
    }
    const double error_rate = static_cast<double>(async_failed) / static_cast<double>(async);
    if (failure.empty() && rb.error_rate_at_most && error_rate > *rb.error_rate_at_most)
      failure = fmt::format("error_rate {:.4f} > {} (async route, n={})", error_rate,
                            *rb.error_rate_at_most, async);
    if (failure.empty() && rb.latency_p95_ms_at_most && !latencies.empty()) {
      const double p95 = *stats::percentile(latencies, 0.95);
      if (p95 > *rb.latency_p95_ms_at_most)
        failure = fmt::format("latency_p95_ms {:.1f} > {}", p95, *rb.latency_p95_ms_at_most);
    }
    if (failure.empty()) {
      ++out.successful;
    } else {
      ++out.failed;
      if (out.first_failure.empty())
        out.first_failure = fmt::format("uploads {}..{}: {}", from, to - 1, failure);
    }
  }
  out.tripped = out.failed > rb.failure_limit || out.inconclusive > rb.inconclusive_limit ||
                out.worst_error_run > rb.consecutive_error_limit;
  return out;
}

double rollback_target(const scenario& sc, double percent) {
  if (!sc.rollback || sc.rollback->to == "zero") return 0;
  double previous = 0;
  for (const auto& st : sc.matrix.stages) {
    if (st.percent >= percent) break;
    previous = st.percent;
  }
  return previous;
}

}  // namespace rollproof::framework::detail
