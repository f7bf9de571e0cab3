#include <fmt/format.h>

#include <boost/json.hpp>
#include <cmath>
#include <limits>

#include "estimate.hpp"
#include "rollproof/claims/claim.hpp"
#include "selection.hpp"

namespace rollproof::claims {
namespace {

using rollproof::reports::claim_record;
using rollproof::reports::verdict;
constexpr double inf = std::numeric_limits<double>::infinity();

std::string num(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{:.4g}", v);
}

std::string selector_text(const detail::selector& s) {
  std::string out = "{";
  for (const auto& [k, v] : s)
    out += fmt::format("{}{} = \"{}\"", out.size() > 1 ? ", " : "", k, v);
  return out + "}";
}

std::string range_text(const claim_spec& spec) {
  if (spec.min && spec.max) return fmt::format("[{}, {}]", num(*spec.min), num(*spec.max));
  if (spec.min) return fmt::format(">= {}", num(*spec.min));
  if (spec.max) return fmt::format("<= {}", num(*spec.max));
  return "(no range)";
}

// The side of a selection that is empty, with the reason a claim cannot be judged for it.
std::optional<unmatched_selector> unmatched_side(const claim_spec& spec,
                                                 const detail::sides& selected) {
  if (selected.comparative && selected.baseline.empty())
    return unmatched_selector{
        "baseline", "no case matches the baseline selector " + selector_text(spec.baseline)};
  if (!selected.candidate.empty()) return std::nullopt;
  const bool by_cases = !selected.comparative && !spec.cases.empty();
  return unmatched_selector{
      by_cases ? "cases" : "candidate",
      "no case matches the selector " + selector_text(by_cases ? spec.cases : spec.candidate)};
}

claim_record error_record(claim_record r, std::string reason) {
  r.result = verdict::error;
  r.reason = std::move(reason);
  r.explanation = "The claim could not be judged: " + r.reason + ".";
  return r;
}

// Estimated sample size per group at which an interval of today's width, shrinking as 1/sqrt(n),
// would clear the nearest bound of the claimed range; nullopt when the estimate sits on a bound.
std::optional<std::uint64_t> scaled_samples_needed(const claim_spec& spec, double value, double low,
                                                   double high, std::uint64_t n) {
  if (!std::isfinite(low) || !std::isfinite(high) || n == 0) return std::nullopt;
  double d = inf;
  if (spec.min) d = std::min(d, std::abs(value - *spec.min));
  if (spec.max) d = std::min(d, std::abs(value - *spec.max));
  if (!(d > 0) || std::isinf(d)) return std::nullopt;
  const double half = std::max(value - low, high - value);
  const double needed = std::ceil(static_cast<double>(n) * (half / d) * (half / d));
  if (!(needed < 1e12)) return std::nullopt;
  return std::max<std::uint64_t>(n + 1, static_cast<std::uint64_t>(needed));
}

// ": <the scenario change>" that would bring `needed` samples per group, or nothing.
std::string fix_text(const detail::estimate& e, std::uint64_t needed) {
  const std::string fix = detail::scenario_fix(e, needed);
  return fix.empty() ? std::string() : ": " + fix;
}

}  // namespace

std::optional<unmatched_selector> find_unmatched_selector(
    const claim_spec& spec, std::span<const rollproof::reports::case_record> cases) {
  return unmatched_side(spec, detail::select_sides(spec, cases));
}

const std::vector<std::string>& builtin_metric_names() {
  return detail::builtin_metrics();
}

std::string describe_expected(const claim_spec& spec) {
  switch (spec.relation) {
    case relation_kind::ratio:
      return "candidate/baseline ratio " + range_text(spec);
    case relation_kind::reduction:
      return "reduction (1 - candidate/baseline) " + range_text(spec);
    case relation_kind::bound:
      return range_text(spec);
    case relation_kind::proportion:
      return fmt::format("{} +- {} ({})", num(spec.equals.value_or(0)),
                         num(spec.tolerance.value_or(0)), range_text(spec));
    case relation_kind::none:
      break;
  }
  return spec.unverifiable.empty() ? "(no relation)" : "not measurable";
}

claim_record evaluate(const claim_spec& spec,
                      std::span<const rollproof::reports::case_record> cases, std::uint64_t seed) {
  claim_record r;
  r.id = spec.id;
  r.text = spec.text;
  r.source = spec.source;
  r.scenario = spec.scenario;
  r.metric = spec.metric;
  r.expected = describe_expected(spec);
  r.seed = seed;
  try {
    r.spec_json = boost::json::serialize(to_json(spec));
    if (!spec.unverifiable.empty()) {
      r.result = verdict::unverifiable;
      r.reason = spec.unverifiable;
      r.explanation = "No measurement can check this claim: " + spec.unverifiable;
      if (!r.explanation.ends_with('.')) r.explanation += '.';
      return r;
    }
    if (spec.relation == relation_kind::none || (!spec.min && !spec.max))
      return error_record(std::move(r), "the claim states no relation to check");

    auto selected = detail::select_sides(spec, cases);
    if (const auto unmatched = unmatched_side(spec, selected))
      return error_record(std::move(r), unmatched->reason);
    detail::estimate_input in{spec, seed, selected.comparative, std::move(selected.baseline),
                              std::move(selected.candidate)};

    auto est = detail::estimate_claim(in);
    if (!est) return error_record(std::move(r), est.error());
    detail::estimate e = *est;
    if (spec.relation == relation_kind::reduction && e.value) {
      const double lo = e.low, hi = e.high;
      e.value = 1 - *e.value;
      e.low = 1 - hi;
      e.high = 1 - lo;
    }
    r.measured.n = e.n;
    r.measured.method = e.method;
    if (e.value) r.measured.value = e.value;
    if (e.value && e.interval_known)
      r.measured.ci = rollproof::reports::interval{e.low, e.high, spec.confidence};

    const std::string what = e.quantity;
    if (!e.value || !e.enough) {
      r.result = verdict::inconclusive;
      r.samples_needed = e.samples_needed;
      r.reason = e.why_undecided;
      r.explanation = fmt::format(
          "Inconclusive: {}{}.", e.why_undecided,
          e.samples_needed ? fmt::format("; about {} samples per group would be needed{}",
                                         *e.samples_needed, fix_text(e, *e.samples_needed))
                           : std::string());
      return r;
    }
    const double lo = e.low, hi = e.high;
    const double min = spec.min.value_or(-inf), max = spec.max.value_or(inf);
    const std::string measured =
        e.interval_known
            ? fmt::format("{} measured {} ({}% CI [{}, {}], n = {})", what, num(*e.value),
                          num(spec.confidence * 100), num(lo), num(hi), e.n)
            : fmt::format("{} measured {} (no interval, n = {})", what, num(*e.value), e.n);
    if (lo >= min && hi <= max) {
      r.result = verdict::verified;
      r.explanation = fmt::format("{} lies inside the claimed {}.", measured, r.expected);
    } else if (hi < min || lo > max) {
      r.result = verdict::refuted;
      r.explanation = fmt::format("{} lies entirely {} the claimed {}.", measured,
                                  hi < min ? "below" : "above", r.expected);
    } else {
      r.result = verdict::inconclusive;
      r.samples_needed = e.proportion_needed
                             ? e.proportion_needed
                             : scaled_samples_needed(spec, *e.value, lo, hi, e.n_per_group);
      r.explanation = fmt::format(
          "{} straddles a bound of the claimed {}{}.", measured, r.expected,
          r.samples_needed ? fmt::format("; about {} samples per group would settle it{}",
                                         *r.samples_needed, fix_text(e, *r.samples_needed))
                           : std::string("; the estimate sits on the bound"));
    }
    return r;
  } catch (const std::exception& ex) {
    return error_record(std::move(r), std::string("internal error: ") + ex.what());
  }
}

}  // namespace rollproof::claims
