#include "estimate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "rollproof/common/repeat_limit.hpp"
#include "rollproof/stats/bootstrap.hpp"
#include "rollproof/stats/chi_square.hpp"
#include "rollproof/stats/kolmogorov_smirnov.hpp"
#include "rollproof/stats/mann_whitney.hpp"
#include "rollproof/stats/percentile.hpp"
#include "rollproof/stats/wilson.hpp"
#include "selection.hpp"

namespace rollproof::claims::detail {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

std::string num(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{:.4g}", v);
}

// A claim's bootstrap seed: the run's seed mixed with the claim id, so two claims over the same
// data do not share resamples, and a merged run re-derives the same stream.
std::uint64_t claim_seed(std::uint64_t seed, const std::string& id) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const unsigned char c : id)
    h = (h ^ c) * 1099511628211ULL;
  return seed ^ h;
}

// The statistic of a per-case metric: explicit, or mean for throughput, median otherwise.
struct statistic_choice {
  std::string name;
  stats::statistic fn;
  double p = 0.5;
};

statistic_choice choose_statistic(const claim_spec& spec) {
  std::string name = spec.statistic;
  if (name.empty())
    name = spec.metric == "throughput_bytes_per_s" || spec.metric == "uploads_per_s" ? "mean"
                                                                                     : "median";
  if (name == "mean") return {name, stats::mean_statistic(), 0};
  if (name == "median") return {name, stats::percentile_statistic(0.5), 0.5};
  const double p = std::stod(name.substr(1)) / 100;
  return {name, stats::percentile_statistic(p), p};
}

std::string quantity(const estimate_input& in, const std::string& stat) {
  const std::string base = stat.empty() ? in.spec.metric : stat + " " + in.spec.metric;
  switch (in.spec.relation) {
    case relation_kind::ratio:
      return "candidate/baseline ratio of " + base;
    case relation_kind::reduction:
      return "reduction of " + base;
    default:
      return base;
  }
}

// The largest value of parameter `key` over the cases (0 when none has it as a number).
std::uint64_t largest_parameter(const std::vector<const rollproof::reports::case_record*>& cases,
                                const std::string& key) {
  std::uint64_t out = 0;
  for (const auto* c : cases) {
    const auto it = c->parameters.find(key);
    if (it == c->parameters.end()) continue;
    try {
      out = std::max<std::uint64_t>(out, std::stoull(it->second));
    } catch (const std::exception&) {
    }
  }
  return out;
}

// Records what one sample is and what the smaller group's cases ran with.
void note_samples(estimate& e, sample_unit unit,
                  const std::vector<const rollproof::reports::case_record*>& smaller) {
  e.unit = unit;
  e.ran_repeat = std::max<std::uint64_t>(1, largest_parameter(smaller, "repeat"));
  e.ran_uploads = largest_parameter(smaller, "uploads");
  e.ran_users = largest_parameter(smaller, "users");
  e.ran_stages = std::any_of(smaller.begin(), smaller.end(),
                             [](const auto* c) { return c->parameters.contains("stage"); });
  if (e.ran_uploads == 0)
    for (const auto* c : smaller)
      e.ran_uploads = std::max<std::uint64_t>(e.ran_uploads, c->uploads.size());
}

// The fewest samples whose extremes bound the population p-quantile at `confidence` (the smallest
// n with max(p, 1 - p)^n <= (1 - confidence) / 2): below it no distribution-free interval exists,
// and a bootstrap of that percentile only resamples the sample's extremes.
std::uint64_t percentile_min_samples(double p, double confidence) {
  const double q = std::max(p, 1 - p);
  if (!(q < 1)) return std::numeric_limits<std::uint64_t>::max();
  return static_cast<std::uint64_t>(std::ceil(std::log((1 - confidence) / 2) / std::log(q)));
}

estimate too_few(estimate e, std::uint64_t have, std::uint64_t need, const std::string& what) {
  e.enough = false;
  e.why_undecided = fmt::format("only {} {} where at least {} are needed", have, what, need);
  e.samples_needed = need;
  return e;
}

