#include "html_charts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>

#include "banner.hpp"
#include "rollproof/stats/clopper_pearson.hpp"
#include "run_summary.hpp"
#include "svg.hpp"
#include "xml_text.hpp"

namespace rollproof::reports::detail {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double share_confidence = 0.999;  // the rollout_share check's interval

std::string h(std::string_view s) {
  return escape(s, false);
}

std::optional<double> parse_number(const std::string& s) {
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// The route a case ran on ("all" when the scenario does not vary it).
std::string route_of(const case_record& c) {
  const auto it = c.parameters.find("route");
  return it == c.parameters.end() ? "all" : it->second;
}

// The fault profile a case ran under ("none" when the scenario names none).
std::string profile_of(const case_record& c) {
  const auto it = c.parameters.find("faults");
  return it == c.parameters.end() ? "none" : it->second;
}

// A case's label without its scenario: the scenario is the chart's heading already.
std::string case_label(const case_record& c) {
  const auto slash = c.id.find('/');
  return slash == std::string::npos ? c.id : c.id.substr(slash + 1);
}

std::vector<legend_entry> route_keys(const std::vector<const case_record*>& cases) {
  std::set<std::string> routes;
  for (const auto* c : cases)
    routes.insert(route_of(*c));
  std::vector<legend_entry> keys;
  for (const auto& r : routes)
    keys.push_back({"route " + r, route_colour(r), "box"});
  return keys;
}

std::string latency_charts(const std::string& scenario,
                           const std::vector<const case_record*>& cases) {
  // profile -> route -> latencies of successful own-phase uploads
  std::map<std::string, std::map<std::string, std::vector<double>>> by_profile;
  double x_max = 0;
  for (const auto* c : cases)
    for (const auto& u : c->uploads)
      if (u.ok && in_own_phase(u) && std::isfinite(u.latency_ms)) {
        by_profile[profile_of(*c)][route_of(*c)].push_back(u.latency_ms);
        x_max = std::max(x_max, u.latency_ms);
      }
  std::string s;
  for (auto& [profile, by_route] : by_profile) {
    std::vector<series> lines;
    for (auto& [route, v] : by_route) {
      std::sort(v.begin(), v.end());
      series l{
          fmt::format("route {} (n = {} ok uploads)", route, v.size()), route_colour(route), {}};
      // At most ~400 steps per line keeps the page small for runs with 100k uploads.
      const std::size_t stride = std::max<std::size_t>(1, v.size() / 400);
      for (std::size_t k = 0; k < v.size(); k += stride)
        l.points.emplace_back(v[k], static_cast<double>(k + 1) / static_cast<double>(v.size()));
      l.points.emplace_back(v.back(), 1.0);
      lines.push_back(std::move(l));
    }
    // One x axis for every profile of the scenario, so the profiles compare at a glance.
    s += line_chart("latency-ecdf",
                    fmt::format("{}: latency ECDF by route, fault profile {}", scenario, profile),
                    "latency ms (successful uploads)", "share of uploads", lines,
                    by_profile.size() > 1 ? x_max : 0);
  }
  return s;
}

std::string per_case_bars(const std::string& kind, const std::string& title,
                          const std::string& unit, const std::vector<const case_record*>& cases,
                          const std::function<std::optional<double>(const case_record&)>& value) {
  std::vector<bar> bars;
  std::vector<const case_record*> shown;
  for (const auto* c : cases)
    if (const auto v = value(*c)) {
      bars.push_back({case_label(*c), *v, route_colour(route_of(*c)), {}, {}});
      shown.push_back(c);
    }
  if (bars.empty()) return {};
  if (bars.size() > 60) {
    // Too many rows to read: the mean per route instead.
    std::map<std::string, std::pair<double, int>> sums;
    for (const auto* c : shown) {
      sums[route_of(*c)].first += *value(*c);
      ++sums[route_of(*c)].second;
    }
    bars.clear();
    for (const auto& [route, sn] : sums)
      bars.push_back({fmt::format("route {} (mean of {} cases)", route, sn.second),
                      sn.first / sn.second,
                      route_colour(route),
                      {},
                      {}});
  }
  return bar_table(kind, title, unit, bars, route_keys(shown));
}

std::string bucket_charts(const std::vector<const case_record*>& cases) {
  std::string s;
  for (const auto* c : cases) {
    std::vector<double> counts;
    for (std::size_t i = 0;; ++i) {
      const auto it = c->values.find("bucket_count." + std::to_string(i));
      if (it == c->values.end()) break;
      counts.push_back(it->second);
    }
    if (counts.size() < 2) continue;
    double total = 0;
    for (const double v : counts)
      total += v;
    const double k = static_cast<double>(counts.size());
    const double expected = total / k;
    // Binomial 95% band of one bucket's count under uniformity.
    const double sd = std::sqrt(total * (1 / k) * (1 - 1 / k));
    std::vector<bar> bars;
    for (std::size_t i = 0; i < counts.size(); ++i)
      bars.push_back({std::to_string(i), counts[i], route_colour("all"), {}, {}});
    s += bar_chart("bucket-histogram", c->id + ": users per bucket", "users", bars,
                   band{std::max(0.0, expected - 1.96 * sd), expected + 1.96 * sd,
                        "expected count under uniformity, 95% band"});
  }
  return s;
}

std::string stage_chart(const std::string& scenario, const std::vector<const case_record*>& cases) {
  // The shares the stage's checks measured (rollout_share over the stage's own users,
  // rollback_left_async over the users after a rollback), not a recount: (stage percent,
  // rolled-back percent or -1 for the stage itself) -> async users, users.
  std::map<std::pair<double, double>, std::pair<std::uint64_t, std::uint64_t>> by_phase;
  std::map<double, double> rolled_back;  // stage percent -> the percent it rolled back to
  const auto add_phase = [&](const case_record& c, double stage, double to, const char* name) {
    const auto share = c.values.find(name);
    const auto n = c.values.find(std::string(name) + ".n");
    if (share == c.values.end() || n == c.values.end()) return;
    auto& [async, total] = by_phase[{stage, to}];
    async += static_cast<std::uint64_t>(std::llround(share->second * n->second));
    total += static_cast<std::uint64_t>(std::llround(n->second));
  };
  for (const auto* c : cases) {
    const auto it = c->parameters.find("stage");
    if (it == c->parameters.end()) continue;
    const auto stage = parse_number(it->second);
    if (!stage) continue;
    add_phase(*c, *stage, -1, "rollout_share");
    if (const auto to = c->values.find("rollback.to_percent"); to != c->values.end()) {
      rolled_back[*stage] = to->second;
      add_phase(*c, *stage, to->second, "rollback_left_async");
    }
  }
  std::vector<range_row> rows;
  for (const auto& [phase, at] : by_phase) {
    if (at.second == 0) continue;
    const auto [stage, to] = phase;
    const double target = (to < 0 ? stage : to) / 100;
    const double share = static_cast<double>(at.first) / static_cast<double>(at.second);
    const auto ci = stats::clopper_pearson_interval(at.first, at.second, share_confidence);
    const auto [lo, hi] = accepted_shares(target, at.second);
    range_row r;
    r.label = to < 0 ? fmt::format("stage {}% (n = {} users)", short_number(stage), at.second)
                     : fmt::format("stage {}% after its rollback to {}% (n = {} users)",
                                   short_number(stage), short_number(to), at.second);
    r.value = share, r.low = ci.low, r.high = ci.high;
    r.range_low = lo, r.range_high = hi, r.target = target;
    r.colour = route_colour("async");
    r.rollback = to >= 0;
    r.note = fmt::format("measured {} [{}, {}]; target {}, accepted [{}, {}]", short_number(share),
                         short_number(ci.low), short_number(ci.high), short_number(target),
                         short_number(lo), short_number(hi));
    if (to < 0 && rolled_back.contains(stage))
      r.note +=
          fmt::format("; gates tripped: rolled back to {}%", short_number(rolled_back[stage]));
    rows.push_back(std::move(r));
  }
  if (rows.empty()) return {};
  return range_table(
      "rollout-stages",
      scenario + ": share of users starting on the async route, per stage (99.9% exact interval)",
      rows,
      {{"target share", "#d62728", "dash"},
       {"shares the check accepts at this n", "#2ca02c", "band"},
       {"measured share with its 99.9% interval", route_colour("async"), "tick"},
       {"after a rollback", "#b42318", "rollback"}});
}

std::string verdict_colour(verdict v) {
  switch (v) {
    case verdict::verified:
      return "#1a7f37";
    case verdict::refuted:
      return "#b42318";
    case verdict::inconclusive:
      return "#9a6700";
    case verdict::error:
      return "#9a3412";
    case verdict::unverifiable:
      return "#555555";
  }
  return "#555555";
}

// The claimed [min, max] from the claim's spec; an absent side is unbounded.
std::pair<double, double> claimed_range(const claim_record& c) {
  boost::system::error_code ec;
  const auto spec = boost::json::parse(c.spec_json, ec);
  if (ec || !spec.is_object()) return {-inf, inf};
  const auto side = [&](const char* key, double none) {
    const auto* v = spec.as_object().if_contains(key);
    return v != nullptr && v->is_number() ? v->to_number<double>() : none;
  };
  return {side("min", -inf), side("max", inf)};
}

}  // namespace

std::pair<double, double> accepted_shares(double target, std::uint64_t n) {
  if (n == 0 || target <= 0 || target >= 1) return {target, target};
  const auto contains = [&](std::uint64_t k) {
    const auto ci = stats::clopper_pearson_interval(k, n, share_confidence);
    return std::pair{ci.high >= target, ci.low <= target};
  };
  // Both ends of the interval grow with k: binary search the first k whose high reaches the
  // target and the last whose low stays under it.
  std::uint64_t a = 0, b = n;
  while (a < b) {
    const auto m = a + (b - a) / 2;
    contains(m).first ? b = m : a = m + 1;
  }
  const std::uint64_t k_lo = a;
  a = 0, b = n;
  while (a < b) {
    const auto m = a + (b - a + 1) / 2;
    contains(m).second ? a = m : b = m - 1;
  }
  const double dn = static_cast<double>(n);
  return {static_cast<double>(k_lo) / dn, static_cast<double>(a) / dn};
}

std::string claim_ranges(const run_record& run) {
  std::vector<range_row> rows;
  for (const auto& c : run.claims) {
    if (!c.measured.value) continue;
    range_row r;
    r.label = c.id + " (" + to_string(c.result) + ")";
    r.value = c.measured.value;
    if (c.measured.ci) r.low = c.measured.ci->low, r.high = c.measured.ci->high;
    std::tie(r.range_low, r.range_high) = claimed_range(c);
    r.colour = verdict_colour(c.result);
    r.note = fmt::format("measured {}; claimed {}", measured_text(c), c.expected);
    rows.push_back(std::move(r));
  }
  if (rows.empty()) return {};
  return range_table(
      "claim-ranges", "Each claim's measured interval against its claimed range", rows,
      {{"claimed range", "#2ca02c", "band"},
       {"measured value with its interval, in the verdict's colour", "#222222", "tick"}});
}

std::string charts_section(const run_record& run) {
  std::string s = "<h2 id=\"charts\">Charts</h2>\n";
  bool any = false;
  for (const auto& name : scenario_names(run)) {
    std::vector<const case_record*> cases;
    for (const auto& c : run.cases)
      if (c.scenario == name) cases.push_back(&c);
    if (cases.empty()) continue;
    std::string charts = latency_charts(name, cases);
    charts += per_case_bars("throughput", name + ": throughput per case", "MB/s", cases,
                            [](const case_record& c) -> std::optional<double> {
                              if (c.wall_seconds <= 0) return std::nullopt;
                              return c.throughput_bytes_per_s / 1e6;
                            });
    charts += per_case_bars("memory", name + ": subject peak RSS per case (lower is better)", "MiB",
                            cases, [](const case_record& c) -> std::optional<double> {
                              if (!c.peak_rss_bytes) return std::nullopt;
                              return static_cast<double>(*c.peak_rss_bytes) / 1048576;
                            });
    bool faulted = false;
    for (const auto* c : cases) {
      const auto it = c->values.find("faults_injected");
      faulted = faulted || (it != c->values.end() && it->second > 0);
    }
    if (faulted)
      charts += per_case_bars("faults", name + ": faults the mocks injected per case", "faults",
                              cases, [](const case_record& c) -> std::optional<double> {
                                const auto it = c.values.find("faults_injected");
                                if (it == c.values.end()) return std::nullopt;
                                return it->second;
                              });
    charts += bucket_charts(cases);
    charts += stage_chart(name, cases);
    if (charts.empty()) continue;
    any = true;
    s += fmt::format("<h3 id=\"charts-{}\">{}</h3>\n{}", escape(name, true), h(name), charts);
  }
  return any ? s : s + "<p>No measurements to chart.</p>\n";
}

}  // namespace rollproof::reports::detail
