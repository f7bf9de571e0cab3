#include "rollproof/framework/plan.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "rollproof/framework/loader.hpp"
#include "rollproof/framework/runner.hpp"

namespace rollproof::framework {
namespace {

scenario scenario_from(const std::string& matrix) {
  auto s = load_scenario_text("[scenario]\nname = \"p\"\n[matrix]\n" + matrix, "p.toml");
  EXPECT_TRUE(s) << (s ? "" : to_string(s.error()));
  return s ? *s : scenario{};
}

std::vector<std::string> ids_of(const std::vector<case_spec>& cases) {
  std::vector<std::string> ids;
  for (const auto& c : cases)
    ids.push_back(c.id);
  return ids;
}

TEST(expand_matrix, makes_the_cartesian_product_in_a_stable_order) {
  const auto cases = expand_matrix(scenario_from("file_types = [\"text\", \"json\"]\nsizes = "
                                                 "[\"1MiB\"]\nroutes = [\"sync\", \"async\"]\n"),
                                   0);
  EXPECT_EQ(ids_of(cases), (std::vector<std::string>{
                               "p/text-1MiB-kimi-c4-sync-none", "p/text-1MiB-kimi-c4-async-none",
                               "p/json-1MiB-kimi-c4-sync-none", "p/json-1MiB-kimi-c4-async-none"}));
}

TEST(expand_matrix, drops_excluded_cells_and_adds_included_ones) {
  const auto cases =
      expand_matrix(scenario_from("sizes = [\"64KiB\", \"1MiB\"]\nroutes = [\"sync\", \"async\"]\n"
                                  "exclude = [{ size = \"1024KiB\", route = \"sync\" }]\n"
                                  "include = [{ file_type = \"csv\", concurrency = 9 }]\n"),
                    0);
  EXPECT_EQ(ids_of(cases), (std::vector<std::string>{
                               "p/text-64KiB-kimi-c4-sync-none", "p/text-64KiB-kimi-c4-async-none",
                               "p/text-1MiB-kimi-c4-async-none", "p/csv-64KiB-kimi-c9-sync-none"}));
}

TEST(expand_matrix, gives_an_included_cell_its_own_uploads) {
  const auto cases = expand_matrix(
      scenario_from("uploads = 5\ninclude = [{ concurrency = 1000, uploads = 2000 }]\n"), 0);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].uploads, 5u);
  EXPECT_EQ(cases[1].id, "p/text-1MiB-kimi-c1000-async-none");
  EXPECT_EQ(cases[1].uploads, 2000u);
}

TEST(expand_matrix, names_stage_cases_by_percent_and_gives_them_the_stage_uploads) {
  const auto cases = expand_matrix(
      scenario_from("stages = [0, { percent = 12.5, users = 10, uploads = 30 }]\n"), 0);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[1].id, "p/text-1MiB-kimi-c4-p12.5-none");
  EXPECT_EQ(cases[1].uploads, 30u);
  EXPECT_EQ(cases[1].parameters().at("stage"), "12.5");
  EXPECT_EQ(cases[1].parameters().count("route"), 0u);
}

TEST(expand_matrix, repeats_each_cell_with_distinct_ids) {
  const auto cases = expand_matrix(scenario_from("routes = [\"sync\"]\n"), 0, 3);
  EXPECT_EQ(ids_of(cases), (std::vector<std::string>{"p/text-1MiB-kimi-c4-sync-none-r1",
                                                     "p/text-1MiB-kimi-c4-sync-none-r2",
                                                     "p/text-1MiB-kimi-c4-sync-none-r3"}));
}