std::expected<estimate, std::string> proportion(const estimate_input& in, metric_kind kind) {
  estimate e;
  e.quantity = quantity(in, "");
  const auto& spec = in.spec;
  const counts c = count(spec.metric, kind, in.candidate);
  // A stage's rollout share counts its distinct users, not its uploads.
  const sample_unit unit = kind == metric_kind::case_proportion ? sample_unit::cases
                           : spec.metric == "rollout_share"     ? sample_unit::users
                                                                : sample_unit::uploads;
  note_samples(e, unit, in.candidate);
  if (c.trials == 0)
    return std::unexpected(fmt::format("the selected cases have no trials for {}", spec.metric));
  // "16/16 tests passing" is a statement about exactly these cases, not a sample of a larger
  // population, so as_measured judges the exact count rather than a Wilson interval.
  if (!in.comparative && spec.as_measured && kind == metric_kind::case_proportion) {
    const double p = static_cast<double>(c.successes) / static_cast<double>(c.trials);
    e.value = p;
    e.low = e.high = p;
    e.interval_known = false;
    e.n = e.n_per_group = c.trials;
    e.method = fmt::format("exact count over the claimed cases ({} of {} passed, no interval)",
                           c.successes, c.trials);
    return e;
  }
  if (!in.comparative) {
    const double p = static_cast<double>(c.successes) / static_cast<double>(c.trials);
    const auto w = stats::wilson_interval(c.successes, c.trials, spec.confidence);
    e.value = p;
    e.low = w.low;
    e.high = w.high;
    e.n = e.n_per_group = c.trials;
    e.method = fmt::format("Wilson score interval ({} of {})", c.successes, c.trials);
    e.proportion_needed = stats::proportion_samples_needed(p, spec.min.value_or(-inf),
                                                           spec.max.value_or(inf), spec.confidence);
    return e;
  }
  const counts b = count(spec.metric, kind, in.baseline);
  if (b.trials == 0)
    return std::unexpected(fmt::format("the baseline cases have no trials for {}", spec.metric));
  e.n = b.trials + c.trials;
  e.n_per_group = std::min(b.trials, c.trials);
  if (b.trials < c.trials) note_samples(e, e.unit, in.baseline);
  e.method = fmt::format(
      "MOVER-R ratio of Wilson intervals (Donner & Zou 2012): candidate {} of "
      "{}, baseline {} of {}",
      c.successes, c.trials, b.successes, b.trials);
  const auto ci = stats::proportion_ratio_interval(c.successes, c.trials, b.successes, b.trials,
                                                   spec.confidence);
  if (!ci) {
    e.enough = false;
    e.why_undecided = fmt::format(
        "the baseline shows no {} events in {} trials, so the ratio is "
        "undefined",
        spec.metric, b.trials);
    return e;
  }
  e.value = (static_cast<double>(c.successes) / static_cast<double>(c.trials)) /
            (static_cast<double>(b.successes) / static_cast<double>(b.trials));
  e.low = ci->low;
  e.high = ci->high;
  return e;
}

