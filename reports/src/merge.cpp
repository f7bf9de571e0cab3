#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <set>

#include "json_exact.hpp"
#include "provenance_rows.hpp"
#include "rollproof/claims/claim.hpp"
#include "rollproof/claims/family.hpp"
#include "rollproof/reports/writers.hpp"

namespace rollproof::reports {
namespace {

std::string seed_text(const std::optional<std::uint64_t>& seed) {
  return seed ? std::to_string(*seed) : "each scenario's own";
}

std::string scenario_digests(const run_record& r) {
  std::string out;
  for (const auto& s : r.scenarios)
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", s.name, s.sha256);
  return out;
}

std::string scenario_seeds(const run_record& r) {
  std::string out = "--seed " + seed_text(r.prov.seed);
  for (const auto& s : r.scenarios)
    out += fmt::format(", {} {}", s.name, s.seed);
  return out;
}

std::string commit_of(const run_record& r) {
  return commit_text(r.prov.git);
}

std::string tool_version(const run_record& r) {
  const auto it = r.prov.versions.find("rollproof");
  return it == r.prov.versions.end() ? "(none)" : it->second;
}

// A subject is the same on two machines when its program has the same bytes (or, when it is no
// file, the same name), the same arguments and the same hello answer; the install path may differ.
std::string subjects(const run_record& r) {
  std::string out;
  for (const auto& s : r.scenarios) {
    subject_info same = s.subject;
    if (!same.program_sha256.empty() && !same.command.empty())
      same.command.front() = std::filesystem::path(same.command.front()).filename().string();
    out += fmt::format("{}{}: {}", out.empty() ? "" : "; ", s.name, detail::subject_text(same));
  }
  return out;
}

std::string plan_of(const run_record& r) {
  return fmt::format("{} cases, --filter '{}', --repeat {}", r.prov.plan_cases, r.prov.filter,
                     r.prov.repeat);
}

// Every reason the inputs are not one complete, consistent shard set (all of them at once); the
// indices no input holds go to `missing`.
std::vector<std::string> set_problems(const std::vector<merge_input>& inputs,
                                      std::vector<std::uint64_t>& missing) {
  std::vector<std::string> problems;
  const merge_input& first = inputs.front();
  for (const auto& in : inputs) {
    const auto& p = in.run.prov;
    if (p.shard_total == 0 || p.shard_index == 0 || p.shard_index > p.shard_total)
      problems.push_back(fmt::format(
          "{}: records no shard index and total (a merged record, or written by a rollproof "
          "that predates them); run the shard again",
          in.source));
  }
  if (!problems.empty()) return problems;
  // What makes two shards comparable: each must describe one and the same plan and subject.
  using fact = std::string (*)(const run_record&);
  const std::pair<const char*, fact> facts[] = {
      {"totals", [](const run_record& r) { return std::to_string(r.prov.shard_total); }},
      {"plans", &plan_of},
      {"scenario digests", &scenario_digests},
      {"seeds", &scenario_seeds},
      {"commits", &commit_of},
      {"rollproof versions", &tool_version},
      {"subjects", &subjects}};
  for (const auto& [what, of] : facts) {
    for (const auto& in : inputs) {
      if (of(in.run) == of(first.run)) continue;
      problems.push_back(fmt::format("the shards have different {}: {} has {}, {} has {}", what,
                                     first.source, of(first.run), in.source, of(in.run)));
    }
  }
  if (!problems.empty()) return problems;
  std::map<std::uint64_t, std::string> by_index;
  for (const auto& in : inputs) {
    const auto [it, fresh] = by_index.emplace(in.run.prov.shard_index, in.source);
    if (!fresh)
      problems.push_back(fmt::format("shard {}/{} is given twice: {} and {}",
                                     in.run.prov.shard_index, in.run.prov.shard_total, it->second,
                                     in.source));
  }
  for (std::uint64_t k = 1; k <= first.run.prov.shard_total; ++k)
    if (!by_index.contains(k)) missing.push_back(k);
  std::map<std::string, std::string> case_source;
  for (const auto& in : inputs)
    for (const auto& c : in.run.cases)
      if (const auto [it, fresh] = case_source.emplace(c.id, in.source); !fresh)
        problems.push_back(
            fmt::format("case {} is in both {} and {}", c.id, it->second, in.source));
  if (missing.empty() && problems.empty() && case_source.size() != first.run.prov.plan_cases)
    problems.push_back(fmt::format("the shards hold {} cases but their plan has {}",
                                   case_source.size(), first.run.prov.plan_cases));
  return problems;
}

}  // namespace

std::expected<run_record, std::vector<std::string>> merge_runs(std::vector<merge_input> inputs,
                                                               merge_options options) {
  if (inputs.empty()) return std::unexpected(std::vector<std::string>{"no shard to merge"});
  std::vector<std::uint64_t> missing;
  auto problems = set_problems(inputs, missing);
  if (!missing.empty() && !options.allow_partial)
    problems.push_back(fmt::format(
        "the set is incomplete: {} (merge them too, or pass --allow-partial for a partial result)",
        missing_shards_text(missing, inputs.front().run.prov.shard_total)));
  if (!problems.empty()) return std::unexpected(std::move(problems));
  std::sort(inputs.begin(), inputs.end(), [](const merge_input& a, const merge_input& b) {
    return a.run.prov.shard_index < b.run.prov.shard_index;
  });

  run_record out;
  out.prov = inputs.front().run.prov;
  out.prov.missing_shards = missing;
  std::vector<std::string> claim_order;
  std::map<std::string, claim_record> claims_by_id;
  std::vector<std::string> abort_reasons;
  for (auto& in : inputs) {
    auto& shard = in.run;
    const auto& p = shard.prov;
    out.prov.shards.push_back(
        {p.shard_index, p.shard_total, p.host, p.command_line, p.started_at, p.finished_at});
    // RFC 3339 UTC timestamps of one format order as strings.
    if (!p.started_at.empty() &&
        (out.prov.started_at.empty() || p.started_at < out.prov.started_at))
      out.prov.started_at = p.started_at;
    if (p.finished_at > out.prov.finished_at) out.prov.finished_at = p.finished_at;
    out.prov.git.dirty = out.prov.git.dirty || p.git.dirty;
    if (out.scenarios.empty()) out.scenarios = std::move(shard.scenarios);
    for (auto& c : shard.cases)
      out.cases.push_back(std::move(c));
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
  out.prov.shard_index = 0;  // a merged record is no one shard
  out.prov.run_id.clear();   // nor any shard's set: write_reports gives it its own run id
  std::stable_sort(
      out.cases.begin(), out.cases.end(),
      [](const case_record& a, const case_record& b) { return a.plan_index < b.plan_index; });
  for (const auto& reason : abort_reasons)
    out.abort_reason += (out.abort_reason.empty() ? "" : "; ") + reason;

  // The shards judged their claims as one family under the same [claims]; judge the joined
  // cases the same way, over the whole family.
  out.error_control = inputs.front().run.error_control;
  std::vector<rollproof::claims::family_member> members;
  std::vector<std::size_t> member_of;  // claim_order index -> members index, or npos
  for (const auto& id : claim_order) {
    claim_record& old = claims_by_id.at(id);
    boost::system::error_code ec;
    const auto json = detail::parse_json_exact(old.spec_json, ec);
    auto spec =
        ec ? std::expected<rollproof::claims::claim_spec, std::string>(std::unexpected("no spec"))
           : rollproof::claims::claim_from_json(json);
    if (!spec) {
      member_of.push_back(std::string::npos);
      continue;
    }
    member_of.push_back(members.size());
    members.push_back({std::move(*spec), out.cases, old.seed});
  }
  auto judged = rollproof::claims::evaluate_family(members, out.error_control);
  for (std::size_t k = 0; k < claim_order.size(); ++k) {
    claim_record& old = claims_by_id.at(claim_order[k]);
    if (member_of[k] != std::string::npos) {
      out.claims.push_back(std::move(judged[member_of[k]]));
      continue;
    }
    // Without its spec a claim cannot be judged over the joined cases; say so rather than keep
    // a verdict that only one shard's cases supported.
    old.result = verdict::error;
    old.reason = "merge: the shard record carries no claim spec to re-evaluate";
    old.explanation = "The claim could not be judged over the merged cases: " + old.reason + ".";
    out.claims.push_back(std::move(old));
  }
  if (is_partial(out)) {
    // A claim that lacks cases in a partial merge may have lost them with a missing shard.
    const std::string note = " (the merge is partial: " + detail::missing_shards_text(out) + ")";
    for (auto& c : out.claims)
      if (c.result == verdict::error) c.reason += note, c.explanation += note;
  }
  return out;
}

}  // namespace rollproof::reports
