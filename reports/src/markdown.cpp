#include "rollproof/reports/markdown.hpp"

#include <fmt/format.h>

#include "banner.hpp"
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

// The banner: the outcome in words (with a mark GitHub and GitLab both render in colour), why,
// the facts a release manager checks first, and the counts linking to their sections.
std::string banner_markdown(const run_record& run) {
  const detail::banner b = detail::banner_of(run);
  const char* mark = b.result == detail::outcome::pass   ? "\u2705"
                     : b.result == detail::outcome::fail ? "\u274C"
                                                         : "\u26A0\uFE0F";
  const std::string reasons = b.reasons_text();
  std::string md =
      fmt::format("# {} {}: rollproof report\n\n**{}**: {}.\n\n", mark, b.word, b.word,
                  cell(reasons.empty() ? "every case passed and no claim was refuted" : reasons));
  if (is_partial(run))
    md += fmt::format("**PARTIAL RESULT: {}.** Cases and claims cover only the shards given.\n\n",
                      detail::missing_shards_text(run));
  for (const auto& [label, text] : b.facts)
    md += fmt::format("- **{}**: {}\n", cell(label), cell(text));
  const auto count = [](std::size_t n, const char* word) {
    return n == 0 ? fmt::format("0 {}", word) : fmt::format("**{} {}**", n, word);
  };
  const detail::run_totals t = detail::totals(run);
  md += fmt::format("- **[claims](#claims)**: {}, {}, {}, {}, {}\n", count(t.refuted, "refuted"),
                    count(t.claim_errors, "error"), count(t.inconclusive, "inconclusive"),
                    count(t.unverifiable, "unverifiable"), count(t.verified, "verified"));
  md +=
      fmt::format("- **[cases](#cases)**: {}, {}, {}, {}\n", count(t.failed, "failed"),
                  count(t.errors, "error"), count(t.skipped, "skipped"), count(t.passed, "passed"));
  md += b.cases_fault_counted == 0
            ? std::string("- **faults injected**: not recorded\n")
            : fmt::format("- **faults injected**: {} in {} of {} cases (the mocks' own count)\n",
                          b.faults, b.cases_with_faults, b.cases_fault_counted);
  std::string rollbacks;
  for (const auto& r : b.rollbacks)
    rollbacks += (rollbacks.empty() ? "" : ", ") + r;
  md += fmt::format("- **rollbacks**: {}\n", rollbacks.empty() ? "none" : cell(rollbacks));
  if (run.aborted) md += "- **aborted**: " + cell(run.abort_reason) + "\n";
  return md + "\n";
}

// Why each claim that is not verified is not: its explanation, the samples that would settle
// it, or the reason it cannot be measured.
std::string reasons_markdown(const run_record& run) {
  std::string md;
  for (const auto& c : run.claims) {
    if (c.result == verdict::verified) continue;
    std::string why = c.explanation.empty() ? c.reason : c.explanation;
    if (c.samples_needed && why.find("samples") == std::string::npos)
      why += fmt::format(" (samples needed: about {})", *c.samples_needed);
    md += fmt::format("- **{}**, {}: {}\n", cell(c.id), to_string(c.result), cell(why));
  }
  return md.empty() ? md : "### Why not verified\n\n" + md + "\n";
}

}  // namespace

std::string render_markdown(const run_record& run) {
  std::string md = banner_markdown(run);

  md += "## Claims\n\n";
  if (!run.claims.empty()) md += cell(detail::error_control_text(run)) + "\n\n";
  if (run.claims.empty()) {
    md += "No claims were checked.\n\n";
  } else {
    md += "| id | verdict | measured [CI] | expected | n |\n";
    md += "|---|---|---|---|---|\n";
    for (const auto& c : run.claims)
      md += fmt::format("| {} | {} | {} | {} | {} |\n", cell(c.id), verdict_badge(c.result),
                        cell(detail::measured_text(c)), cell(c.expected), c.measured.n);
    md += "\n";
    md += reasons_markdown(run);
    md += "<details><summary>Claim wording, sources and methods</summary>\n\n";
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
        "| faults injected | note |\n";
    md += "|---|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& c : run.cases) {
      const auto a = detail::aggregate(c);
      const auto f = detail::figures_of(c, a);
      std::string note = c.message;
      for (const auto& ch : c.checks) {
        if (ch.not_run)
          note +=
              fmt::format("{}{}: not checked, {}", note.empty() ? "" : "; ", ch.name, ch.measured);
        else if (!ch.passed)
          note += fmt::format("{}{}: expected {}, measured {}", note.empty() ? "" : "; ", ch.name,
                              ch.expected, ch.measured);
      }
      md += fmt::format("| {} | {} | {}/{} | {} | {} | {} | {} | {} | {} | {} |\n", cell(c.id),
                        to_string(c.status), a.ok, a.uploads, f.p50, f.p95, f.p99,
                        f.throughput_mb_per_s, f.peak_rss_mib, cell(detail::faults_text(c)),
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
