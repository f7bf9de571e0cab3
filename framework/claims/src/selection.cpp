#include "selection.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cmath>

namespace rollproof::claims::detail {
namespace {

using rollproof::reports::case_record;
using rollproof::reports::case_status;

bool glob(const std::string& pattern, const std::string& text) {
  return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

bool is_upload_proportion(const std::string& m) {
  return m == "success_rate" || m == "error_rate" || m == "timeout_rate" || m == "fallback_rate" ||
         m == "integrity_rate" || m == "rollout_share";
}

bool is_case_field(const std::string& m) {
  return m == "throughput_bytes_per_s" || m == "uploads_per_s" || m == "peak_rss_bytes" ||
         m == "cpu_seconds";
}

}  // namespace

const std::vector<std::string>& builtin_metrics() {
  static const std::vector<std::string> names = {
      "latency_ms",       "success_rate",   "error_rate",    "timeout_rate",
      "fallback_rate",    "integrity_rate", "rollout_share", "throughput_bytes_per_s",
      "uploads_per_s",    "peak_rss_bytes", "cpu_seconds",   "case_pass_rate",
      "bucket_uniformity"};
  return names;
}

bool matches(const selector& s, const case_record& c) {
  for (const auto& [key, pattern] : s) {
    std::string value;
    if (key == "id") {
      value = c.id;
    } else if (key == "scenario") {
      value = c.scenario;
    } else if (key == "status") {
      value = rollproof::reports::to_string(c.status);
    } else {
      const auto it = c.parameters.find(key);
      if (it == c.parameters.end()) return false;
      value = it->second;
    }
    if (!glob(pattern, value)) return false;
  }
  return true;
}

std::vector<const case_record*> select(std::span<const case_record> cases,
                                       const std::string& scenario, const selector& s) {
  std::vector<const case_record*> out;
  const bool by_status = s.contains("status");
  for (const auto& c : cases) {
    if (!scenario.empty() && !c.scenario.empty() && c.scenario != scenario) continue;
    if (!by_status && c.status == case_status::skipped) continue;
    if (matches(s, c)) out.push_back(&c);
  }
  return out;
}

sides select_sides(const claim_spec& spec, std::span<const case_record> cases) {
  sides out;
  out.comparative =
      spec.relation == relation_kind::ratio || spec.relation == relation_kind::reduction;
  if (out.comparative) {
    selector base = spec.baseline, cand = spec.candidate;
    base.insert(spec.cases.begin(), spec.cases.end());
    cand.insert(spec.cases.begin(), spec.cases.end());
    out.baseline = select(cases, spec.scenario, base);
    out.candidate = select(cases, spec.scenario, cand);
  } else {
    out.candidate = select(cases, spec.scenario, !spec.cases.empty() ? spec.cases : spec.candidate);
  }
  return out;
}

metric_kind kind_of(const std::string& metric, const std::vector<const case_record*>& cases) {
  if (metric == "latency_ms") return metric_kind::upload_latency;
  if (is_upload_proportion(metric)) return metric_kind::upload_proportion;
  if (is_case_field(metric)) return metric_kind::case_value;
  if (metric == "case_pass_rate") return metric_kind::case_proportion;
  if (metric == "bucket_uniformity") return metric_kind::bucket_uniformity;
  bool any = false, trials = false;
  for (const auto* c : cases) {
    if (c->values.contains(metric)) any = true;
    if (c->values.contains(metric + ".n")) trials = true;
  }
  if (trials) return metric_kind::value_proportion;
  if (any) return metric_kind::case_value;
  return metric_kind::unknown;
}

counts count(const std::string& metric, metric_kind kind,
             const std::vector<const case_record*>& cases) {
  counts n;
  if (kind == metric_kind::case_proportion) {
    for (const auto* c : cases) {
      ++n.trials;
      if (c->status == case_status::passed) ++n.successes;
    }
    return n;
  }
  if (kind == metric_kind::value_proportion) {
    for (const auto* c : cases) {
      const auto v = c->values.find(metric);
      const auto t = c->values.find(metric + ".n");
      if (v == c->values.end() || t == c->values.end() || !(t->second > 0)) continue;
      const auto trials = static_cast<std::uint64_t>(std::llround(t->second));
      n.trials += trials;
      n.successes += std::min(
          trials,
          static_cast<std::uint64_t>(std::llround(std::clamp(v->second, 0.0, 1.0) * t->second)));
    }
    return n;
  }
  for (const auto* c : cases) {
    if (metric == "rollout_share") {
      // Over the stage's own distinct users, as the case's rollout_share check counts them.
      if (!c->parameters.contains("stage")) continue;
      const auto share = reports::async_share_of_users(c->uploads, reports::upload_phase::stage);
      n.trials += share.users;
      n.successes += share.async;
      continue;
    }
    for (const auto& u : c->uploads) {
      if (!reports::in_own_phase(u)) continue;  // sent after a rollback: not the stage's
      if (!reports::is_known(u)) continue;      // its case lost the ledger that would judge it
      if (metric == "success_rate") {
        ++n.trials;
        n.successes += u.ok ? 1 : 0;
      } else if (metric == "error_rate") {
        ++n.trials;
        n.successes += u.ok ? 0 : 1;
      } else if (metric == "timeout_rate") {
        ++n.trials;
        n.successes += u.timed_out ? 1 : 0;
      } else if (metric == "fallback_rate") {
        ++n.trials;
        n.successes += u.fallback ? 1 : 0;
      } else if (metric == "integrity_rate") {
        if (!u.ok) continue;
        ++n.trials;
        n.successes += u.integrity_ok ? 1 : 0;
      }
    }
  }
  return n;
}

std::vector<double> sample(const std::string& metric, metric_kind kind,
                           const std::vector<const case_record*>& cases) {
  std::vector<double> out;
  for (const auto* c : cases) {
    if (kind == metric_kind::upload_latency) {
      for (const auto& u : c->uploads)
        if (u.ok && reports::in_own_phase(u) && reports::is_known(u)) out.push_back(u.latency_ms);
    } else if (metric == "throughput_bytes_per_s") {
      if (c->wall_seconds > 0) out.push_back(c->throughput_bytes_per_s);
    } else if (metric == "uploads_per_s") {
      if (c->wall_seconds > 0) out.push_back(c->uploads_per_s);
    } else if (metric == "peak_rss_bytes") {
      if (c->peak_rss_bytes) out.push_back(static_cast<double>(*c->peak_rss_bytes));
    } else if (metric == "cpu_seconds") {
      if (c->cpu_seconds) out.push_back(*c->cpu_seconds);
    } else if (const auto v = c->values.find(metric); v != c->values.end()) {
      out.push_back(v->second);
    }
  }
  std::erase_if(out, [](double v) { return !std::isfinite(v); });
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::uint64_t> bucket_counts(const std::vector<const case_record*>& cases) {
  std::vector<std::uint64_t> out;
  for (const auto* c : cases) {
    for (std::size_t i = 0;; ++i) {
      const auto v = c->values.find("bucket_count." + std::to_string(i));
      if (v == c->values.end()) break;
      if (out.size() <= i) out.resize(i + 1, 0);
      out[i] += static_cast<std::uint64_t>(std::llround(std::max(0.0, v->second)));
    }
  }
  return out;
}

}  // namespace rollproof::claims::detail

namespace rollproof::claims {

claim_arms arms_of(const claim_spec& spec, std::span<const rollproof::reports::case_record> cases) {
  claim_arms arms;
  if (!spec.unverifiable.empty()) return arms;
  const detail::sides sides = detail::select_sides(spec, cases);
  if (!sides.comparative) return arms;
  const auto indices = [&](const std::vector<const rollproof::reports::case_record*>& side) {
    std::vector<std::size_t> out;
    for (const auto* c : side)
      out.push_back(static_cast<std::size_t>(c - cases.data()));
    return out;
  };
  arms.baseline = indices(sides.baseline);
  arms.candidate = indices(sides.candidate);
  return arms;
}

}  // namespace rollproof::claims