// A scenario file of 100 cells (5 file types x 4 sizes x 5 concurrencies), in a fresh directory.
std::filesystem::path a_100_cell_scenario_file() {
  const auto dir =
      std::filesystem::temp_directory_path() / ("rollproof-plan-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "hundred.toml";
  std::ofstream(file) << "[scenario]\nname = \"h\"\n[matrix]\n"
                         "file_types = [\"text\", \"json\", \"csv\", \"markdown\", \"python\"]\n"
                         "sizes = [\"1KiB\", \"2KiB\", \"3KiB\", \"4KiB\"]\n"
                         "concurrency = [1, 2, 3, 4, 5]\n";
  return file;
}

TEST(make_plan, plans_1000_repeats_of_a_100_cell_matrix_and_places_every_shard_case_in_the_plan) {
  const auto file = a_100_cell_scenario_file();
  const auto plan = make_plan({file.string()}, "", shard_spec{1, 3}, 1000, std::nullopt);
  std::filesystem::remove_all(file.parent_path());
  ASSERT_TRUE(plan) << to_string(plan.error());
  EXPECT_EQ(plan->plan_cases, 100'000u);
  ASSERT_EQ(plan->plan_index.size(), plan->cases.size());
  EXPECT_EQ(plan->cases.size(), 33'333u);  // round robin: shard 2 of 3 gets every third case
  for (std::size_t i = 0; i < plan->cases.size(); ++i)
    ASSERT_EQ(plan->plan_index[i], 3 * i + 1) << plan->cases[i].id;
}

// 1000 repeats of 100 cells are 100,000 cases: placing a third of them by searching the plan for
// each (as make_plan did) reads ~1.7e9 ids; a linear placement reads each id once.
TEST(plan_positions, reads_each_id_once_for_1000_repeats_of_a_100_cell_matrix) {
  const auto file = a_100_cell_scenario_file();
  const auto sc = load_scenario(file);
  std::filesystem::remove_all(file.parent_path());
  ASSERT_TRUE(sc);
  const auto all = expand_matrix(*sc, 0, 1000);
  ASSERT_EQ(all.size(), 100'000u);
  const auto chosen = shard_cases(all, shard_spec{1, 3});
  std::uint64_t reads = 0;
  const auto positions = plan_positions(all, chosen, [&](const case_spec& c) -> const std::string& {
    ++reads;
    return c.id;
  });
  EXPECT_EQ(reads, all.size() + chosen.size());
  ASSERT_EQ(positions.size(), chosen.size());
  EXPECT_EQ(positions.front(), 1u);
  EXPECT_EQ(positions.back(), 99'997u);
}

TEST(plan_positions, gives_each_chosen_case_the_index_of_its_id_in_the_plan) {
  const auto all = expand_matrix(scenario_from("routes = [\"sync\", \"async\"]\n"), 0, 2);
  const std::vector<case_spec> chosen{all[3], all[0]};
  EXPECT_EQ(plan_positions(all, chosen), (std::vector<std::uint64_t>{3, 0}));
}

TEST(expectations_for, layers_every_matching_when_table_over_expect_in_file_order) {
  const auto s = scenario_from(
      "routes = [\"sync\", \"async\"]\nsizes = [\"1KiB\", \"1MiB\"]\n"
      "[expect]\nsuccess_rate = { at_least = 0.99 }\ntimeout_rate = { at_most = 0.01 }\n"
      "[[expect.when]]\ncell = { route = \"async\" }\nsuccess_rate = { at_least = 0.9 }\n"
      "latency_ms = { p95 = { at_most = 800 } }\n"
      "[[expect.when]]\ncell = { route = \"async\", size = \"1024KiB\" }\n"
      "success_rate = { at_least = 0.5 }\nintegrity = \"none\"\n");
  const auto cases = expand_matrix(s, 0);
  ASSERT_EQ(ids_of(cases), (std::vector<std::string>{
                               "p/text-1KiB-kimi-c4-sync-none", "p/text-1KiB-kimi-c4-async-none",
                               "p/text-1MiB-kimi-c4-sync-none", "p/text-1MiB-kimi-c4-async-none"}));
  const auto sync_small = expectations_for(s, cases[0]);
  EXPECT_EQ(sync_small.success_rate_at_least, 0.99);
  EXPECT_FALSE(sync_small.latency_p95_ms_at_most.has_value());
  EXPECT_TRUE(sync_small.integrity_all);
  const auto async_small = expectations_for(s, cases[1]);
  EXPECT_EQ(async_small.success_rate_at_least, 0.9);
  EXPECT_EQ(async_small.latency_p95_ms_at_most, 800.0);
  EXPECT_EQ(async_small.timeout_rate_at_most, 0.01) << "a key no when table sets stays";
  const auto async_large = expectations_for(s, cases[3]);
  EXPECT_EQ(async_large.success_rate_at_least, 0.5) << "the later table wins";
  EXPECT_EQ(async_large.latency_p95_ms_at_most, 800.0);
  EXPECT_FALSE(async_large.integrity_all);
}

TEST(filter_cases, keeps_ids_matching_the_glob) {
  const auto cases = expand_matrix(
      scenario_from("file_types = [\"text\", \"json\"]\nroutes = [\"sync\", \"async\"]\n"), 0);
  EXPECT_EQ(ids_of(filter_cases(cases, "*json*async*")),
            (std::vector<std::string>{"p/json-1MiB-kimi-c4-async-none"}));
  EXPECT_EQ(filter_cases(cases, "").size(), 4u);
  EXPECT_TRUE(filter_cases(cases, "nothing*").empty());
}

TEST(shard_cases, deals_cases_round_robin) {
  const auto cases = expand_matrix(scenario_from("concurrency = [1, 2, 3, 4, 5]\n"), 0);
  EXPECT_EQ(ids_of(shard_cases(cases, {1, 2})),
            (std::vector<std::string>{"p/text-1MiB-kimi-c2-async-none",
                                      "p/text-1MiB-kimi-c4-async-none"}));
}

TEST(parse_shard, counts_from_one_and_rejects_nonsense) {
  EXPECT_EQ(parse_shard("1/3")->index, 0u);
  EXPECT_EQ(parse_shard("3/3")->index, 2u);
  EXPECT_EQ(parse_shard("3/3")->total, 3u);
  for (const char* bad : {"0/3", "4/3", "1/0", "x/2", "2", "1/2/3", ""})
    EXPECT_FALSE(parse_shard(bad)) << bad;
}

}  // namespace
}  // namespace rollproof::framework