std::expected<estimate, std::string> latency(const estimate_input& in) {
  const auto& spec = in.spec;
  const double pct = spec.percentile.value_or(50);
  const std::string stat = fmt::format("p{}", num(pct));
  estimate e;
  e.quantity = quantity(in, stat);
  const unsigned need = spec.min_samples ? spec.min_samples : 10;
  const auto c = sample(spec.metric, metric_kind::upload_latency, in.candidate);
  note_samples(e, sample_unit::uploads, in.candidate);
  if (!in.comparative) {
    e.n = e.n_per_group = c.size();
    e.method = fmt::format(
        "type-7 percentile, order-statistic interval (binomial, "
        "distribution-free) over {} successful uploads",
        c.size());
    if (c.size() < need) return too_few(e, c.size(), need, "successful uploads");
    e.value = *stats::percentile(c, pct / 100);
    const auto ci = stats::percentile_interval(c, pct / 100, spec.confidence);
    e.low = ci.low;
    e.high = ci.high;
    if (!std::isfinite(e.low) || !std::isfinite(e.high)) {
      const double q = std::max(pct / 100, 1 - pct / 100);
      const auto needed =
          static_cast<std::uint64_t>(std::ceil(std::log((1 - spec.confidence) / 2) / std::log(q)));
      return too_few(e, c.size(), std::max<std::uint64_t>(needed, c.size() + 1),
                     "uploads to bound this percentile");
    }
    return e;
  }
  const auto b = sample(spec.metric, metric_kind::upload_latency, in.baseline);
  e.n = b.size() + c.size();
  e.n_per_group = std::min(b.size(), c.size());
  if (b.size() < c.size()) note_samples(e, sample_unit::uploads, in.baseline);
  e.method = fmt::format("bootstrap ratio of {} ({} resamples, seed {}, percentile interval)", stat,
                         spec.resamples, in.seed);
  if (e.n_per_group < need) return too_few(e, e.n_per_group, need, "successful uploads per group");
  const std::uint64_t need_percentile = percentile_min_samples(pct / 100, spec.confidence);
  if (e.n_per_group < need_percentile)
    return too_few(e, e.n_per_group, need_percentile,
                   fmt::format("successful uploads per group to bound a {} at {}%", stat,
                               num(spec.confidence * 100)));
  const auto r =
      stats::bootstrap_ratio(b, c, stats::percentile_statistic(pct / 100), spec.resamples,
                             claim_seed(in.seed, spec.id), spec.confidence);
  if (!r) return std::unexpected("the baseline " + stat + " latency is 0; no ratio");
  e.value = r->estimate;
  e.low = r->ci.low;
  e.high = r->ci.high;
  if (const auto mw = stats::mann_whitney(c, b, spec.confidence))
    e.method += fmt::format("; Mann-Whitney two-sided p = {}, Hodges-Lehmann shift {} ms [{}, {}]",
                            num(mw->exact_p_value.value_or(mw->p_value)), num(mw->shift),
                            num(mw->shift_ci.low), num(mw->shift_ci.high));
  // A change of shape (a longer tail at the same median) shows in KS but not in a location test.
  if (const auto ks = stats::ks_two_sample(c, b))
    e.method += fmt::format("; Kolmogorov-Smirnov D = {}, p = {}", num(ks->d), num(ks->p_value));
  return e;
}

std::expected<estimate, std::string> per_case(const estimate_input& in) {
  const auto& spec = in.spec;
  const auto choice = choose_statistic(spec);
  estimate e;
  e.quantity = quantity(in, spec.as_measured ? "mean" : choice.name);
  // The bootstrap's own floor; min_samples can ask for more, never for less.
  const std::uint64_t need = std::max<std::uint64_t>(bootstrap_min_cases, spec.min_samples);
  const auto c = sample(spec.metric, metric_kind::case_value, in.candidate);
  if (c.empty()) return std::unexpected("no selected case has a value for " + spec.metric);
  std::vector<double> b;
  if (in.comparative) {
    b = sample(spec.metric, metric_kind::case_value, in.baseline);
    if (b.empty()) return std::unexpected("no baseline case has a value for " + spec.metric);
  }
  e.n = b.size() + c.size();
  e.n_per_group = in.comparative ? std::min(b.size(), c.size()) : c.size();
  note_samples(e, sample_unit::cases,
               in.comparative && b.size() < c.size() ? in.baseline : in.candidate);
  if (spec.as_measured) {
    e.interval_known = false;
    const double cm = *stats::mean(c);
    e.method = fmt::format("as measured by the runner (mean over {} cases, no interval)", e.n);
    if (!in.comparative) {
      e.value = cm;
    } else {
      const double bm = *stats::mean(b);
      if (bm == 0) return std::unexpected("the baseline mean of " + spec.metric + " is 0");
      e.value = cm / bm;
    }
    e.low = e.high = *e.value;
    return e;
  }
  const std::uint64_t seed = claim_seed(in.seed, spec.id);
  if (!in.comparative) {
    e.method = fmt::format("bootstrap of the {} over {} cases ({} resamples, seed {})", choice.name,
                           c.size(), spec.resamples, in.seed);
    if (c.size() < need) return too_few(e, c.size(), need, "cases for a percentile bootstrap");
    const auto r = stats::bootstrap(c, choice.fn, spec.resamples, seed, spec.confidence);
    if (!r) return std::unexpected("bootstrap failed for " + spec.metric);
    e.value = r->estimate;
    e.low = r->ci.low;
    e.high = r->ci.high;
    return e;
  }
  e.method = fmt::format(
      "bootstrap ratio of {}s over cases ({} vs {}; {} resamples, seed {}, "
      "percentile interval)",
      choice.name, c.size(), b.size(), spec.resamples, in.seed);
  if (e.n_per_group < need)
    return too_few(e, e.n_per_group, need, "cases per group for a percentile bootstrap");
  const auto r = stats::bootstrap_ratio(b, c, choice.fn, spec.resamples, seed, spec.confidence);
  if (!r) return std::unexpected("the baseline " + choice.name + " of " + spec.metric + " is 0");
  e.value = r->estimate;
  e.low = r->ci.low;
  e.high = r->ci.high;
  return e;
}

