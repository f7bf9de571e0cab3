#include "rollback_gates.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <utility>

#include "json_number.hpp"
#include "rollout_checks.hpp"
#include "rollproof/stats/percentile.hpp"

namespace rollproof::framework::detail {
namespace {

struct first_attempt {
  std::string route;
  std::int64_t status = 0;
};

// The first attempt of every upload the server saw, by request id.
std::map<std::string, first_attempt> first_attempts(const boost::json::array& ledger) {
  std::map<std::string, first_attempt> first;
  for (const auto& v : ledger) {
    if (!v.is_object()) continue;
    const auto& e = v.as_object();
    if (text_of(e, "method") != "POST" || !text_of(e, "path").ends_with("/files")) continue;
    const auto* status = e.if_contains("status");
    first.emplace(text_of(e, "request_id"),
                  first_attempt{text_of(e, "route"), detail::integer_or(status, 0)});
  }
  return first;
}

std::string interval_text(const stats::interval& ci) {
  return fmt::format("[{:.4f}, {:.4f}]", ci.low, ci.high);
}

// Today's rule (method = "windows"): one point estimate per window against each bound.
gate_analysis analyse_windows(const rollback_spec& rb,
                              const std::vector<reports::upload_sample>& samples, std::size_t count,
                              const boost::json::array& ledger) {
  const auto first = first_attempts(ledger);
  gate_analysis out;
  out.method = "windows";
  std::uint32_t error_run = 0;
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

// The method = "sequential" rule: every completed upload, in completion order, one look each.
gate_analysis analyse_sequentially(const rollback_spec& rb, double alpha,
                                   const std::vector<reports::upload_sample>& samples,
                                   std::size_t count, const boost::json::array& ledger) {
  const auto first = first_attempts(ledger);
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  const auto done_at = [&](std::size_t i) {
    return samples[i].start_s + samples[i].latency_ms / 1000;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return done_at(a) < done_at(b); });
  sequential_gates gates(rb, alpha);
  for (const std::size_t i : order) {
    const auto& s = samples[i];
    gate_observation o{.ok = s.ok, .latency_ms = s.latency_ms, .timed_out = s.timed_out};
    if (const auto it = first.find(s.request_id); it != first.end()) {
      o.seen = true;
      o.async = it->second.route == "async";
      o.failed = it->second.status != 200;
    }
    gates.add(o);
    if (gates.look()) break;
  }
  auto out = gates.result(rb.on_inconclusive);
  out.observed = count;  // the stage's uploads, though the gates stopped at the decision
  return out;
}

const char* verdict_text(stats::bound_verdict v) {
  switch (v) {
    case stats::bound_verdict::above:
      return "crossed";
    case stats::bound_verdict::below:
      return "holds";
    case stats::bound_verdict::undecided:
      break;
  }
  return "undecided";
}

// The Beta(1, 1) mixture of each arm of the comparative gate (Robbins 1970): its rates are not
// known in advance, so the mixing distribution favours none.
constexpr stats::beta_prior arm_prior{1, 1};

// What the difference's sequence says of p_c - p_b against `margin`, with the arms' counts.
stats::bound_verdict judge_difference(double margin, double arm_alpha, double ce, double cn,
                                      double be, double bn) {
  if (cn == 0 || bn == 0) return stats::bound_verdict::undecided;
  const auto c = stats::bernoulli_confidence_sequence(
      static_cast<std::uint64_t>(ce), static_cast<std::uint64_t>(cn), arm_alpha, arm_prior);
  const auto b = stats::bernoulli_confidence_sequence(
      static_cast<std::uint64_t>(be), static_cast<std::uint64_t>(bn), arm_alpha, arm_prior);
  if (c.low - b.high > margin) return stats::bound_verdict::above;
  if (c.high - b.low <= margin) return stats::bound_verdict::below;
  return stats::bound_verdict::undecided;
}

}  // namespace

std::string gate_analysis::describe() const {
  if (method == "sequential")
    return fmt::format("{} after {} of {} upload(s): {}{}",
                       undecided ? "inconclusive" : (tripped ? "bound crossed" : "bounds hold"),
                       undecided ? observed : decided_after, observed, detail,
                       !undecided       ? std::string()
                       : uploads_needed ? fmt::format("; about {} more upload(s) at this "
                                                      "stage's rates would decide",
                                                      *uploads_needed)
                                        : std::string("; no number of uploads at these "
                                                      "rates would decide"));
  return fmt::format(
      "{} successful, {} failed, {} inconclusive, {} error measurement(s) (longest error run {}){}",
      successful, failed, inconclusive, errors, worst_error_run,
      first_failure.empty() ? std::string() : "; first failure: " + first_failure);
}

sequential_gates::sequential_gates(const rollback_spec& rb, double alpha) {
  const int count = (rb.error_rate_at_most ? 1 : 0) + (rb.latency_p95_ms_at_most ? 1 : 0) +
                    (rb.timeout_rate_at_most ? 1 : 0) +
                    (rb.error_rate_over_baseline_at_most ? 1 : 0);
  const double each = alpha / std::max(count, 1);
  if (rb.error_rate_at_most)
    gates_.push_back({kind::error_rate, "error_rate",
                      stats::bernoulli_bound_monitor(*rb.error_rate_at_most, each)});
  if (rb.latency_p95_ms_at_most) {
    // p95 <= L exactly when P(latency > L) <= 0.05.
    latency_bound_ms_ = *rb.latency_p95_ms_at_most;
    gates_.push_back({kind::latency, "latency_p95_ms", stats::bernoulli_bound_monitor(0.05, each)});
  }
  if (rb.timeout_rate_at_most)
    gates_.push_back({kind::timeout, "timeout_rate",
                      stats::bernoulli_bound_monitor(*rb.timeout_rate_at_most, each)});
  if (rb.error_rate_over_baseline_at_most)
    comparative_ =
        comparative_gate{.margin = *rb.error_rate_over_baseline_at_most, .arm_alpha = each / 2};
}

void sequential_gates::add(const gate_observation& o) {
  if (decided_) return;
  ++taken_;
  for (auto& g : gates_) {
    bool counts = false, event = false;
    if (g.what == kind::error_rate) {
      counts = o.seen && o.async, event = o.failed;
    } else if (g.what == kind::latency) {
      counts = o.seen && o.async && o.ok, event = o.latency_ms > *latency_bound_ms_;
    } else {
      counts = true, event = o.timed_out;
    }
    g.pending_n += counts ? 1 : 0;
    g.pending_events += counts && event ? 1 : 0;
  }
  if (comparative_ && o.seen) {
    auto& c = *comparative_;
    (o.async ? c.pending_cn : c.pending_bn) += 1;
    (o.async ? c.pending_ce : c.pending_be) += o.failed ? 1 : 0;
  }
}

bool sequential_gates::look() {
  if (decided_) return true;
  bool all_hold = !gates_.empty() || comparative_.has_value();
  if (comparative_) {
    auto& c = *comparative_;
    c.canary_n += std::exchange(c.pending_cn, 0);
    c.canary_events += std::exchange(c.pending_ce, 0);
    c.baseline_n += std::exchange(c.pending_bn, 0);
    c.baseline_events += std::exchange(c.pending_be, 0);
    if (c.verdict == stats::bound_verdict::undecided)
      c.verdict =
          judge_difference(c.margin, c.arm_alpha, static_cast<double>(c.canary_events),
                           static_cast<double>(c.canary_n), static_cast<double>(c.baseline_events),
                           static_cast<double>(c.baseline_n));
    tripped_ = tripped_ || c.verdict == stats::bound_verdict::above;
    all_hold = c.verdict == stats::bound_verdict::below;
  }
  for (auto& g : gates_) {
    const auto v = g.monitor.add(g.pending_events, g.pending_n);
    g.pending_n = g.pending_events = 0;
    tripped_ = tripped_ || v == stats::bound_verdict::above;
    all_hold = all_hold && v == stats::bound_verdict::below;
  }
  decided_ = tripped_ || all_hold;
  if (decided_) decided_after_ = taken_;
  return decided_;
}

gate_analysis sequential_gates::result(const std::string& on_inconclusive) const {
  gate_analysis out;
  out.undecided = !decided_;
  out.tripped = tripped_ || (out.undecided && on_inconclusive == "rollback");
  out.decided_after = decided_after_;
  out.observed = taken_;
  std::optional<std::uint64_t> to_trip, to_hold;
  bool all_can_hold = true;
  for (const auto& g : gates_) {
    const auto& m = g.monitor;
    const std::string bound = g.what == kind::latency
                                  ? fmt::format("P(latency > {} ms) <= 0.05", *latency_bound_ms_)
                                  : fmt::format("<= {}", m.bound());
    out.detail += fmt::format("{}{} {:.4f} {} n={} ({}, {:.4g}% time-uniform) {}",
                              out.detail.empty() ? "" : "; ", g.name, m.estimate(),
                              interval_text(m.sequence()), m.n(), bound, 100 * (1 - m.alpha()),
                              verdict_text(m.verdict()));
    if (!out.undecided || m.verdict() != stats::bound_verdict::undecided) continue;
    // A gate's observations are a share of the uploads (async ones, ok async ones): scale.
    const auto more = m.more_needed();
    std::optional<std::uint64_t> uploads;
    if (more && m.n() > 0)
      uploads = static_cast<std::uint64_t>(std::ceil(
          static_cast<double>(*more) * static_cast<double>(taken_) / static_cast<double>(m.n())));
    if (m.estimate() > m.bound()) {
      if (uploads) to_trip = std::min(to_trip.value_or(*uploads), *uploads);
    } else {
      all_can_hold = all_can_hold && uploads.has_value();
      if (uploads) to_hold = std::max(to_hold.value_or(0), *uploads);
    }
  }
  if (comparative_) {
    const auto& c = *comparative_;
    const double cn = static_cast<double>(c.canary_n), bn = static_cast<double>(c.baseline_n);
    const double rc = cn > 0 ? c.canary_events / cn : 0, rb = bn > 0 ? c.baseline_events / bn : 0;
    const auto cs =
        stats::bernoulli_confidence_sequence(c.canary_events, c.canary_n, c.arm_alpha, arm_prior);
    const auto bs = stats::bernoulli_confidence_sequence(c.baseline_events, c.baseline_n,
                                                         c.arm_alpha, arm_prior);
    out.detail += fmt::format(
        "{}error_rate_over_baseline {:.4f} [{:.4f}, {:.4f}] (async {:.4f} {} n={}, sync {:.4f} "
        "{} n={}; <= {}, each route {:.4g}% time-uniform, union bound) {}",
        out.detail.empty() ? "" : "; ", rc - rb, cs.low - bs.high, cs.high - bs.low, rc,
        interval_text(cs), c.canary_n, rb, interval_text(bs), c.baseline_n, c.margin,
        100 * (1 - c.arm_alpha), verdict_text(c.verdict));
    if (out.undecided && c.verdict == stats::bound_verdict::undecided) {
      // Scale both routes by the same factor at their current rates until the sequence decides.
      std::optional<std::uint64_t> uploads;
      if (cn > 0 && bn > 0 && rc - rb != c.margin) {
        const auto decides = [&](double f) {
          return judge_difference(c.margin, c.arm_alpha, std::round(rc * cn * f),
                                  std::round(cn * f), std::round(rb * bn * f),
                                  std::round(bn * f)) != stats::bound_verdict::undecided;
        };
        double lo = 1, hi = 2;
        while (hi < 1e9 && !decides(hi))
          lo = hi, hi *= 2;
        if (hi < 1e9) {
          for (int i = 0; i < 40 && hi - lo > 1 / static_cast<double>(taken_); ++i) {
            const double mid = (lo + hi) / 2;
            (decides(mid) ? hi : lo) = mid;
          }
          uploads = static_cast<std::uint64_t>(std::ceil((hi - 1) * static_cast<double>(taken_)));
        }
      }
      if (rc - rb > c.margin) {
        if (uploads) to_trip = std::min(to_trip.value_or(*uploads), *uploads);
      } else {
        all_can_hold = all_can_hold && uploads.has_value();
        if (uploads) to_hold = std::max(to_hold.value_or(0), *uploads);
      }
    }
  }
  // At the current rates the stage decides when the first gate trips, or when the last holds.
  if (to_trip) {
    out.uploads_needed = to_trip;
  } else if (out.undecided && all_can_hold) {
    out.uploads_needed = to_hold;
  }
  return out;
}

double stage_alpha(const scenario& sc) {
  if (!sc.rollback) return 0;
  const auto gated = std::count_if(sc.matrix.stages.begin(), sc.matrix.stages.end(),
                                   [](const stage& st) { return st.percent > 0; });
  return sc.rollback->alpha / static_cast<double>(std::max<std::ptrdiff_t>(gated, 1));
}

gate_analysis analyse_gates(const rollback_spec& rb, double alpha,
                            const std::vector<reports::upload_sample>& samples, std::size_t count,
                            const boost::json::array& ledger) {
  count = std::min(count, samples.size());
  if (rb.method == "windows") return analyse_windows(rb, samples, count, ledger);
  return analyse_sequentially(rb, alpha, samples, count, ledger);
}

void add_rollback_checks(const rollback_spec& rb, const gate_analysis& gates, double to_percent,
                         reports::case_record& rec) {
  std::string expected;
  if (!rb.expect_rollback) {
    expected = "the gates hold (no rollback)";
  } else if (gates.method == "windows") {
    expected = fmt::format(
        "the gates trip (failure_limit {}, inconclusive_limit {}, consecutive_error_limit {}) "
        "and the stage rolls back",
        rb.failure_limit, rb.inconclusive_limit, rb.consecutive_error_limit);
  } else {
    expected = fmt::format(
        "a gate's time-uniform confidence sequence lies above its bound (alpha {} per stage){} "
        "and the stage rolls back",
        rb.alpha, rb.on_inconclusive == "rollback" ? ", or the stage ends undecided" : "");
  }
  if (gates.method == "windows") {
    rec.values["rollback.failed_measurements"] = gates.failed;
    rec.values["rollback.inconclusive_measurements"] = gates.inconclusive;
  } else {
    rec.values["rollback.inconclusive"] = gates.undecided ? 1 : 0;
    rec.values["rollback.decided_after"] = static_cast<double>(gates.decided_after);
    if (gates.uploads_needed)
      rec.values["rollback.uploads_needed"] = static_cast<double>(*gates.uploads_needed);
  }
  const std::string outcome =
      gates.tripped
          ? "tripped: "
          : (gates.undecided ? fmt::format("held (on_inconclusive = \"{}\"): ", rb.on_inconclusive)
                             : std::string("held: "));
  rec.checks.push_back({"rollback_triggered", gates.tripped == rb.expect_rollback, expected,
                        outcome + gates.describe()});
  if (!gates.tripped) return;
  std::uint64_t ok = 0, intact = 0, unknown = 0;
  for (const auto& s : rec.uploads) {
    if (!reports::is_known(s))
      ++unknown;
    else if (s.ok)
      ++ok, intact += s.integrity_ok ? 1 : 0;
  }
  rec.values["rollback.to_percent"] = to_percent;
  add_share_check(rec, "rollback_left_async", to_percent, reports::upload_phase::after_rollback,
                  fmt::format("after the rollback to {}%", to_percent));
  std::string measured = fmt::format("{}/{} intact (ledger sha256 and size)", intact, ok);
  // An unknown upload may have been lost or not: the check cannot be judged.
  if (unknown > 0) measured = fmt::format("not checked: {} uploads unknown; {}", unknown, measured);
  rec.checks.push_back({"rollback_no_loss", intact == ok && unknown == 0,
                        "every upload answered ok before or after the rollback is stored intact",
                        std::move(measured), unknown > 0});
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
