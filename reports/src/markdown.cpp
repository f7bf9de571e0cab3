#include "rollproof/reports/markdown.hpp"

#include <fmt/format.h>

#include "provenance_rows.hpp"
#include "run_summary.hpp"
#include "xml_text.hpp"

namespace rollproof::reports {
namespace {

// A table cell: one line, pipes escaped, no control characters; HTML in cells is escaped too,
// since GitHub renders inline HTML in job summaries.
std::string cell(std::string_view s) {
  std::string out;
  for (const char c : detail::escape(s, false)) {
    if (c == '|')
      out += "\\|";
    else
      out += c == '\n' || c == '\t' ? ' ' : c;
  }
  return out;
}

const char* verdict_badge(verdict v) {
  switch (v) {
    case verdict::verified:
      return "verified";
    case verdict::refuted:
      return "**refuted**";
    case verdict::inconclusive:
      return "*inconclusive*";
    case verdict::error:
      return "**error**";
    case verdict::unverifiable:
      return "unverifiable";
  }
  return "error";
}

}  // namespace

std::string render_markdown(const run_record& run) {
  const detail::run_totals t = detail::totals(run);
  std::string md = "# rollproof report\n\n";
  if (is_partial(run))
    md += fmt::format("**PARTIAL RESULT: {}.** Cases and claims cover only the shards given.\n\n",
                      detail::missing_shards_text(run));
  md += fmt::format(
      "Claims: {} verified, {} refuted, {} inconclusive, {} error, {} unverifiable. Cases: {} "
      "passed, {} failed, {} error, {} skipped.{}\n\n",
      t.verified, t.refuted, t.inconclusive, t.claim_errors, t.unverifiable, t.passed, t.failed,
      t.errors, t.skipped,
      run.aborted ? cell(" The run was aborted (" + run.abort_reason + ").") : std::string());

  md += "## Claims\n\n";
  if (!run.claims.empty()) md += cell(detail::error_control_text(run)) + "\n\n";
  if (run.claims.empty()) {
    md += "No claims were checked.\n\n";
  } else {
    md += "| id | verdict | measured [CI] | expected | n | explanation |\n";
    md += "|---|---|---|---|---|---|\n";
    for (const auto& c : run.claims) {
      std::string explanation = c.explanation;
      if (c.samples_needed && c.explanation.find("samples") == std::string::npos)
        explanation += fmt::format(" (samples needed: about {})", *c.samples_needed);
      md += fmt::format("| {} | {} | {} | {} | {} | {} |\n", cell(c.id), verdict_badge(c.result),
                        cell(detail::measured_text(c)), cell(c.expected), c.measured.n,
                        cell(explanation));
    }
    md += "\n";
    md += "<details><summary>Claim wording and sources</summary>\n\n";
    md += "| id | text | source | method |\n|---|---|---|---|\n";
    for (const auto& c : run.claims)
      md += fmt::format("| {} | {} | {} | {} |\n", cell(c.id), cell(c.text), cell(c.source),
                        cell(c.measured.method));
    md += "\n</details>\n\n";
  }

  md += "## Cases\n\n";
  if (run.cases.empty()) {
    md += "No cases ran.\n\n";
  } else {
    md +=
        "| case | status | uploads ok | p50 ms | p95 ms | p99 ms | throughput MB/s | peak RSS MiB "
        "| note |\n";
    md += "|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& c : run.cases) {
      const auto a = detail::aggregate(c);
      std::string note = c.message;
      for (const auto& ch : c.checks) {
        if (ch.not_run)
          note +=
              fmt::format("{}{}: not checked, {}", note.empty() ? "" : "; ", ch.name, ch.measured);
        else if (!ch.passed)
          note += fmt::format("{}{}: expected {}, measured {}", note.empty() ? "" : "; ", ch.name,
                              ch.expected, ch.measured);
      }
      md += fmt::format(
          "| {} | {} | {}/{} | {} | {} | {} | {} | {} | {} |\n", cell(c.id), to_string(c.status),
          a.ok, a.uploads, a.latency_count ? detail::short_number(a.latency_p50) : "-",
          a.latency_count ? detail::short_number(a.latency_p95) : "-",
          a.latency_count ? detail::short_number(a.latency_p99) : "-",
          c.wall_seconds > 0 ? detail::short_number(c.throughput_bytes_per_s / 1e6) : "-",
          c.peak_rss_bytes ? detail::short_number(static_cast<double>(*c.peak_rss_bytes) / 1048576)
                           : "-",
          cell(note));
    }
    md += "\n";
  }

  md += "## Provenance\n\n";
  for (const auto& [label, text] : detail::provenance_rows(run))
    md += fmt::format("- {}: {}\n", cell(label), cell(text));
  md += "\n";

  md += R"(## Legend

- **verified**: the confidence interval of the measured quantity lies wholly inside the claimed
  range. A range claim such as "5-10x" is verified only if the whole interval of the ratio
  (candidate / baseline) lies in [5, 10].
- **refuted**: the interval lies wholly outside the claimed range (below it, or above it: a claimed
  range that the measurement exceeds is wrong too).
- **inconclusive**: the interval straddles a bound of the range, or there were too few samples;
  "samples needed" estimates how many per group would settle it. JUnit shows it as skipped.
- **error**: the claim could not be judged (no matching cases, unknown metric).
- **unverifiable**: no measurement can check the claim; the reason is given.
- Intervals are 95% unless a claim says otherwise: Wilson score for proportions, MOVER-R for
  ratios of proportions, binomial order statistics for one percentile, seeded percentile bootstrap
  for ratios of percentiles, medians and means. Every percentile (case checks, rollback gates,
  claims, these tables) is R's type 7, quantile(x, type = 7). Reductions are
  1 - candidate / baseline.
)";
  return md;
}

}  // namespace rollproof::reports