std::expected<estimate, std::string> uniformity(const estimate_input& in) {
  if (in.comparative)
    return std::unexpected("bucket_uniformity is a test result; use at_least, not a ratio");
  const auto counts_seen = bucket_counts(in.candidate);
  const auto r = stats::chi_square_goodness_of_fit(counts_seen);
  if (!r)
    return std::unexpected(
        "bucket_uniformity needs values bucket_count.0 .. bucket_count.<k-1> (k >= 2) with counts");
  estimate e;
  e.quantity = "chi-square uniformity p-value";
  e.value = r->p_value;
  e.low = e.high = r->p_value;
  e.interval_known = false;
  e.n = e.n_per_group = std::accumulate(counts_seen.begin(), counts_seen.end(), std::uint64_t{0});
  e.method = fmt::format(
      "Pearson chi-square goodness of fit to uniform over {} buckets "
      "(X2 = {}, df = {})",
      counts_seen.size(), num(r->statistic), num(r->df));
  // Cochran's rule: the chi-square approximation needs about 5 expected per bucket.
  const std::uint64_t need = 5 * counts_seen.size();
  if (e.n < need)
    return too_few(
        e, e.n, need,
        fmt::format("users over {} buckets (5 expected per bucket)", counts_seen.size()));
  return e;
}

}  // namespace

std::string scenario_fix(const estimate& e, std::uint64_t samples_needed) {
  if (e.n_per_group == 0 || samples_needed <= e.n_per_group) return {};
  // Samples grow in proportion to the setting: cells x repeats cases, cases x uploads uploads.
  auto scaled = [&](std::uint64_t setting) {
    const double v = std::ceil(static_cast<double>(samples_needed) * static_cast<double>(setting) /
                               static_cast<double>(e.n_per_group));
    return v < 1e18 ? std::max<std::uint64_t>(setting + 1, static_cast<std::uint64_t>(v))
                    : std::numeric_limits<std::uint64_t>::max();
  };
  switch (e.unit) {
    case sample_unit::cases: {
      const std::uint64_t repeat = scaled(e.ran_repeat);
      if (repeat > max_repeat)
        return fmt::format("repeat = {} would be needed, above the {} [scenario] allows", repeat,
                           max_repeat);
      return e.ran_repeat <= 1 ? fmt::format("add repeat = {} to [scenario]", repeat)
                               : fmt::format("raise repeat to {} in [scenario]", repeat);
    }
    case sample_unit::uploads:
      if (e.ran_uploads == 0) return {};
      return e.ran_stages ? fmt::format("raise the stage's uploads to {} in [matrix] stages",
                                        scaled(e.ran_uploads))
                          : fmt::format("raise uploads to {} in [matrix]", scaled(e.ran_uploads));
    case sample_unit::users:
      if (e.ran_users == 0) return {};
      // A stage spreads its uploads over its users, so both must grow for the users to count.
      return fmt::format("raise the stage's users and uploads to {} in [matrix] stages",
                         scaled(e.ran_users));
    case sample_unit::none:
      break;
  }
  return {};
}

std::expected<estimate, std::string> estimate_claim(const estimate_input& in) {
  std::vector<const rollproof::reports::case_record*> all = in.candidate;
  all.insert(all.end(), in.baseline.begin(), in.baseline.end());
  const metric_kind kind = kind_of(in.spec.metric, all);
  switch (kind) {
    case metric_kind::upload_proportion:
    case metric_kind::case_proportion:
    case metric_kind::value_proportion:
      return proportion(in, kind);
    case metric_kind::upload_latency:
      return latency(in);
    case metric_kind::case_value:
      return per_case(in);
    case metric_kind::bucket_uniformity:
      return uniformity(in);
    case metric_kind::unknown:
      break;
  }
  std::string known;
  for (const auto& m : builtin_metrics())
    known += (known.empty() ? "" : ", ") + m;
  return std::unexpected(
      fmt::format("unknown metric '{}': not one of {} and no selected case "
                  "has a value of that name",
                  in.spec.metric, known));
}

}  // namespace rollproof::claims::detail
