#include "rollproof/reports/html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>

#include "provenance_rows.hpp"
#include "rollproof/stats/clopper_pearson.hpp"
#include "run_summary.hpp"
#include "svg.hpp"
#include "xml_text.hpp"

namespace rollproof::reports {
namespace {

using detail::escape;

std::string h(std::string_view s) {
  return escape(s, false);
}

constexpr const char* style =
    R"(body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
table{border-collapse:collapse;margin:1em 0;font-size:90%}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}.verified{background:#e6f4ea}.refuted{background:#fde7e9}.inconclusive{background:#fff7e0}
.error{background:#fbe3d6}.unverifiable{background:#eef}.passed{color:#1a7f37}.failed,.error-status{color:#b42318}
svg.chart{background:#fff;border:1px solid #ddd;margin:.5em 0}svg .axis{stroke:#444}svg .grid{stroke:#eee}
svg .tick{font-size:11px;fill:#444}svg .unit{font-size:12px;fill:#444}svg .title{font-size:14px;font-weight:bold;fill:#222}
svg .band{fill:#2ca02c;fill-opacity:.15}svg .whisker{stroke:#000;stroke-width:1.5}svg .expected{stroke:#d62728;stroke-width:2;stroke-dasharray:4 2}
figure{margin:0}figcaption{font-size:85%;color:#555}code{background:#f4f4f4;padding:0 3px})";

std::optional<double> parse_number(const std::string& s) {
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string claims_section(const run_record& run) {
  std::string s = "<h2 id=\"claims\">Claims</h2>\n";
  if (run.claims.empty()) return s + "<p>No claims were checked.</p>\n";
  s += "<p>" + h(detail::error_control_text(run)) + "</p>\n";
  s += "<table><thead><tr><th>id</th><th>verdict</th><th>measured [CI]</th><th>expected</th>"
       "<th>n</th><th>explanation</th><th>text and source</th></tr></thead><tbody>\n";
  for (const auto& c : run.claims) {
    std::string explanation = c.explanation;
    if (c.samples_needed && c.explanation.find("samples") == std::string::npos)
      explanation += fmt::format(" Samples needed: about {}.", *c.samples_needed);
    s += fmt::format(
        "<tr "
        "class=\"{}\"><td><code>{}</code></td><td><strong>{}</strong></td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}<br/><small>{}</small></td><td>&#8220;{}&#8221;<br/><small>{}</small>"
        "</td></tr>\n",
        to_string(c.result), h(c.id), to_string(c.result), h(detail::measured_text(c)),
        h(c.expected), c.measured.n, h(explanation), h(c.measured.method), h(c.text), h(c.source));
  }
  return s + "</tbody></table>\n";
}

std::string cases_section(const run_record& run) {
  std::string s = "<h2 id=\"cases\">Cases</h2>\n";
  if (run.cases.empty()) return s + "<p>No cases ran.</p>\n";
  s += "<table><thead><tr><th>case</th><th>status</th><th>uploads ok</th><th>p50 ms</th>"
       "<th>p95 ms</th><th>p99 ms</th><th>throughput MB/s</th><th>peak RSS "
       "MiB</th><th>checks</th></tr></thead>"
       "<tbody>\n";
  for (const auto& c : run.cases) {
    const auto a = detail::aggregate(c);
    std::string checks;
    for (const auto& ch : c.checks) {
      if (ch.not_run)
        checks += fmt::format("&#8211; {}: not checked, {}<br/>", h(ch.name), h(ch.measured));
      else
        checks +=
            fmt::format("{} {}: expected {}, measured {}<br/>", ch.passed ? "&#10003;" : "&#10007;",
                        h(ch.name), h(ch.expected), h(ch.measured));
    }
    if (!c.message.empty()) checks += h(c.message);
    s += fmt::format(
        "<tr><td><code>{}</code></td><td class=\"{}\">{}</td><td>{}/{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        h(c.id), c.status == case_status::error ? "error-status" : to_string(c.status),
        to_string(c.status), a.ok, a.uploads,
        a.latency_count ? detail::short_number(a.latency_p50) : "-",
        a.latency_count ? detail::short_number(a.latency_p95) : "-",
        a.latency_count ? detail::short_number(a.latency_p99) : "-",
        c.wall_seconds > 0 ? detail::short_number(c.throughput_bytes_per_s / 1e6) : "-",
        c.peak_rss_bytes ? detail::short_number(static_cast<double>(*c.peak_rss_bytes) / 1048576)
                         : "-",
        checks);
  }
  return s + "</tbody></table>\n";
}

// The route a case ran on ("all" when the scenario does not vary it).
std::string route_of(const case_record& c) {
  const auto it = c.parameters.find("route");
  return it == c.parameters.end() ? "all" : it->second;
}

std::string latency_chart(const std::string& scenario,
                          const std::vector<const case_record*>& cases) {
  std::map<std::string, std::vector<double>> by_route;
  for (const auto* c : cases)
    for (const auto& u : c->uploads)
      if (u.ok && in_own_phase(u) && std::isfinite(u.latency_ms))
        by_route[route_of(*c)].push_back(u.latency_ms);
  if (by_route.empty()) return {};
  std::vector<detail::series> lines;
  std::size_t i = 0;
  for (auto& [route, v] : by_route) {
    std::sort(v.begin(), v.end());
    detail::series l{fmt::format("route {} (n = {})", route, v.size()), detail::palette(i++), {}};
    // At most ~400 steps per line keeps the page small for runs with 100k uploads.
    const std::size_t stride = std::max<std::size_t>(1, v.size() / 400);
    for (std::size_t k = 0; k < v.size(); k += stride)
      l.points.emplace_back(v[k], static_cast<double>(k + 1) / static_cast<double>(v.size()));
    l.points.emplace_back(v.back(), 1.0);
    lines.push_back(std::move(l));
  }
  return detail::line_chart("latency-ecdf", scenario + ": latency distribution by route (ECDF)",
                            "latency ms (successful uploads)", "share of uploads", lines);
}

std::string per_case_bars(const std::string& kind, const std::string& title,
                          const std::string& unit, const std::vector<const case_record*>& cases,
                          const std::function<std::optional<double>(const case_record&)>& value) {
  std::map<std::string, std::size_t> colour_of;
  std::vector<detail::bar> bars;
  for (const auto* c : cases) {
    const auto v = value(*c);
    if (!v) continue;
    const auto [it, _] = colour_of.emplace(route_of(*c), colour_of.size());
    bars.push_back({c->id.substr(c->id.find('/') == std::string::npos ? 0 : c->id.find('/') + 1),
                    *v,
                    detail::palette(it->second),
                    {},
                    {}});
  }
  if (bars.empty()) return {};
  if (bars.size() > 40) {
    // Too many cases to label: show the mean per route instead.
    std::map<std::string, std::pair<double, int>> sums;
    for (const auto* c : cases)
      if (const auto v = value(*c)) {
        sums[route_of(*c)].first += *v;
        ++sums[route_of(*c)].second;
      }
    bars.clear();
    for (const auto& [route, sn] : sums)
      bars.push_back({fmt::format("route {} (mean of {})", route, sn.second),
                      sn.first / sn.second,
                      detail::palette(colour_of[route]),
                      {},
                      {}});
  }
  return detail::bar_chart(kind, title, unit, bars);
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
    std::vector<detail::bar> bars;
    for (std::size_t i = 0; i < counts.size(); ++i)
      bars.push_back({std::to_string(i), counts[i], detail::palette(0), {}, {}});
    s += detail::bar_chart("bucket-histogram", c->id + ": users per bucket", "users", bars,
                           detail::band{std::max(0.0, expected - 1.96 * sd), expected + 1.96 * sd,
                                        "expected count under uniformity, 95% band"});
  }
  return s;
}

std::string stage_chart(const std::string& scenario, const std::vector<const case_record*>& cases) {
  // The shares the stage's checks measured (rollout_share over the stage's own users,
  // rollback_left_async over the users after a rollback), not a recount: (stage percent,
  // rolled-back percent or -1 for the stage itself) -> async users, users.
  std::map<std::pair<double, double>, std::pair<std::uint64_t, std::uint64_t>> by_phase;
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
    if (const auto to = c->values.find("rollback.to_percent"); to != c->values.end())
      add_phase(*c, *stage, to->second, "rollback_left_async");
  }
  std::vector<detail::estimate_point> points;
  for (const auto& [phase, at] : by_phase) {
    if (at.second == 0) continue;
    const auto [stage, to] = phase;
    // The interval the share checks judge by.
    const auto ci = stats::clopper_pearson_interval(at.first, at.second, 0.999);
    const std::string label =
        to < 0 ? fmt::format("{}% (n = {} users)", detail::short_number(stage), at.second)
               : fmt::format("{}% rolled back to {}% (n = {} users)", detail::short_number(stage),
                             detail::short_number(to), at.second);
    points.push_back({label, static_cast<double>(at.first) / static_cast<double>(at.second), ci.low,
                      ci.high, (to < 0 ? stage : to) / 100});
  }
  if (points.empty()) return {};
  return detail::interval_chart(
      "rollout-stages",
      scenario + ": share of users starting on the async route, per stage (99.9% exact interval)",
      "share of users (ledger)", points);
}

std::string charts_section(const run_record& run) {
  std::string s = "<h2 id=\"charts\">Charts</h2>\n";
  bool any = false;
  for (const auto& name : detail::scenario_names(run)) {
    std::vector<const case_record*> cases;
    for (const auto& c : run.cases)
      if (c.scenario == name) cases.push_back(&c);
    if (cases.empty()) continue;
    std::string charts = latency_chart(name, cases);
    charts += per_case_bars("throughput", name + ": throughput per case", "MB/s", cases,
                            [](const case_record& c) -> std::optional<double> {
                              if (c.wall_seconds <= 0) return std::nullopt;
                              return c.throughput_bytes_per_s / 1e6;
                            });
    charts += per_case_bars("memory", name + ": subject peak RSS per case", "MiB", cases,
                            [](const case_record& c) -> std::optional<double> {
                              if (!c.peak_rss_bytes) return std::nullopt;
                              return static_cast<double>(*c.peak_rss_bytes) / 1048576;
                            });
    charts += bucket_charts(cases);
    charts += stage_chart(name, cases);
    if (charts.empty()) continue;
    any = true;
    s += fmt::format("<h3>{}</h3>\n{}", h(name), charts);
  }
  return any ? s : s + "<p>No measurements to chart.</p>\n";
}

std::string provenance_section(const run_record& run) {
  std::string s = "<h2 id=\"provenance\">Provenance</h2>\n<table><tbody>\n";
  for (const auto& [label, text] : detail::provenance_rows(run))
    s += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", h(label), h(text));
  return s + "</tbody></table>\n";
}

}  // namespace

std::string render_html(const run_record& run) {
  const detail::run_totals t = detail::totals(run);
  std::string body = fmt::format(
      "<h1>rollproof report</h1>\n{}<p>Claims: {} verified, {} refuted, {} inconclusive, {} error, "
      "{} unverifiable. Cases: {} passed, {} failed, {} error, {} skipped.{}</p>\n",
      is_partial(run) ? fmt::format("<p class=\"partial\"><strong>PARTIAL RESULT: {}.</strong> "
                                    "Cases and claims cover only the shards given.</p>\n",
                                    h(detail::missing_shards_text(run)))
                      : std::string(),
      t.verified, t.refuted, t.inconclusive, t.claim_errors, t.unverifiable, t.passed, t.failed,
      t.errors, t.skipped,
      run.aborted ? h(" The run was aborted (" + run.abort_reason + ").") : "");
  body += claims_section(run) + charts_section(run) + cases_section(run) + provenance_section(run);
  body += R"(<h2 id="legend">Legend</h2>
<p><strong>verified</strong>: the confidence interval lies wholly inside the claimed range (a "5-10x"
claim needs the whole interval of candidate/baseline inside [5, 10]). <strong>refuted</strong>: the
interval lies wholly outside (below, or above: an exceeded range is wrong too).
<strong>inconclusive</strong>: the interval straddles a bound, or too few samples; the samples needed
are estimated. <strong>error</strong>: the claim could not be judged. <strong>unverifiable</strong>: no
measurement can check it. Intervals: Wilson (proportions), MOVER-R (ratios of proportions), binomial
order statistics (one percentile), seeded percentile bootstrap (ratios of percentiles, medians, means).
Every percentile (case checks, rollback gates, claims, this page) is R's type 7, quantile(x, type = 7).</p>
)";
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<title>rollproof report "
      "{}</title>\n<style>{}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
      h(run.prov.git.describe), style, body);
}

}  // namespace rollproof::reports
