#include "rollproof/upload/bucketing.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "test_paths.hpp"

namespace rollproof::upload {
namespace {

std::filesystem::path vectors_dir() {
  return rollproof::testing::third_party_dir();
}

boost::json::value read_json(const std::filesystem::path& path) {
  std::ifstream in{path};
  std::stringstream text;
  text << in.rdbuf();
  return boost::json::parse(text.str());
}

std::uint32_t unleash_normalized(std::string_view group_and_id) {
  return murmur3_x86_32(group_and_id, 0) % 100 + 1;
}

TEST(murmur3_x86_32, matches_the_smhasher_known_answers) {
  EXPECT_EQ(murmur3_x86_32("", 0), 0U);
  EXPECT_EQ(murmur3_x86_32("", 1), 0x514E28B7U);
  EXPECT_EQ(murmur3_x86_32("hello", 0), 0x248BFA47U);
  EXPECT_EQ(murmur3_x86_32("The quick brown fox jumps over the lazy dog", 0), 0x2E4FF723U);
}

TEST(murmur3_x86_32, gives_the_unleash_pure_hash_values) {
  EXPECT_EQ(unleash_normalized("gr1:123"), 73U);
  EXPECT_EQ(unleash_normalized("groupX:999"), 25U);
  EXPECT_EQ(murmur3_x86_32("gr1:123", 86028157) % 100 + 1, 96U);
  EXPECT_EQ(murmur3_x86_32("groupX:999", 86028157) % 100 + 1, 60U);
}

TEST(fnv1a32_utf16, matches_growthbooks_raw_values) {
  EXPECT_EQ(fnv1a32_utf16(""), 2166136261U);
  EXPECT_EQ(fnv1a32_utf16("a"), 3826002220U);
  EXPECT_EQ(fnv1a32_utf16("b"), 3876335077U);
  EXPECT_EQ(fnv1a32_utf16("abc"), 440920331U);
  EXPECT_EQ(fnv1a32_utf16("hello"), 1335831723U);
  EXPECT_EQ(fnv1a32_utf16("foo"), 2851307223U);
}

TEST(fnv1a32_utf16, hashes_code_units_not_utf8_bytes) {
  // "é" is one UTF-16 unit 0xE9 but two UTF-8 bytes: JS hashes the unit.
  const std::uint32_t expected = (0x811C9DC5U ^ 0xE9U) * 0x01000193U;
  EXPECT_EQ(fnv1a32_utf16("\xC3\xA9"), expected);
  // An astral character is two surrogate units.
  std::uint32_t h = 0x811C9DC5U;
  for (std::uint32_t unit : {0xD83DU, 0xDE00U})
    h = (h ^ unit) * 0x01000193U;
  EXPECT_EQ(fnv1a32_utf16("\xF0\x9F\x98\x80"), h);
}

TEST(growthbook_hash, matches_every_case_of_the_sdk_hash_section) {
  const auto cases = read_json(vectors_dir() / "growthbook" / "cases.json");
  const auto& hash_cases = cases.at("hash").as_array();
  ASSERT_GE(hash_cases.size(), 15U);
  for (const auto& c : hash_cases) {
    const auto& a = c.as_array();
    const std::string seed{a.at(0).as_string()};
    const std::string value{a.at(1).as_string()};
    const int version = static_cast<int>(a.at(2).to_number<std::int64_t>());
    const auto got = growthbook_hash(seed, value, version);
    if (a.at(3).is_null()) {
      EXPECT_FALSE(got.has_value()) << seed << "/" << value << " v" << version;
    } else {
      ASSERT_TRUE(got.has_value()) << seed << "/" << value << " v" << version;
      EXPECT_EQ(*got, a.at(3).to_number<double>()) << seed << "/" << value << " v" << version;
    }
  }
}

TEST(bucket_of, growthbook_scheme_is_the_version_2_hash_times_10000) {
  EXPECT_EQ(bucket_of(bucketing_scheme::growthbook, "seed", "a"), 505U);   // hash 0.0505
  EXPECT_EQ(bucket_of(bucketing_scheme::growthbook, "foo", "ab"), 2575U);  // hash 0.2575
}

TEST(bucket_of, launchdarkly_scheme_matches_the_sdk_bucket_values) {
  // LaunchDarkly SDK evaluation tests: bucketUser(key, "hashKey", "saltyA") = 0.42157587,
  // 0.6708485, 0.10343106; the input is "hashKey.saltyA.<key>".
  EXPECT_EQ(bucket_of(bucketing_scheme::launchdarkly, "hashKey.saltyA", "userKeyA"), 42157U);
  EXPECT_EQ(bucket_of(bucketing_scheme::launchdarkly, "hashKey.saltyA", "userKeyB"), 67084U);
  EXPECT_EQ(bucket_of(bucketing_scheme::launchdarkly, "hashKey.saltyA", "userKeyC"), 10343U);
}

TEST(bucket_of, flagd_scheme_scales_the_unsigned_hash_by_multiply_and_shift) {
  // murmur3("hello") = 0x248BFA47; (0x248BFA47 * 100) >> 32 = 14.
  EXPECT_EQ(bucket_of(bucketing_scheme::flagd, "hel", "lo"), 14U);
  // murmur3("The quick brown fox...") = 0x2E4FF723; (0x2E4FF723 * 100) >> 32 = 18.
  EXPECT_EQ(bucket_of(bucketing_scheme::flagd, "", "The quick brown fox jumps over the lazy dog"),
            18U);
}

TEST(bucket_of, unleash_scheme_is_group_colon_user_modulo_100) {
  EXPECT_EQ(bucket_of(bucketing_scheme::unleash, "gr1", "123"), 72U);  // normalized 73
  EXPECT_EQ(bucket_of(bucketing_scheme::unleash, "groupX", "999"), 24U);
}

TEST(sha1_hex, matches_the_fips_example) {
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST(bucket_included, unleash_boundary_is_inclusive) {
  // bucket 9 is normalized 10: in at 10%, out at 9.99%.
  EXPECT_TRUE(bucket_included(bucketing_scheme::unleash, 9, 10.0));
  EXPECT_FALSE(bucket_included(bucketing_scheme::unleash, 9, 9.99));
  EXPECT_FALSE(bucket_included(bucketing_scheme::unleash, 0, 0.0));
  EXPECT_TRUE(bucket_included(bucketing_scheme::unleash, 99, 100.0));
}

TEST(bucket_included, growthbook_coverage_zero_excludes_bucket_zero) {
  EXPECT_FALSE(bucket_included(bucketing_scheme::growthbook, 0, 0.0));
  EXPECT_TRUE(bucket_included(bucketing_scheme::growthbook, 0, 0.01));
  EXPECT_TRUE(bucket_included(bucketing_scheme::growthbook, 5000, 50.0));  // n <= coverage
  EXPECT_FALSE(bucket_included(bucketing_scheme::growthbook, 5001, 50.0));
}

TEST(bucket_included, flagd_launchdarkly_and_rollproof_boundaries_are_exclusive) {
  EXPECT_FALSE(bucket_included(bucketing_scheme::flagd, 10, 10.0));
  EXPECT_TRUE(bucket_included(bucketing_scheme::flagd, 9, 10.0));
  EXPECT_FALSE(bucket_included(bucketing_scheme::launchdarkly, 10000, 10.0));
  EXPECT_TRUE(bucket_included(bucketing_scheme::launchdarkly, 9999, 10.0));
  EXPECT_FALSE(bucket_included(bucketing_scheme::rollproof, 1000, 10.0));
  EXPECT_TRUE(bucket_included(bucketing_scheme::rollproof, 999, 10.0));
}

TEST(bucket_scale, matches_the_protocol_table) {
  EXPECT_EQ(bucket_scale(bucketing_scheme::rollproof), 10000U);
  EXPECT_EQ(bucket_scale(bucketing_scheme::unleash), 100U);
  EXPECT_EQ(bucket_scale(bucketing_scheme::growthbook), 10000U);
  EXPECT_EQ(bucket_scale(bucketing_scheme::flagd), 100U);
  EXPECT_EQ(bucket_scale(bucketing_scheme::launchdarkly), 100000U);
}

TEST(parse_scheme, round_trips_every_scheme_and_refuses_others) {
  for (auto s :
       {bucketing_scheme::rollproof, bucketing_scheme::unleash, bucketing_scheme::growthbook,
        bucketing_scheme::flagd, bucketing_scheme::launchdarkly})
    EXPECT_EQ(parse_scheme(to_string(s)), s);
  EXPECT_FALSE(parse_scheme("murmur").has_value());
}

// --- Unleash client-specification files evaluated through the unleash scheme -------------------

struct unleash_context {
  std::optional<std::string> user_id, session_id;
};

std::optional<std::string> field(const boost::json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key); v && v->is_string()) return std::string{v->get_string()};
  return std::nullopt;
}

// One strategy, for the kinds expressible as (groupId, percentage, identifier); nullopt = a kind
// the scheme cannot express (constraints, custom stickiness), so the case is skipped.
std::optional<bool> evaluate_strategy(const boost::json::object& strategy, std::string_view feature,
                                      const unleash_context& ctx, std::mt19937& rng) {
  const std::string name{strategy.at("name").as_string()};
  if (name == "default") return true;
  if (const auto* c = strategy.if_contains("constraints"); c && !c->as_array().empty())
    return std::nullopt;
  const auto& params = strategy.at("parameters").as_object();
  std::optional<std::string> id;
  std::string group = field(params, "groupId").value_or("");
  std::string pct_text;
  if (name == "gradualRolloutUserId") {
    id = ctx.user_id;
    pct_text = field(params, "percentage").value_or("0");
  } else if (name == "gradualRolloutSessionId") {
    id = ctx.session_id;
    pct_text = field(params, "percentage").value_or("0");
  } else if (name == "flexibleRollout") {
    const auto stickiness = field(params, "stickiness").value_or("default");
    if (group.empty()) group = feature;
    if (stickiness == "default") {
      id = ctx.user_id ? ctx.user_id : ctx.session_id;
      if (!id) id = std::to_string(std::uniform_int_distribution<int>{1, 10000}(rng));
    } else if (stickiness == "userId") {
      id = ctx.user_id;
    } else if (stickiness == "sessionId") {
      id = ctx.session_id;
    } else {
      return std::nullopt;
    }
    pct_text = field(params, "rollout").value_or("0");
  } else {
    return std::nullopt;
  }
  if (!id) return false;
  const double pct = std::stod(pct_text);
  return bucket_included(bucketing_scheme::unleash,
                         bucket_of(bucketing_scheme::unleash, group, *id), pct);
}

int check_unleash_file(const std::string& file) {
  const auto spec = read_json(vectors_dir() / "unleash" / file);
  std::mt19937 rng{7};
  int checked = 0;
  for (const auto& t : spec.at("tests").as_array()) {
    const auto& test = t.as_object();
    const std::string toggle{test.at("toggleName").as_string()};
    const auto& ctx_json = test.at("context").as_object();
    if (ctx_json.size() > 2 ||
        (ctx_json.size() == 2 && !(ctx_json.contains("userId") && ctx_json.contains("sessionId"))))
      continue;
    const unleash_context ctx{field(ctx_json, "userId"), field(ctx_json, "sessionId")};
    for (const auto& f : spec.at("state").at("features").as_array()) {
      if (f.at("name").as_string() != toggle) continue;
      bool enabled = false, expressible = true;
      for (const auto& s : f.at("strategies").as_array()) {
        const auto r = evaluate_strategy(s.as_object(), toggle, ctx, rng);
        if (!r)
          expressible = false;
        else
          enabled = enabled || *r;
      }
      if (!f.at("enabled").as_bool()) enabled = false;
      if (!expressible) continue;
      EXPECT_EQ(enabled, test.at("expectedResult").as_bool())
          << file << ": " << test.at("description").as_string();
      ++checked;
    }
  }
  return checked;
}

TEST(unleash_scheme, agrees_with_the_gradual_rollout_user_id_specification) {
  EXPECT_EQ(check_unleash_file("03-gradual-rollout-user-id-strategy.json"), 6);
}

TEST(unleash_scheme, agrees_with_the_gradual_rollout_session_id_specification) {
  EXPECT_EQ(check_unleash_file("04-gradual-rollout-session-id-strategy.json"), 6);
}

TEST(unleash_scheme, agrees_with_the_flexible_rollout_specification) {
  EXPECT_EQ(check_unleash_file("10-flexible-rollout-strategy.json"), 10);
}

}  // namespace
}  // namespace rollproof::upload
