#include "rollproof/framework/claim_groups.hpp"

#include <gtest/gtest.h>

#include <set>

#include "rollproof/framework/loader.hpp"

namespace rollproof::framework {
namespace {

// Two sizes by two routes, repeated twice; one claim compares the routes at 64 KiB, another the
// sizes on the sync route.
const char* const paired_scenario = R"([scenario]
name = "paired"
[matrix]
sizes = ["64KiB", "1MiB"]
routes = ["sync", "async"]
uploads = 12
[[claim]]
id = "paired.routes"
text = "async is about as fast as sync at 64 KiB"
metric = "latency_ms"
baseline = { route = "sync" }
candidate = { route = "async" }
cases = { size = "64KiB" }
ratio = { min = 0.01, max = 100 }
[[claim]]
id = "paired.sizes"
text = "1 MiB takes longer than 64 KiB on the sync route"
metric = "latency_ms"
baseline = { size = "64KiB", route = "sync" }
candidate = { size = "1MiB", route = "sync" }
ratio = { min = 1 }
)";

struct paired_plan {
  std::vector<scenario> scenarios;
  std::vector<case_spec> cases;
};

paired_plan the_paired_plan() {
  auto s = load_scenario_text(paired_scenario, "paired.toml");
  EXPECT_TRUE(s) << (s ? "" : to_string(s.error()));
  paired_plan p;
  if (!s) return p;
  p.scenarios.push_back(*s);
  p.cases = expand_matrix(*s, 0, 2);
  return p;
}

std::set<std::string> ids_of(const std::vector<case_spec>& cases) {
  std::set<std::string> ids;
  for (const auto& c : cases)
    ids.insert(c.id);
  return ids;
}

// The shard (0-based) that holds case `id`.
std::size_t shard_holding(const std::vector<std::vector<case_spec>>& shards,
                          const std::string& id) {
  for (std::size_t k = 0; k < shards.size(); ++k)
    if (ids_of(shards[k]).contains(id)) return k;
  return shards.size();
}

TEST(claim_groups, ties_the_cases_of_every_comparison_together_and_leaves_others_alone) {
  const auto p = the_paired_plan();
  ASSERT_EQ(p.cases.size(), 8u);
  const auto groups = claim_groups(p.scenarios, p.cases);
  std::map<std::string, std::size_t> group_of;
  for (std::size_t i = 0; i < p.cases.size(); ++i)
    group_of[p.cases[i].id] = groups[i];
  // paired.routes ties the 64 KiB cases, paired.sizes ties 64 KiB sync to 1 MiB sync.
  const auto g = group_of.at("paired/text-64KiB-kimi-c4-sync-none-r1");
  for (const char* id :
       {"paired/text-64KiB-kimi-c4-sync-none-r2", "paired/text-64KiB-kimi-c4-async-none-r1",
        "paired/text-64KiB-kimi-c4-async-none-r2", "paired/text-1MiB-kimi-c4-sync-none-r1",
        "paired/text-1MiB-kimi-c4-sync-none-r2"})
    EXPECT_EQ(group_of.at(id), g) << id;
  EXPECT_NE(group_of.at("paired/text-1MiB-kimi-c4-async-none-r1"), g);
  EXPECT_NE(group_of.at("paired/text-1MiB-kimi-c4-async-none-r1"),
            group_of.at("paired/text-1MiB-kimi-c4-async-none-r2"));
}

TEST(shard_cases, keeps_the_arms_of_each_claim_in_one_shard_for_every_shard_count) {
  const auto p = the_paired_plan();
  const auto groups = claim_groups(p.scenarios, p.cases);
  for (std::size_t total = 1; total <= 9; ++total) {
    std::vector<std::vector<case_spec>> shards;
    std::multiset<std::string> joined;
    for (std::size_t k = 0; k < total; ++k) {
      shards.push_back(shard_cases(p.cases, {k, total}, groups));
      for (const auto& c : shards.back())
        joined.insert(c.id);
    }
    const auto all = ids_of(p.cases);
    EXPECT_EQ(joined, std::multiset<std::string>(all.begin(), all.end())) << total << " shards";
    const auto home = shard_holding(shards, "paired/text-64KiB-kimi-c4-sync-none-r1");
    for (std::size_t i = 0; i < p.cases.size(); ++i) {
      if (groups[i] == groups[0]) {
        EXPECT_EQ(shard_holding(shards, p.cases[i].id), home) << p.cases[i].id;
      }
    }
    EXPECT_TRUE(claims_split_by(p.scenarios, p.cases, shards[home], "--shard").empty())
        << "shard " << home << " of " << total << " lacks an arm";
  }
}

TEST(claims_split_by, names_the_arm_a_filter_removed) {
  const auto p = the_paired_plan();
  const auto only_sync = filter_cases(p.cases, "*-sync-*");
  const auto split = claims_split_by(p.scenarios, p.cases, only_sync, "--filter");
  ASSERT_EQ(split.size(), 1u);
  EXPECT_EQ(split.begin()->first, (claim_key{"paired", "paired.routes"}));
  EXPECT_EQ(split.begin()->second,
            "its candidate arm has no cases in this run: filtered out by --filter");
}

TEST(claims_split_by, names_both_arms_when_a_shard_holds_neither) {
  const auto p = the_paired_plan();
  const auto only_1mib_async = filter_cases(p.cases, "*1MiB*async*");
  const auto split = claims_split_by(p.scenarios, p.cases, only_1mib_async, "--shard");
  ASSERT_EQ(split.size(), 2u);
  EXPECT_EQ(split.at({"paired", "paired.sizes"}),
            "its baseline and candidate arms have no cases in this run: filtered out by --shard");
}

}  // namespace
}  // namespace rollproof::framework
