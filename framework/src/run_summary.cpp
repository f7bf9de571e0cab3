// Claims and the exit code of a finished run.
#include <fmt/format.h>

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "rollproof/framework/runner.hpp"

#if defined(ROLLPROOF_HAVE_CLAIMS)
#include "rollproof/claims/claim.hpp"
#include "rollproof/claims/family.hpp"
#endif

namespace rollproof::framework {

int exit_code_for(const reports::run_record& run, bool fail_on_inconclusive, bool sharded) {
  bool failed = false;
  for (const auto& c : run.cases) {
    if (c.status == reports::case_status::error) return exit_infrastructure;
    failed = failed || c.status == reports::case_status::failed;
  }
  if (run.aborted) return exit_infrastructure;
  if (!sharded) {
    for (const auto& c : run.claims) {
      failed = failed || c.result == reports::verdict::refuted ||
               c.result == reports::verdict::error ||
               (fail_on_inconclusive && c.result == reports::verdict::inconclusive);
    }
  }
  return failed ? exit_failed : exit_ok;
}

namespace {

reports::error_control run_error_control(const std::vector<scenario>& scenarios) {
  // Files of one run that disagree: the strictest wins (holm over bh over none, the least alpha).
  auto strictness = [](const std::string& m) { return m == "holm" ? 2 : m == "bh" ? 1 : 0; };
  reports::error_control out;
  out.method = "holm";
  bool stated = false;
  for (const auto& sc : scenarios) {
    if (!sc.claim_family.stated) continue;
    if (!stated || strictness(sc.claim_family.error_control) > strictness(out.method))
      out.method = sc.claim_family.error_control;
    out.alpha = stated ? std::min(out.alpha, sc.claim_family.alpha) : sc.claim_family.alpha;
    stated = true;
  }
  return out;
}

}  // namespace

void judge_claims(const std::vector<scenario>& scenarios, reports::run_record& run) {
  run.error_control = run_error_control(scenarios);
#if defined(ROLLPROOF_HAVE_CLAIMS)
  std::vector<std::vector<reports::case_record>> cases_of(scenarios.size());
  std::vector<claims::family_member> members;
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    const auto& sc = scenarios[s];
    for (const auto& c : run.cases) {
      if (c.scenario == sc.name) cases_of[s].push_back(c);
    }
    for (const auto& table : sc.claims) {
      auto spec = claims::parse_claim(table, sc.file);
      if (!spec) continue;  // the loader already rejected the file
      spec->scenario = sc.name;
      members.push_back({std::move(*spec), cases_of[s], sc.seed});
    }
  }
  for (auto& record : claims::evaluate_family(members, run.error_control)) {
    if (record.seed == 0) record.seed = members[run.claims.size()].seed;
    if (record.scenario.empty()) record.scenario = members[run.claims.size()].spec.scenario;
    run.claims.push_back(std::move(record));
  }
#else
  (void)scenarios;
  (void)run;
#endif
}

}  // namespace rollproof::framework
