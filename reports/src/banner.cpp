#include "banner.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "provenance_rows.hpp"
#include "run_summary.hpp"

namespace rollproof::reports::detail {
namespace {

constexpr const char* rule_prefix = "faults_by_rule.";

std::string counted(std::uint64_t n, const char* one, const char* many, const char* what) {
  return fmt::format("{} {} {}", n, n == 1 ? one : many, what);
}

std::string when_text(const provenance& p) {
  return p.started_at.empty() ? std::string("not recorded") : p.started_at + " to " + p.finished_at;
}

std::string seed_text(const run_record& run) {
  if (run.prov.seed) return fmt::format("{} (--seed)", *run.prov.seed);
  std::string s;
  for (const auto& sc : run.scenarios)
    s += fmt::format("{}{} ({})", s.empty() ? "" : ", ", sc.seed, sc.name);
  return s.empty() ? std::string("not recorded") : s;
}

std::string subjects_text(const run_record& run) {
  std::set<std::string> seen;
  std::string s;
  for (const auto& sc : run.scenarios)
    if (seen.insert(subject_text(sc.subject)).second)
      s += (s.empty() ? "" : "; ") + subject_text(sc.subject);
  return s.empty() ? std::string("not recorded") : s;
}

std::string host_text(const run_record& run) {
  if (!run.prov.shards.empty())
    return fmt::format("{} shards (see provenance)", run.prov.shards.size());
  const host_info& h = run.prov.host;
  return fmt::format("{} ({} cores, {})", h.hostname, h.cores, h.os);
}

std::string commit_fact(const git_info& g) {
  if (!g.work_tree || g.commit.empty()) return commit_text(g);
  return g.commit.substr(0, 12) + (g.dirty ? " (dirty: uncommitted changes)" : " (clean)");
}

}  // namespace

std::map<std::string, std::uint64_t> faults_by_rule(const case_record& c) {
  std::map<std::string, std::uint64_t> out;
  for (auto it = c.values.lower_bound(rule_prefix);
       it != c.values.end() && it->first.starts_with(rule_prefix); ++it)
    out[it->first.substr(std::string_view(rule_prefix).size())] =
        static_cast<std::uint64_t>(std::llround(it->second));
  return out;
}

std::string faults_text(const case_record& c) {
  if (!c.values.contains("faults_injected")) return "not recorded";
  std::string s;
  for (const auto& [rule, n] : faults_by_rule(c))
    s += fmt::format("{}{}: {}", s.empty() ? "" : ", ", rule, n);
  return s.empty() ? std::string("none") : s;
}

std::string banner::reasons_text() const {
  std::string joined;
  for (const auto& r : reasons)
    joined += (joined.empty() ? "" : "; ") + r;
  return joined;
}

banner banner_of(const run_record& run) {
  const run_totals t = totals(run);
  banner b;
  if (t.failed) b.reasons.push_back(counted(t.failed, "case", "cases", "failed"));
  if (t.errors) b.reasons.push_back(counted(t.errors, "case", "cases", "ended in error"));
  if (run.aborted) b.reasons.push_back("the run was aborted (" + run.abort_reason + ")");
  if (t.refuted) b.reasons.push_back(counted(t.refuted, "claim", "claims", "refuted"));
  if (t.claim_errors)
    b.reasons.push_back(counted(t.claim_errors, "claim", "claims", "could not be judged"));
  b.result = b.reasons.empty() ? outcome::pass : outcome::fail;
  if (is_partial(run)) {
    b.result = outcome::partial;
    b.reasons.insert(b.reasons.begin(), "partial result: " + missing_shards_text(run));
  }
  b.word = b.result == outcome::pass ? "PASS" : b.result == outcome::fail ? "FAIL" : "PARTIAL";
  if (t.inconclusive)
    b.reasons.push_back(counted(t.inconclusive, "claim", "claims",
                                "inconclusive (fails the run only with --fail-on inconclusive)"));

  b.facts = {
      {"commit", commit_fact(run.prov.git)},
      {"branch", run.prov.git.branch.empty() ? "none (detached or not a git work tree)"
                                             : run.prov.git.branch},
      {"seed", seed_text(run)},
      {"when", when_text(run.prov)},
      {"host", host_text(run)},
      {"rollproof", run.prov.versions.contains("rollproof") ? run.prov.versions.at("rollproof")
                                                            : std::string("not recorded")},
      {"subject", subjects_text(run)}};

  for (const auto& c : run.cases) {
    if (const auto it = c.values.find("faults_injected"); it != c.values.end()) {
      const auto n = static_cast<std::uint64_t>(std::llround(it->second));
      ++b.cases_fault_counted;
      b.faults += n;
      b.cases_with_faults += n > 0 ? 1 : 0;
    }
    if (const auto to = c.values.find("rollback.to_percent"); to != c.values.end())
      b.rollbacks.push_back(fmt::format("{} rolled back to {}%", c.id, short_number(to->second)));
  }
  return b;
}

}  // namespace rollproof::reports::detail
