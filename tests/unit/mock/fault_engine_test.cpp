#include "rollproof/mock/fault_engine.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <map>

namespace rollproof::mock {
namespace {

fault_plan plan_of(std::string_view toml_text) {
  auto plan = parse_fault_plan(toml::parse(toml_text, std::string_view("t.toml")), "t.toml");
  if (!plan) ADD_FAILURE() << rollproof::to_string(plan.error());
  return plan.value_or(fault_plan{});
}

request_facts post_upload(std::optional<std::uint64_t> length = 100,
                          std::string user_agent = "client/1 (route=async)") {
  return {"POST", "/v1/files", length,
          [user_agent](std::string_view name) -> std::optional<std::string> {
            if (name == "User-Agent") return user_agent;
            return std::nullopt;
          }};
}

// A GET whose only header is `name: value`.
request_facts with_header(std::string name, std::string value) {
  return {"GET", "/v1/files", std::nullopt,
          [name, value](std::string_view asked) -> std::optional<std::string> {
            if (asked == name) return value;
            return std::nullopt;
          }};
}

// A plan of one `close` rule matching header X-H by `regex`.
fault_plan header_rule(std::string_view regex) {
  return plan_of(fmt::format(
      R"(rules = [{{ name = "h", match = {{ header = {{ name = "X-H", regex = '{}' }} }}, action = {{ kind = "close" }} }}])",
      regex));
}

// Which of the first `n` requests were faulted, as a string of '1' and '0'.
std::string pattern_of(fault_engine& engine, int n) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += engine.decide(post_upload()) ? '1' : '0';
  return out;
}

TEST(glob_matches, lets_a_star_cross_slashes_and_needs_the_whole_path) {
  EXPECT_TRUE(glob_matches("*/files", "/v1/files"));
  EXPECT_TRUE(glob_matches("*/files", "/api/paas/v4/files"));
  EXPECT_FALSE(glob_matches("*/files", "/v1/files/abc"));
  EXPECT_TRUE(glob_matches("/v1/files/*/content", "/v1/files/abc/content"));
  EXPECT_TRUE(glob_matches("/v?/files", "/v1/files"));
  EXPECT_FALSE(glob_matches("/v1/files", "/v1/file"));
}

TEST(rule_matches, checks_method_path_header_regex_and_declared_size) {
  fault_match m;
  m.method = "POST";
  m.path = "*/files";
  m.header = header_match{"User-Agent", "route=(async|sync)"};
  m.min_bytes = 50;
  m.max_bytes = 150;
  EXPECT_TRUE(rule_matches(m, post_upload()));
  EXPECT_FALSE(rule_matches(m, post_upload(10)));
  EXPECT_FALSE(rule_matches(m, post_upload(151)));
  EXPECT_FALSE(rule_matches(m, post_upload(std::nullopt))) << "chunked bodies have no known size";
  EXPECT_FALSE(rule_matches(m, post_upload(100, "client/1")));
  auto get = post_upload();
  get.method = "GET";
  EXPECT_FALSE(rule_matches(m, get));
  EXPECT_TRUE(rule_matches(fault_match{}, post_upload(std::nullopt))) << "empty match takes all";
}

TEST(fault_engine, fires_on_every_matching_request_with_an_empty_schedule) {
  fault_engine engine(1);
  engine.set_plan(plan_of(R"(rules = [{ name = "all", action = { kind = "close" } }])"));
  EXPECT_EQ(pattern_of(engine, 5), "11111");
}

TEST(fault_engine, follows_every_first_and_after_schedules) {
  fault_engine every(1);
  every.set_plan(plan_of(
      R"(rules = [{ name = "e", schedule = { every = 3 }, action = { kind = "close" } }])"));
  EXPECT_EQ(pattern_of(every, 7), "0010010");
  fault_engine first(1);
  first.set_plan(plan_of(
      R"(rules = [{ name = "f", schedule = { first = 2 }, action = { kind = "close" } }])"));
  EXPECT_EQ(pattern_of(first, 5), "11000");
  fault_engine after(1);
  after.set_plan(plan_of(
      R"(rules = [{ name = "a", schedule = { after = 3 }, action = { kind = "close" } }])"));
  EXPECT_EQ(pattern_of(after, 5), "00011");
}

TEST(fault_engine, gives_the_same_probabilistic_faults_for_the_same_seed_and_after_restart) {
  const auto plan = plan_of(
      R"(rules = [{ name = "p", schedule = { probability = 0.3 }, action = { kind = "close" } }])");
  fault_engine a(42);
  a.set_plan(plan);
  fault_engine b(42);
  b.set_plan(plan);
  const auto first = pattern_of(a, 200);
  EXPECT_EQ(pattern_of(b, 200), first);
  a.restart();
  EXPECT_EQ(pattern_of(a, 200), first);
  fault_engine other(43);
  other.set_plan(plan);
  EXPECT_NE(pattern_of(other, 200), first);
  const auto fired = std::count(first.begin(), first.end(), '1');
  EXPECT_GT(fired, 30);  // 60 expected; these bounds are > 5 sigma away
  EXPECT_LT(fired, 95);
}

TEST(fault_engine, lets_the_first_firing_rule_win_and_counts_only_rules_tried) {
  fault_engine engine(1);
  engine.set_plan(plan_of(R"(rules = [
    { name = "odd", schedule = { every = 2 }, action = { kind = "close" } },
    { name = "rest", action = { kind = "empty" } },
  ])"));
  std::string names;
  for (int i = 0; i < 4; ++i)
    names += engine.decide(post_upload())->name + ",";
  EXPECT_EQ(names, "rest,odd,rest,odd,");
}

TEST(fault_engine, samples_latency_within_the_distribution_bounds) {
  fault_engine engine(9);
  engine.set_plan(plan_of(R"(rules = [
    { name = "u", match = { method = "POST" }, action = { kind = "latency", distribution = "uniform", min_ms = 10, max_ms = 20 } },
    { name = "l", action = { kind = "latency", distribution = "lognormal", median_ms = 100, sigma = 2.0, max_ms = 300 } },
  ])"));
  for (int i = 0; i < 100; ++i) {
    const auto d = engine.decide(post_upload());
    ASSERT_TRUE(d);
    EXPECT_GE(d->latency_ms, 10u);
    EXPECT_LE(d->latency_ms, 20u);
  }
  auto get = post_upload();
  get.method = "GET";
  std::uint64_t capped = 0;
  for (int i = 0; i < 200; ++i) {
    const auto d = engine.decide(get);
    ASSERT_TRUE(d);
    EXPECT_LE(d->latency_ms, 300u);
    capped += d->latency_ms == 300u;
  }
  EXPECT_GT(capped, 0u) << "sigma 2 puts ~30% of draws above 3x the median";
}

TEST(fault_engine, replacing_the_plan_restarts_the_schedules) {
  fault_engine engine(1);
  const auto plan =
      plan_of(R"(rules = [{ name = "f", schedule = { first = 1 }, action = { kind = "close" } }])");
  engine.set_plan(plan);
  EXPECT_EQ(pattern_of(engine, 2), "10");
  engine.set_plan(plan);
  EXPECT_EQ(pattern_of(engine, 2), "10");
  EXPECT_EQ(engine.plan(), plan);
}

TEST(fault_engine, matches_a_catastrophic_pattern_against_a_hostile_header_at_once) {
  fault_engine engine(1);
  engine.set_plan(header_rule("^(a+)+$"));
  const auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(engine.decide(with_header("X-H", std::string(40, 'a') + "!")));
  EXPECT_TRUE(engine.decide(with_header("X-H", std::string(40, 'a'))));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
}

TEST(fault_engine, matches_a_repeated_group_over_a_14_kb_header_without_running_out_of_stack) {
  fault_engine engine(1);
  engine.set_plan(header_rule("^(ab|cd)*$"));
  std::string value;
  for (int i = 0; i < 7000; ++i)
    value += "ab";
  EXPECT_TRUE(engine.decide(with_header("X-H", value)));
  EXPECT_FALSE(engine.decide(with_header("X-H", value + "x")));
}

TEST(fault_engine, looks_up_a_requests_headers_without_holding_its_lock) {
  fault_engine engine(1);
  engine.set_plan(header_rule("x"));
  std::future<void> other;  // outlives decide(), so a blocked thread cannot block the test too
  bool others_went_on = false;
  const request_facts slow{
      "GET", "/v1/files", std::nullopt, [&](std::string_view) -> std::optional<std::string> {
        other = std::async(std::launch::async, [&engine] {
          (void)engine.plan();
          engine.restart();
        });
        others_went_on = other.wait_for(std::chrono::seconds(2)) == std::future_status::ready;
        return "x";
      }};
  EXPECT_TRUE(engine.decide(slow));
  EXPECT_TRUE(others_went_on) << "plan() and restart() waited for a header lookup";
}

}  // namespace
}  // namespace rollproof::mock
