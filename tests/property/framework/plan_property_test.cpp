#include <fnmatch.h>
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <set>

#include "rollproof/framework/plan.hpp"

namespace rollproof::framework {
namespace {

// A plan of n distinct cases with ids drawn from a small alphabet, so that globs hit some of them.
std::vector<case_spec> plan_of(const std::vector<std::string>& names) {
  std::vector<case_spec> cases;
  std::set<std::string> seen;
  for (const auto& n : names) {
    if (!seen.insert(n).second) continue;
    case_spec c;
    c.id = n;
    cases.push_back(c);
  }
  return cases;
}

rc::Gen<std::string> id_gen() {
  return rc::gen::container<std::string>(rc::gen::elementOf(std::string("ab/-1")));
}

RC_GTEST_PROP(shard_cases, shards_partition_the_plan_exactly, ()) {
  const auto cases = plan_of(*rc::gen::container<std::vector<std::string>>(id_gen()));
  const auto total = *rc::gen::inRange<std::size_t>(1, 12);
  std::multiset<std::string> joined;
  std::size_t largest = 0, smallest = cases.size();
  for (std::size_t k = 0; k < total; ++k) {
    const auto shard = shard_cases(cases, {k, total});
    largest = std::max(largest, shard.size());
    smallest = std::min(smallest, shard.size());
    for (const auto& c : shard)
      joined.insert(c.id);
  }
  std::multiset<std::string> all;
  for (const auto& c : cases)
    all.insert(c.id);
  RC_ASSERT(joined == all);  // every case in exactly one shard
  RC_ASSERT(largest - smallest <= 1);
}

RC_GTEST_PROP(shard_cases, keeps_the_plan_order_within_a_shard, ()) {
  const auto cases = plan_of(*rc::gen::container<std::vector<std::string>>(id_gen()));
  const auto total = *rc::gen::inRange<std::size_t>(1, 6);
  const auto index = *rc::gen::inRange<std::size_t>(0, total);
  const auto shard = shard_cases(cases, {index, total});
  for (std::size_t i = 0; i < shard.size(); ++i)
    RC_ASSERT(shard[i].id == cases[index + i * total].id);
}

RC_GTEST_PROP(shard_cases, deals_each_group_whole_and_partitions_the_plan, ()) {
  const auto cases = plan_of(*rc::gen::container<std::vector<std::string>>(id_gen()));
  // Random group labels: a few large groups and many singletons, as claims tie them.
  std::vector<std::size_t> group_of;
  for (std::size_t i = 0; i < cases.size(); ++i)
    group_of.push_back(*rc::gen::inRange<std::size_t>(0, 2 * cases.size() + 1));
  const auto total = *rc::gen::inRange<std::size_t>(1, 8);
  std::map<std::string, std::size_t> shard_of;
  std::size_t largest = 0, smallest = cases.size();
  for (std::size_t k = 0; k < total; ++k) {
    const auto shard = shard_cases(cases, {k, total}, group_of);
    largest = std::max(largest, shard.size());
    smallest = std::min(smallest, shard.size());
    for (const auto& c : shard)
      RC_ASSERT(shard_of.emplace(c.id, k).second);  // in no other shard
  }
  RC_ASSERT(shard_of.size() == cases.size());  // every case in a shard
  std::map<std::size_t, std::size_t> group_size, group_shard;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    ++group_size[group_of[i]];
    const auto [it, fresh] = group_shard.emplace(group_of[i], shard_of.at(cases[i].id));
    RC_ASSERT(it->second == shard_of.at(cases[i].id));  // a group stays in one shard
  }
  std::size_t biggest_group = 0;
  for (const auto& [g, n] : group_size)
    biggest_group = std::max(biggest_group, n);
  if (!cases.empty()) RC_ASSERT(largest - smallest <= biggest_group);
}

RC_GTEST_PROP(filter_cases, selects_exactly_the_ids_the_glob_matches, ()) {
  const auto cases = plan_of(*rc::gen::container<std::vector<std::string>>(id_gen()));
  const auto glob = *rc::gen::container<std::string>(rc::gen::elementOf(std::string("ab*?-")));
  const auto kept = filter_cases(cases, glob);
  std::set<std::string> kept_ids;
  for (const auto& c : kept)
    kept_ids.insert(c.id);
  for (const auto& c : cases) {
    const bool matches = glob.empty() || ::fnmatch(glob.c_str(), c.id.c_str(), 0) == 0;
    RC_ASSERT(matches == (kept_ids.count(c.id) == 1));
  }
  RC_ASSERT(kept.size() == kept_ids.size());
}

RC_GTEST_PROP(parse_shard, accepts_exactly_k_of_n_with_k_in_1_to_n, (unsigned k, unsigned n)) {
  const auto parsed = parse_shard(std::to_string(k) + "/" + std::to_string(n));
  RC_ASSERT(static_cast<bool>(parsed) == (n >= 1 && k >= 1 && k <= n));
  if (parsed) RC_ASSERT(parsed->index == k - 1 && parsed->total == n);
}

}  // namespace
}  // namespace rollproof::framework
