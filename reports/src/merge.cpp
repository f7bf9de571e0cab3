#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "json_exact.hpp"
#include "rollproof/claims/claim.hpp"
#include "rollproof/reports/writers.hpp"

namespace rollproof::reports {

run_record merge_runs(std::vector<run_record> shards) {
  run_record out;
  if (shards.empty()) return out;
  out.prov = shards.front().prov;
  std::set<std::tuple<std::string, std::string, std::string>> scenarios_seen;
  std::set<std::string> cases_seen;
  std::vector<std::string> claim_order;
  std::map<std::string, claim_record> claims_by_id;
  std::vector<std::string> abort_reasons;
  for (auto& shard : shards) {
    const auto& p = shard.prov;
    // RFC 3339 UTC timestamps of one format order as strings.
    if (!p.started_at.empty() &&
        (out.prov.started_at.empty() || p.started_at < out.prov.started_at))
      out.prov.started_at = p.started_at;
    if (p.finished_at > out.prov.finished_at) out.prov.finished_at = p.finished_at;
    out.prov.git.dirty = out.prov.git.dirty || p.git.dirty;
    for (auto& s : shard.scenarios)
      if (scenarios_seen.insert({s.name, s.file, s.sha256}).second)
        out.scenarios.push_back(std::move(s));
    for (auto& c : shard.cases)
      if (cases_seen.insert(c.id).second) out.cases.push_back(std::move(c));
    for (auto& c : shard.claims) {
      if (claims_by_id.contains(c.id)) continue;
      claim_order.push_back(c.id);
      claims_by_id.emplace(c.id, std::move(c));
    }
    if (shard.aborted) {
      out.aborted = true;
      if (!shard.abort_reason.empty() && std::find(abort_reasons.begin(), abort_reasons.end(),
                                                   shard.abort_reason) == abort_reasons.end())
        abort_reasons.push_back(shard.abort_reason);
    }
  }
  // The unsharded plan order; shards that predate plan_index keep their concatenation order.
  std::stable_sort(
      out.cases.begin(), out.cases.end(),
      [](const case_record& a, const case_record& b) { return a.plan_index < b.plan_index; });
  for (const auto& reason : abort_reasons)
    out.abort_reason += (out.abort_reason.empty() ? "" : "; ") + reason;

  for (const auto& id : claim_order) {
    claim_record& old = claims_by_id.at(id);
    boost::system::error_code ec;
    const auto json = detail::parse_json_exact(old.spec_json, ec);
    auto spec =
        ec ? std::expected<rollproof::claims::claim_spec, std::string>(std::unexpected("no spec"))
           : rollproof::claims::claim_from_json(json);
    if (!spec) {
      // Without its spec a claim cannot be judged over the joined cases; say so rather than keep
      // a verdict that only one shard's cases supported.
      old.result = verdict::error;
      old.reason = "merge: the shard record carries no claim spec to re-evaluate";
      old.explanation = "The claim could not be judged over the merged cases: " + old.reason + ".";
      out.claims.push_back(std::move(old));
      continue;
    }
    out.claims.push_back(rollproof::claims::evaluate(*spec, out.cases, old.seed));
  }
  return out;
}

}  // namespace rollproof::reports
