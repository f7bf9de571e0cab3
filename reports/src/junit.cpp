#include "rollproof/reports/junit.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "provenance_rows.hpp"
#include "run_summary.hpp"
#include "xml_text.hpp"

namespace rollproof::reports {
namespace {

using detail::escape;

std::string attr(std::string_view s) {
  return escape(s, true);
}

// One <testcase>: its outcome element (if any) and its body text.
struct junit_case {
  std::string name;
  double seconds = 0;
  std::string outcome;  // "", "failure", "error", "skipped"
  std::string type;
  std::string message;
  std::string body;
  std::string system_err;
};

// The last junit_output_bytes of `text` from a line start (else a UTF-8 character start), after
// a marker saying how much was left out and where the rest is.
std::string bounded_tail(const std::string& text, std::string_view whole_in) {
  if (text.size() <= junit_output_bytes) return text;
  std::size_t from = text.size() - junit_output_bytes;
  if (const auto nl = text.find('\n', from); nl != std::string::npos && nl + 1 < text.size())
    from = nl + 1;
  while (from < text.size() && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80)
    ++from;
  return fmt::format("[rollproof: {} earlier bytes left out; {}]\n", from, whole_in) +
         text.substr(from);
}

junit_case from_case(const case_record& c) {
  junit_case j;
  j.name = c.id;
  j.seconds = c.wall_seconds;
  std::string failed_checks, not_checked;
  for (const auto& ch : c.checks) {
    if (ch.not_run)
      not_checked += fmt::format("{}: not checked, {}\n", ch.name, ch.measured);
    else if (!ch.passed)
      failed_checks +=
          fmt::format("{}: expected {}, measured {}\n", ch.name, ch.expected, ch.measured);
  }
  switch (c.status) {
    case case_status::passed:
      break;
    case case_status::failed:
      j.outcome = "failure";
      j.type = "case_failed";
      j.message = !c.message.empty() ? c.message : failed_checks;
      break;
    case case_status::error:
      j.outcome = "error";
      j.type = "case_error";
      j.message = c.message;
      break;
    case case_status::skipped:
      j.outcome = "skipped";
      j.message = c.message;
      break;
  }
  j.body = bounded_tail(failed_checks + not_checked, "evidence.json has every check");
  // A passing or skipped case's output is noise to a CI page (and was most of the file's bytes);
  // a failing one keeps the end of it, where the cause usually is.
  const bool went_wrong = c.status == case_status::failed || c.status == case_status::error;
  if (went_wrong)
    j.system_err =
        bounded_tail(c.subject_stderr_tail, "evidence.json has the subject's stderr tail");
  return j;
}

junit_case from_claim(const claim_record& c) {
  junit_case j;
  j.name = "claim " + c.id;
  const std::string numbers =
      fmt::format("expected {}, measured {} (n = {}, {})", c.expected, detail::measured_text(c),
                  c.measured.n, c.measured.method.empty() ? "no method" : c.measured.method);
  j.body = fmt::format("{}\ntext: {}\nsource: {}\n{}\n", c.explanation, c.text, c.source, numbers);
  switch (c.result) {
    case verdict::verified:
      break;
    case verdict::refuted:
      j.outcome = "failure";
      j.type = "refuted";
      j.message = "refuted: " + numbers;
      break;
    case verdict::error:
      j.outcome = "error";
      j.type = "claim_error";
      j.message = "error: " + c.reason;
      break;
    case verdict::inconclusive:
      j.outcome = "skipped";
      j.message = "inconclusive: " + numbers +
                  (c.samples_needed ? fmt::format("; about {} samples needed", *c.samples_needed)
                                    : std::string());
      break;
    case verdict::unverifiable:
      j.outcome = "skipped";
      j.message = "unverifiable: " + c.reason;
      break;
  }
  return j;
}

void write_case(std::string& out, const std::string& classname, const junit_case& j) {
  out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"", attr(classname),
                     attr(j.name), detail::fixed(j.seconds, 3));
  if (j.outcome.empty() && j.system_err.empty() && j.body.empty()) {
    out += "/>\n";
    return;
  }
  out += ">\n";
  if (!j.outcome.empty()) {
    out += fmt::format("      <{}", j.outcome);
    if (!j.type.empty()) out += fmt::format(" type=\"{}\"", attr(j.type));
    out +=
        fmt::format(" message=\"{}\">{}</{}>\n", attr(j.message), escape(j.body, false), j.outcome);
  } else if (!j.body.empty()) {
    out += fmt::format("      <system-out>{}</system-out>\n", escape(j.body, false));
  }
  if (!j.system_err.empty())
    out += fmt::format("      <system-err>{}</system-err>\n", escape(j.system_err, false));
  out += "    </testcase>\n";
}

}  // namespace

std::string xml_escape(std::string_view text) {
  return detail::escape(text, true);
}

std::string render_junit(const run_record& run) {
  std::map<std::string, std::vector<junit_case>> by_scenario;
  for (const auto& c : run.cases)
    by_scenario[c.scenario].push_back(from_case(c));
  for (const auto& c : run.claims)
    by_scenario[c.scenario].push_back(from_claim(c));

  std::string suites;
  std::uint64_t all_tests = 0, all_failures = 0, all_errors = 0;
  double all_seconds = 0;
  for (const auto& name : detail::scenario_names(run)) {
    auto& cases = by_scenario[name];
    const std::string suite = name.empty() ? std::string("rollproof") : name;
    // GitLab keeps only the first of duplicate classname+name pairs: make every name unique.
    std::set<std::string> seen;
    for (auto& j : cases) {
      std::string unique = j.name;
      for (int k = 2; !seen.insert(unique).second; ++k)
        unique = fmt::format("{} ({})", j.name, k);
      j.name = unique;
    }
    std::uint64_t failures = 0, errors = 0, skipped = 0;
    double seconds = 0;
    for (const auto& j : cases) {
      failures += j.outcome == "failure";
      errors += j.outcome == "error";
      skipped += j.outcome == "skipped";
      seconds += j.seconds;
    }
    const scenario_record* sr = nullptr;
    for (const auto& s : run.scenarios)
      if (s.name == name) sr = &s;
    suites += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
        "time=\"{}\" timestamp=\"{}\" hostname=\"{}\">\n",
        attr(suite), cases.size(), failures, errors, skipped, detail::fixed(seconds, 3),
        attr(run.prov.started_at), attr(run.prov.host.hostname));
    suites += "    <properties>\n";
    auto property = [&](std::string_view k, std::string_view v) {
      suites += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", attr(k), attr(v));
    };
    property("run_id", run.prov.run_id);
    property("commit", commit_text(run.prov.git));
    property("branch", run.prov.git.branch);
    property("dirty", run.prov.git.dirty ? "true" : "false");
    if (sr != nullptr) property("seed", std::to_string(sr->seed));
    if (is_partial(run)) property("partial", detail::missing_shards_text(run));
    if (sr != nullptr) {
      property("scenario_file", sr->file);
      property("scenario_sha256", sr->sha256);
    }
    if (run.aborted) property("aborted", run.abort_reason.empty() ? "true" : run.abort_reason);
    suites += "    </properties>\n";
    for (const auto& j : cases)
      write_case(suites, suite, j);
    suites += "  </testsuite>\n";
    all_tests += cases.size();
    all_failures += failures;
    all_errors += errors;
    all_seconds += seconds;
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"rollproof\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{}\">\n"
      "{}</testsuites>\n",
      all_tests, all_failures, all_errors, detail::fixed(all_seconds, 3), suites);
}

}  // namespace rollproof::reports
