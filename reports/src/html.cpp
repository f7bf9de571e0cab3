#include "rollproof/reports/html.hpp"

#include <fmt/format.h>

#include "banner.hpp"
#include "html_charts.hpp"
#include "provenance_rows.hpp"
#include "run_summary.hpp"
#include "xml_text.hpp"

namespace rollproof::reports {
namespace {

using detail::escape;

std::string h(std::string_view s) {
  return escape(s, false);
}

constexpr const char* style =
    R"(body{font-family:system-ui,sans-serif;margin:0 auto;padding:1em 2em;color:#222;max-width:1200px;line-height:1.4}
h1{font-size:1.3em;margin:.2em 0}h2{margin-top:1.6em;border-bottom:1px solid #ddd}a{color:#0b5cad}
.banner{border-left:12px solid #888;padding:.6em 1.2em;margin:.5em 0 1.5em;border-radius:4px;background:#f4f4f4}
.banner.pass{background:#e6f4ea;border-color:#1a7f37}.banner.fail{background:#fde7e9;border-color:#b42318}
.banner.partial{background:#fff7e0;border-color:#9a6700}.outcome{font-size:2.2em;font-weight:bold;margin:0;letter-spacing:.05em}
.pass .outcome{color:#1a7f37}.fail .outcome{color:#b42318}.partial .outcome{color:#9a6700}.reasons{margin:.2em 0 .6em;font-size:110%}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:.5em 0}.facts dt{font-weight:bold}.facts dd{margin:0;overflow-wrap:anywhere}
.counts{margin:.3em 0}.counts .zero{color:#777}.counts a,.counts span{margin-right:.8em;white-space:nowrap}
.scroll{overflow-x:auto}table{border-collapse:collapse;margin:.6em 0;font-size:90%}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}tr.group th{background:#e8e8e8;font-size:105%}.verified{background:#e6f4ea}.refuted{background:#fde7e9}.inconclusive{background:#fff7e0}
.error{background:#fbe3d6}.unverifiable{background:#eef}.passed{color:#1a7f37}.failed,.error-status{color:#b42318;font-weight:bold}
figure{margin:1.2em 0;max-width:760px}figcaption.title{font-weight:bold;margin-bottom:.3em}
svg.chart{width:100%;height:auto;background:#fff;border:1px solid #ddd}svg .axis{stroke:#444}svg .grid{stroke:#eee}
svg .tick{font-size:13px;fill:#333}svg .unit{font-size:13px;fill:#333}svg .band{fill:#2ca02c;fill-opacity:.18}
svg .whisker{stroke:#000;stroke-width:1.5}svg .expected{stroke:#d62728;stroke-width:2;stroke-dasharray:4 2;vector-effect:non-scaling-stroke}
svg .range{fill:#2ca02c;fill-opacity:.25}svg line.ci{stroke-width:2.5;vector-effect:non-scaling-stroke}svg line.value{stroke-width:5;vector-effect:non-scaling-stroke}
.legend{margin:.3em 0;font-size:90%}.legend .key{display:inline-block;margin-right:1.2em;white-space:nowrap}.swatch{vertical-align:middle;margin-right:.35em}
table.bars,table.ranges{width:100%;font-size:85%}table.bars td,table.ranges td{border-width:0 0 1px 0;border-color:#eee}
table.bars td.label{overflow-wrap:anywhere;width:40%}td.num,th.num{text-align:right;white-space:nowrap}table.bars td.bar{width:50%;vertical-align:middle}
th.axis{display:flex;justify-content:space-between;font-weight:normal}table.ranges td.label{width:40%;overflow-wrap:anywhere}table.ranges td.strip{vertical-align:middle}
.scale{display:flex;justify-content:space-between;font-size:80%;color:#666}tr.rollback td{background:#fde7e9}
code{background:#f4f4f4;padding:0 3px;overflow-wrap:anywhere}td:first-child>code{white-space:nowrap}
@media (max-width:640px){body{padding:.5em .7em}.facts{grid-template-columns:1fr}.facts dd{margin-bottom:.3em}table{font-size:80%}
.outcome{font-size:1.8em}table.bars td.label,table.ranges td.label{width:45%}.legend .key{white-space:normal}}
@media print{body{max-width:none;padding:0;font-size:10pt}.banner,figure,tr{break-inside:avoid}h2,h3{break-after:avoid}
a{color:inherit;text-decoration:none}.scroll{overflow:visible}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}})";

// The verdicts and statuses in the order a release manager reads them: what failed first.
constexpr verdict verdict_order[] = {verdict::refuted, verdict::error, verdict::inconclusive,
                                     verdict::unverifiable, verdict::verified};
constexpr case_status status_order[] = {case_status::failed, case_status::error,
                                        case_status::skipped, case_status::passed};

const char* status_class(case_status s) {
  return s == case_status::error ? "error-status" : to_string(s);
}

// "1 refuted" linking to its group, or plain grey text for a count of 0.
std::string count_link(std::size_t n, const std::string& word, const std::string& anchor) {
  // The trailing space lets a narrow screen wrap between counts.
  if (n == 0) return fmt::format("<span class=\"zero\">0 {}</span> ", h(word));
  return fmt::format("<a href=\"#{}\">{} {}</a> ", anchor, n, h(word));
}

std::string banner_section(const run_record& run) {
  const detail::banner b = detail::banner_of(run);
  const char* cls = b.result == detail::outcome::pass   ? "pass"
                    : b.result == detail::outcome::fail ? "fail"
                                                        : "partial";
  const std::string reasons = b.reasons_text();
  std::string s = fmt::format(
      "<header class=\"banner {}\" id=\"verdict\">\n<h1>rollproof report</h1>\n"
      "<p class=\"outcome\">{}</p>\n<p class=\"reasons\">{}</p>\n",
      cls, b.word, h(reasons.empty() ? "every case passed and no claim was refuted" : reasons));
  if (is_partial(run))
    s += fmt::format(
        "<p class=\"partial\"><strong>PARTIAL RESULT: {}.</strong> Cases and claims "
        "cover only the shards given.</p>\n",
        h(detail::missing_shards_text(run)));
  s += "<dl class=\"facts\">";
  for (const auto& [label, text] : b.facts)
    s += fmt::format("<dt>{}</dt><dd>{}</dd>", h(label), h(text));
  s += "</dl>\n<p class=\"counts\"><strong>Claims:</strong> ";
  for (const auto v : verdict_order) {
    std::size_t n = 0;
    for (const auto& c : run.claims)
      n += c.result == v ? 1 : 0;
    s += count_link(n, to_string(v), std::string("claims-") + to_string(v));
  }
  s += "</p>\n<p class=\"counts\"><strong>Cases:</strong> ";
  for (const auto st : status_order) {
    std::size_t n = 0;
    for (const auto& c : run.cases)
      n += c.status == st ? 1 : 0;
    s += count_link(n, to_string(st), std::string("cases-") + to_string(st));
  }
  s += "</p>\n<p class=\"counts\"><strong>Faults injected:</strong> ";
  if (b.cases_fault_counted == 0)
    s += "not recorded (no case carries the mocks' count)";
  else
    s += fmt::format("{} in {} of {} cases (the mocks' own count)", b.faults, b.cases_with_faults,
                     b.cases_fault_counted);
  s += ". <strong>Rollbacks:</strong> ";
  if (b.rollbacks.empty()) s += "none";
  for (std::size_t i = 0; i < b.rollbacks.size(); ++i)
    s += (i ? ", " : "") + h(b.rollbacks[i]);
  if (run.aborted) s += h(". The run was aborted (" + run.abort_reason + ")");
  return s + ".</p>\n</header>\n";
}

std::string claims_section(const run_record& run) {
  std::string s = "<h2 id=\"claims\">Claims</h2>\n";
  if (run.claims.empty()) return s + "<p>No claims were checked.</p>\n";
  s += "<p>" + h(detail::error_control_text(run)) + "</p>\n";
  s += "<div class=\"scroll\"><table><thead><tr><th>id</th><th>verdict</th><th>measured "
       "[CI]</th><th>expected</th><th>n</th><th>explanation</th><th>text and source</th></tr>"
       "</thead>\n";
  for (const auto v : verdict_order) {
    std::string rows;
    std::size_t n = 0;
    for (const auto& c : run.claims) {
      if (c.result != v) continue;
      ++n;
      std::string explanation = c.explanation;
      if (c.samples_needed && c.explanation.find("samples") == std::string::npos)
        explanation += fmt::format(" Samples needed: about {}.", *c.samples_needed);
      rows += fmt::format(
          "<tr class=\"{}\"><td><code>{}</code></td><td><strong>{}</strong></td><td>{}</td>"
          "<td>{}</td><td>{}</td><td>{}<br/><small>{}</small></td><td>&#8220;{}&#8221;<br/>"
          "<small>{}</small></td></tr>\n",
          to_string(c.result), h(c.id), to_string(c.result), h(detail::measured_text(c)),
          h(c.expected), c.measured.n, h(explanation), h(c.measured.method), h(c.text),
          h(c.source));
    }
    if (n == 0) continue;
    s += fmt::format(
        "<tbody id=\"claims-{}\"><tr class=\"group\"><th colspan=\"7\">{} ({})</th>"
        "</tr>\n{}</tbody>\n",
        to_string(v), to_string(v), n, rows);
  }
  return s + "</table></div>\n" + detail::claim_ranges(run);
}

std::string check_lines(const case_record& c) {
  std::string checks;
  for (const auto& ch : c.checks) {
    if (ch.not_run)
      checks += fmt::format("&#8211; {}: not checked, {}<br/>", h(ch.name), h(ch.measured));
    else
      checks +=
          fmt::format("{} {}: expected {}, measured {}<br/>", ch.passed ? "&#10003;" : "&#10007;",
                      h(ch.name), h(ch.expected), h(ch.measured));
  }
  return checks + h(c.message);
}

std::string cases_section(const run_record& run) {
  std::string s = "<h2 id=\"cases\">Cases</h2>\n";
  if (run.cases.empty()) return s + "<p>No cases ran.</p>\n";
  s += "<div class=\"scroll\"><table><thead><tr><th>case</th><th>status</th><th>uploads ok</th>"
       "<th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>throughput MB/s</th><th>peak RSS "
       "MiB</th><th>faults injected</th><th>checks</th></tr></thead>\n";
  for (const auto st : status_order) {
    std::string rows;
    std::size_t n = 0;
    for (const auto& c : run.cases) {
      if (c.status != st) continue;
      ++n;
      const auto a = detail::aggregate(c);
      const auto f = detail::figures_of(c, a);
      rows += fmt::format(
          "<tr><td><code>{}</code></td><td class=\"{}\">{}</td><td>{}/{}</td><td>{}</td>"
          "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
          h(c.id), status_class(c.status), to_string(c.status), a.ok, a.uploads, f.p50, f.p95,
          f.p99, f.throughput_mb_per_s, f.peak_rss_mib, h(detail::faults_text(c)), check_lines(c));
    }
    if (n == 0) continue;
    s += fmt::format(
        "<tbody id=\"cases-{}\"><tr class=\"group\"><th colspan=\"10\">{} ({})</th>"
        "</tr>\n{}</tbody>\n",
        to_string(st), to_string(st), n, rows);
  }
  return s + "</table></div>\n";
}

std::string provenance_section(const run_record& run) {
  std::string s = "<h2 id=\"provenance\">Provenance</h2>\n<div class=\"scroll\"><table><tbody>\n";
  for (const auto& [label, text] : detail::provenance_rows(run))
    s += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", h(label), h(text));
  return s + "</tbody></table></div>\n";
}

}  // namespace

std::string render_html(const run_record& run) {
  std::string body = banner_section(run);
  body += claims_section(run) + detail::charts_section(run) + cases_section(run) +
          provenance_section(run);
  body += R"(<h2 id="legend">Legend</h2>
<p><strong>verified</strong>: the confidence interval lies wholly inside the claimed range (a "5-10x"
claim needs the whole interval of candidate/baseline inside [5, 10]). <strong>refuted</strong>: the
interval lies wholly outside (below, or above: an exceeded range is wrong too).
<strong>inconclusive</strong>: the interval straddles a bound, or too few samples; the samples needed
are estimated. <strong>error</strong>: the claim could not be judged. <strong>unverifiable</strong>: no
measurement can check it. Intervals: Wilson (proportions), MOVER-R (ratios of proportions), binomial
order statistics (one percentile), seeded percentile bootstrap (ratios of percentiles, medians, means).
Every percentile (case checks, rollback gates, claims, this page) is R's type 7, quantile(x, type = 7).
Routes keep one colour in every chart: async blue, sync orange. Faults injected are the mocks' own
count of requests a fault rule answered (<code>/_mock/stats</code>).</p>
)";
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
      "<title>rollproof report {} {}</title>\n<style>{}</style>\n</head>\n<body>\n{}</body>\n"
      "</html>\n",
      detail::banner_of(run).word, h(run.prov.git.describe), style, body);
}

}  // namespace rollproof::reports
