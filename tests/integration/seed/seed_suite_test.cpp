// The seed-claims suite: valid scenarios, and no claim of the seed document silently dropped.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <map>
#include <regex>
#include <set>

#include "run_command.hpp"

namespace rollproof::testing {
namespace {

std::string seed_dir() {
  return (source_dir() / "scenarios/seed").string();
}

// The claim ids of the mapping table in scenarios/seed/README.md: `seed.<...>` in backticks.
std::set<std::string> claim_ids_listed_in_the_readme() {
  const std::string text = read_file(source_dir() / "scenarios/seed/README.md");
  const std::regex id_in_backticks("`(seed\\.[a-z0-9.-]+)`");
  std::set<std::string> ids;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), id_in_backticks);
       it != std::sregex_iterator(); ++it)
    ids.insert((*it)[1].str());
  return ids;
}

// id -> claim object of an evidence.json.
std::map<std::string, boost::json::object> claims_in(const boost::json::value& evidence) {
  std::map<std::string, boost::json::object> by_id;
  for (const auto& c : evidence.at("claims").as_array())
    by_id[std::string(c.at("id").as_string())] = c.as_object();
  return by_id;
}

TEST(seed_suite, validates_without_a_single_diagnostic) {
  const auto r = rollproof({"validate", seed_dir()});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
}

TEST(seed_suite, readme_lists_the_claims_of_every_part_of_the_document) {
  const auto ids = claim_ids_listed_in_the_readme();
  for (const char* expected :
       {"seed.p1.tests", "seed.p2.tests", "seed.p3.tests", "seed.deploy.stages", "seed.perf.memory",
        "seed.perf.throughput", "seed.perf.latency", "seed.perf.timeouts", "seed.exai",
        "seed.duration", "seed.production-ready", "seed.n100.stage2"})
    EXPECT_EQ(ids.count(expected), 1u) << expected;
}

TEST(seed_suite, a_filtered_run_gives_every_listed_claim_a_verdict_and_reasons_to_unverifiable) {
  temp_dir out;
  // Only the 100-user table runs (500 small uploads); every other claim is still judged, over no
  // cases, so it must come out as an error verdict rather than vanish.
  const auto r = rollproof(
      {"run", seed_dir(), "--out", out.str(), "--filter", "distribution-accuracy-100-users/*"});
  ASSERT_TRUE(r.code == 0 || r.code == 1) << r.out << r.err;
  const auto claims = claims_in(boost::json::parse(read_file(out.path() / "evidence.json")));
  const auto listed = claim_ids_listed_in_the_readme();
  ASSERT_GE(listed.size(), 40u);
  for (const auto& id : listed) {
    const auto it = claims.find(id);
    ASSERT_NE(it, claims.end()) << id << " is in the README but not in the evidence";
    const std::string verdict(it->second.at("verdict").as_string());
    EXPECT_FALSE(verdict.empty()) << id;
    if (verdict == "unverifiable") {
      const auto* reason = it->second.if_contains("reason");
      ASSERT_NE(reason, nullptr) << id;
      EXPECT_GE(reason->as_string().size(), 20u) << id;
    }
  }
  for (const auto& [id, claim] : claims) {
    if (id.starts_with("seed.")) {
      EXPECT_EQ(listed.count(id), 1u) << id << " is judged but missing from the README";
    }
  }
}

TEST(seed_suite, hundred_users_cannot_settle_a_one_point_accuracy_claim) {
  temp_dir out;
  const auto r = rollproof(
      {"run", seed_dir(), "--out", out.str(), "--filter", "distribution-accuracy-100-users/*"});
  ASSERT_TRUE(r.code == 0 || r.code == 1) << r.out << r.err;
  const auto claims = claims_in(boost::json::parse(read_file(out.path() / "evidence.json")));
  const auto& ten_percent = claims.at("seed.n100.stage2");
  EXPECT_EQ(ten_percent.at("verdict").as_string(), "inconclusive");
  ASSERT_TRUE(ten_percent.at("samples_needed").is_int64() ||
              ten_percent.at("samples_needed").is_uint64());
  EXPECT_GT(ten_percent.at("samples_needed").to_number<double>(), 100.0);
}

}  // namespace
}  // namespace rollproof::testing
