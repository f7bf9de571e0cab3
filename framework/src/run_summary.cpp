// Claims and the exit code of a finished run.
#include <boost/json/serialize.hpp>

#include "rollproof/framework/runner.hpp"

#if defined(ROLLPROOF_HAVE_CLAIMS)
#include "rollproof/claims/claim.hpp"
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

void judge_claims(const std::vector<scenario>& scenarios, reports::run_record& run) {
#if defined(ROLLPROOF_HAVE_CLAIMS)
  for (const auto& sc : scenarios) {
    std::vector<reports::case_record> mine;
    for (const auto& c : run.cases) {
      if (c.scenario == sc.name) mine.push_back(c);
    }
    for (const auto& table : sc.claims) {
      auto spec = claims::parse_claim(table, sc.file);
      if (!spec) continue;  // the loader already rejected the file
      spec->scenario = sc.name;
      auto record = claims::evaluate(*spec, mine, sc.seed);
      if (record.spec_json.empty())
        record.spec_json = boost::json::serialize(claims::to_json(*spec));
      if (record.seed == 0) record.seed = sc.seed;
      if (record.scenario.empty()) record.scenario = sc.name;
      run.claims.push_back(std::move(record));
    }
  }
#else
  (void)scenarios;
  (void)run;
#endif
}

}  // namespace rollproof::framework
