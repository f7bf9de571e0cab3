#include "rollproof/framework/claim_groups.hpp"

#include <numeric>

#if defined(ROLLPROOF_HAVE_CLAIMS)
#include "rollproof/claims/claim.hpp"
#endif

namespace rollproof::framework {
namespace {

#if defined(ROLLPROOF_HAVE_CLAIMS)
// The cases as the claims engine selects among them, before any has run (none is skipped).
std::vector<reports::case_record> records_of(const std::vector<scenario>& scenarios,
                                             const std::vector<case_spec>& cases) {
  std::vector<reports::case_record> out;
  for (const auto& c : cases) {
    reports::case_record r;
    r.id = c.id;
    r.scenario = scenarios.at(c.scenario_index).name;
    r.parameters = c.parameters();
    r.status = reports::case_status::passed;
    out.push_back(std::move(r));
  }
  return out;
}

// Every claim of every scenario that compares two arms.
std::vector<claims::claim_spec> comparative_claims(const std::vector<scenario>& scenarios) {
  std::vector<claims::claim_spec> out;
  for (const auto& sc : scenarios) {
    for (const auto& table : sc.claims) {
      auto spec = claims::parse_claim(table, sc.file);
      if (!spec || !spec->unverifiable.empty()) continue;
      if (spec->relation != claims::relation_kind::ratio &&
          spec->relation != claims::relation_kind::reduction)
        continue;
      spec->scenario = sc.name;
      out.push_back(std::move(*spec));
    }
  }
  return out;
}

std::size_t root(std::vector<std::size_t>& parent, std::size_t i) {
  while (parent[i] != i)
    i = parent[i] = parent[parent[i]];
  return i;
}
#endif

}  // namespace

std::vector<std::size_t> claim_groups(const std::vector<scenario>& scenarios,
                                      const std::vector<case_spec>& cases) {
  std::vector<std::size_t> parent(cases.size());
  std::iota(parent.begin(), parent.end(), std::size_t{0});
#if defined(ROLLPROOF_HAVE_CLAIMS)
  const auto records = records_of(scenarios, cases);
  for (const auto& spec : comparative_claims(scenarios)) {
    const auto arms = claims::arms_of(spec, records);
    std::vector<std::size_t> tied = arms.baseline;
    tied.insert(tied.end(), arms.candidate.begin(), arms.candidate.end());
    for (const auto i : tied)
      parent[root(parent, i)] = root(parent, tied.front());
  }
  for (std::size_t i = 0; i < parent.size(); ++i)
    parent[i] = root(parent, i);
#else
  (void)scenarios;
#endif
  return parent;
}

std::map<claim_key, std::string> claims_split_by(const std::vector<scenario>& scenarios,
                                                 const std::vector<case_spec>& before,
                                                 const std::vector<case_spec>& after,
                                                 const std::string& cause) {
  std::map<claim_key, std::string> out;
#if defined(ROLLPROOF_HAVE_CLAIMS)
  const auto records_before = records_of(scenarios, before);
  const auto records_after = records_of(scenarios, after);
  for (const auto& spec : comparative_claims(scenarios)) {
    const auto planned = claims::arms_of(spec, records_before);
    const auto kept = claims::arms_of(spec, records_after);
    std::string lost;
    if (!planned.baseline.empty() && kept.baseline.empty()) lost = "baseline";
    if (!planned.candidate.empty() && kept.candidate.empty())
      lost += lost.empty() ? "candidate" : " and candidate";
    if (lost.empty()) continue;
    out[{spec.scenario, spec.id}] =
        "its " + lost + (lost.find(" and ") == std::string::npos ? " arm has" : " arms have") +
        " no cases in this run: filtered out by " + cause;
  }
#else
  (void)scenarios, (void)before, (void)after, (void)cause;
#endif
  return out;
}

}  // namespace rollproof::framework
