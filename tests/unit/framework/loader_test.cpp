#include "rollproof/framework/loader.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_paths.hpp"

namespace rollproof::framework {
namespace {

std::filesystem::path scenarios_dir() {
  return rollproof::testing::source_dir() / "tests/data/scenarios";
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Loads a test scenario under its bare file name, as the .expected files spell it.
std::expected<scenario, diagnostics> load_named(const std::filesystem::path& p) {
  return load_scenario_text(read_text(p), p.filename().string());
}

std::vector<std::filesystem::path> invalid_scenarios() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(scenarios_dir() / "invalid"))
    if (e.path().extension() == ".toml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(load_scenario, reports_every_error_of_each_invalid_file_exactly_as_its_golden_file) {
  const auto files = invalid_scenarios();
  ASSERT_GE(files.size(), 10u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.filename().string());
    const auto loaded = load_named(f);
    ASSERT_FALSE(loaded) << "an invalid scenario loaded";
    auto expected = f;
    expected.replace_extension(".expected");
    EXPECT_EQ(to_string(loaded.error()), read_text(expected));
  }
}

TEST(load_scenario, accepts_a_file_that_uses_every_key) {
  const auto loaded = load_scenario(scenarios_dir() / "valid/every_key.toml");
  ASSERT_TRUE(loaded) << to_string(loaded.error());
  const scenario& s = *loaded;
  EXPECT_EQ(s.name, "every-key");
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.time_limit.count(), 45'000);
  EXPECT_EQ(s.subject.command.at(0), "./my-subject");
  EXPECT_EQ(s.subject.settings.at("sync_workers").as_int64(), 4);
  EXPECT_EQ(s.providers.at("kimi").api_key, "sk-test-every-key");
  EXPECT_EQ(s.providers.at("kimi").max_file_size, 100'000'000u);
  EXPECT_EQ(s.providers.at("glm").rpm, 600u);
  EXPECT_EQ(s.matrix.file_types.size(), 6u);
  EXPECT_EQ(s.matrix.sizes, (std::vector<std::uint64_t>{100, 512 * 1024, 1024 * 1024}));
  EXPECT_EQ(s.matrix.uploads, 5u);
  EXPECT_EQ(s.matrix.exclude.size(), 2u);
  EXPECT_EQ(s.matrix.exclude[0].at("size"), "1048576");
  EXPECT_EQ(s.expect.latency_p95_ms_at_most, 2000.0);
  EXPECT_EQ(s.expect.timeout_rate_at_most, 0.01);
  ASSERT_EQ(s.expect_when.size(), 1u);
  EXPECT_EQ(s.expect_when[0].cell,
            (std::map<std::string, std::string>{{"faults", "flaky"}, {"size", "1048576"}}));
  EXPECT_EQ(s.expect_when[0].patch.success_rate_at_least, 0.9);
  EXPECT_EQ(s.expect_when[0].patch.latency_p95_ms_at_most, 4000.0);
  EXPECT_FALSE(s.expect_when[0].patch.latency_p50_ms_at_most.has_value());
  EXPECT_FALSE(s.expect_when[0].patch.integrity_all.has_value());
  ASSERT_EQ(s.faults.count("flaky"), 1u);
  EXPECT_TRUE(s.faults.at("flaky").plan.as_object().at("rules").is_array());
  EXPECT_EQ(s.claims.size(), 1u);
  EXPECT_EQ(s.sha256.size(), 64u);
}

TEST(load_scenario, reads_the_claims_family_settings_and_defaults_to_holm) {
  const auto plain = load_scenario_text("[scenario]\nname = \"p\"\n", "p.toml");
  ASSERT_TRUE(plain) << to_string(plain.error());
  EXPECT_EQ(plain->claim_family.error_control, "holm");
  EXPECT_DOUBLE_EQ(plain->claim_family.alpha, 0.05);
  EXPECT_FALSE(plain->claim_family.stated);
  const auto bh = load_scenario_text(
      "[scenario]\nname = \"b\"\n[claims]\nerror_control = \"bh\"\nalpha = 0.1\n", "b.toml");
  ASSERT_TRUE(bh) << to_string(bh.error());
  EXPECT_EQ(bh->claim_family.error_control, "bh");
  EXPECT_DOUBLE_EQ(bh->claim_family.alpha, 0.1);
  EXPECT_TRUE(bh->claim_family.stated);
  // A claim's own level is allowed when the family adjusts nothing.
  const auto none = load_scenario_text(
      "[scenario]\nname = \"n\"\n[claims]\nerror_control = \"none\"\n[[claim]]\nid = \"r\"\n"
      "text = \"t\"\nmetric = \"success_rate\"\nat_least = 0.9\nconfidence = 0.99\n",
      "n.toml");
  EXPECT_TRUE(none) << to_string(none.error());
}

TEST(load_scenario, gives_a_provider_without_a_table_the_documented_defaults) {
  const auto loaded =
      load_scenario_text("[scenario]\nname = \"d\"\n[matrix]\nproviders = [\"glm\"]\n", "d.toml");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->providers.at("glm").api_key, "sk-rollproof-glm");
  EXPECT_EQ(loaded->providers.at("glm").store, "none");
}

TEST(load_scenario, reads_stages_as_numbers_or_tables) {
  const auto loaded = load_scenario_text(
      "[scenario]\nname = \"s\"\n[matrix]\nuploads = 50\n"
      "stages = [0, { percent = 10, users = 200, uploads = 400 }]\n",
      "s.toml");
  ASSERT_TRUE(loaded) << to_string(loaded.error());
  ASSERT_EQ(loaded->matrix.stages.size(), 2u);
  EXPECT_TRUE(loaded->matrix.routes.empty());
  EXPECT_EQ(loaded->matrix.stages[0].uploads, 50u);
  EXPECT_EQ(loaded->matrix.stages[1].percent, 10.0);
  EXPECT_EQ(loaded->matrix.stages[1].users, 200u);
}

TEST(load_scenario, reads_the_rollback_gates_of_the_rollout_fallback_scenario) {
  const auto loaded =
      load_scenario(rollproof::testing::source_dir() / "scenarios/rollout/fallback.toml");
  ASSERT_TRUE(loaded) << to_string(loaded.error());
  ASSERT_TRUE(loaded->rollback.has_value());
  const rollback_spec& rb = *loaded->rollback;
  EXPECT_EQ(rb.to, "previous");
  EXPECT_EQ(rb.method, "sequential");
  EXPECT_EQ(rb.alpha, 0.05);
  EXPECT_EQ(rb.on_inconclusive, "hold");
  EXPECT_EQ(rb.error_rate_at_most, 0.05);
  EXPECT_EQ(rb.timeout_rate_at_most, 0.01);
  EXPECT_FALSE(rb.latency_p95_ms_at_most.has_value());
  EXPECT_EQ(rb.verify_uploads, 100U);
  EXPECT_TRUE(rb.expect_rollback);
}

TEST(load_scenario, reads_the_window_rule_of_the_rollback_previous_scenario) {
  const auto loaded =
      load_scenario(rollproof::testing::source_dir() / "scenarios/rollout/rollback_previous.toml");
  ASSERT_TRUE(loaded) << to_string(loaded.error());
  const rollback_spec& rb = *loaded->rollback;
  EXPECT_EQ(rb.method, "windows");
  EXPECT_EQ(rb.window, 50U);
  EXPECT_EQ(rb.min_samples, 5U);
  EXPECT_EQ(rb.inconclusive_limit, 1U);
  EXPECT_EQ(rb.consecutive_error_limit, 2U);
}

TEST(load_scenario, gives_the_sequential_gate_by_default_with_a_safe_inconclusive_policy) {
  const auto loaded = load_scenario_text(
      "[scenario]\nname = \"g\"\n[rollback]\nerror_rate = { at_most = 0.05 }\n", "g.toml");
  ASSERT_TRUE(loaded) << to_string(loaded.error());
  EXPECT_EQ(loaded->rollback->method, "sequential");
  EXPECT_EQ(loaded->rollback->alpha, 0.05);
  EXPECT_EQ(loaded->rollback->on_inconclusive, "hold");
}

TEST(load_scenario, reads_the_comparative_gate_against_the_baseline_route) {
  const auto loaded = load_scenario_text(
      "[scenario]\nname = \"g\"\n[rollback]\nerror_rate_over_baseline = { at_most = 0.02 }\n",
      "g.toml");
  ASSERT_TRUE(loaded) << to_string(loaded.error());
  EXPECT_EQ(loaded->rollback->error_rate_over_baseline_at_most, 0.02);
  EXPECT_FALSE(loaded->rollback->error_rate_at_most.has_value());
}

TEST(load_scenario, refuses_a_baseline_margin_of_one_or_more_where_it_is_written) {
  const auto loaded = load_scenario_text(
      "[scenario]\nname = \"g\"\n[rollback]\nerror_rate_over_baseline = { at_most = 1 }\n",
      "g.toml");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(to_string(loaded.error()),
            "g.toml:4:40: 'error_rate_over_baseline.at_most' must be below 1 (got 1)\n");
}

TEST(load_scenario, refuses_the_comparative_gate_under_the_window_rule) {
  const auto loaded = load_scenario_text(
      "[scenario]\nname = \"g\"\n[rollback]\nmethod = \"windows\"\n"
      "error_rate_over_baseline = { at_most = 0.02 }\n",
      "g.toml");
  ASSERT_FALSE(loaded);
  EXPECT_NE(to_string(loaded.error())
                .find("g.toml:5:28: 'error_rate_over_baseline' applies to method = \"sequential\" "
                      "only"),
            std::string::npos)
      << to_string(loaded.error());
}

TEST(load_scenario, reads_a_bucketing_section_and_fills_what_it_leaves_out) {
  const auto loaded = load_scenario_text(
      "[scenario]\nname = \"b\"\n[bucketing]\nshapes = [\"uuid\", \"email\"]\n"
      "users = 500\npercents = [0, 25, 100]\nscheme = \"unleash\"\n",
      "b.toml");
  ASSERT_TRUE(loaded) << to_string(loaded.error());
  ASSERT_TRUE(loaded->bucketing.has_value());
  const bucketing_spec& b = *loaded->bucketing;
  EXPECT_EQ(b.shapes, (std::vector<std::string>{"uuid", "email"}));
  EXPECT_EQ(b.users, 500U);
  EXPECT_EQ(b.percents, (std::vector<double>{0, 25, 100}));
  EXPECT_EQ(b.scheme, "unleash");
  EXPECT_EQ(b.salt, "async_upload");
  EXPECT_EQ(b.second_salt, "async_upload_b");
  EXPECT_EQ(b.alpha, 0.001);
  EXPECT_FALSE(loaded->has_matrix);
}

TEST(load_scenario, expects_every_upload_ok_and_intact_when_the_file_says_nothing) {
  const auto loaded = load_scenario_text("[scenario]\nname = \"quiet\"\n", "quiet.toml");
  ASSERT_TRUE(loaded) << to_string(loaded.error());
  EXPECT_EQ(loaded->expect.success_rate_at_least, 1.0);
  EXPECT_FALSE(loaded->expect.success_rate_at_most.has_value());
  EXPECT_TRUE(loaded->expect.success_rate_default);
  EXPECT_TRUE(loaded->expect.integrity_all);
  EXPECT_TRUE(loaded->expect.integrity_default);
}

TEST(load_scenario,
     reads_an_upper_success_rate_bound_that_replaces_the_default_for_a_negative_test) {
  const auto loaded = load_scenario_text(
      "[scenario]\nname = \"negative\"\n[expect]\nsuccess_rate = { at_most = 0.0 }\n",
      "negative.toml");
  ASSERT_TRUE(loaded) << to_string(loaded.error());
  EXPECT_FALSE(loaded->expect.success_rate_at_least.has_value());
  EXPECT_EQ(loaded->expect.success_rate_at_most, 0.0);
  EXPECT_FALSE(loaded->expect.success_rate_default);
}

TEST(load_scenario, warns_about_a_size_a_provider_refuses_and_gates_a_stage_cannot_decide) {
  const auto loaded = load_named(scenarios_dir() / "warnings/limits_and_gates.toml");
  ASSERT_TRUE(loaded) << to_string(loaded.error());
  EXPECT_EQ(to_string(loaded->warnings),
            "limits_and_gates.toml:7:18: warning: size 60MB exceeds glm's limit of 52428800 bytes: "
            "its glm cases will be refused (expect that with an [[expect.when]] table, or exclude "
            "the cell)\n"
            "limits_and_gates.toml:15:10: warning: at stage 10% a window of 50 uploads averages 5 "
            "async uploads, fewer than min_samples 10: its measurements would be inconclusive; "
            "raise 'window' to 100 (or lower 'min_samples')\n");
}

TEST(load_scenario,
     says_to_raise_a_stage_s_uploads_too_when_they_are_fewer_than_the_window_needed) {
  const auto loaded = load_scenario_text(
      "[scenario]\nname = \"short\"\n[matrix]\nstages = [{ percent = 10, uploads = 60 }]\n"
      "[rollback]\nwindow = 50\nmin_samples = 10\nerror_rate = { at_most = 0.05 }\n"
      "method = \"windows\"\n",
      "short.toml");
  ASSERT_TRUE(loaded) << to_string(loaded.error());
  ASSERT_EQ(loaded->warnings.size(), 1u);
  EXPECT_NE(loaded->warnings[0].message.find("raise 'window' and the stage's uploads to 100"),
            std::string::npos)
      << loaded->warnings[0].message;
}

TEST(load_scenario, gives_no_warning_for_the_repository_scenarios_that_fit_their_providers) {
  const auto loaded =
      load_scenario(rollproof::testing::source_dir() / "scenarios/rollout/fallback.toml");
  ASSERT_TRUE(loaded) << to_string(loaded.error());
  EXPECT_EQ(to_string(loaded->warnings), "");
}

std::filesystem::path fuzz_seed(std::string_view name) {
  return rollproof::testing::source_dir() / "tests/fuzz/seeds/scenario_loader" / name;
}

TEST(load_scenario, accepts_every_bounded_value_at_its_bound) {
  const auto loaded = load_named(fuzz_seed("at_the_bounds.toml"));
  ASSERT_TRUE(loaded) << to_string(loaded.error());
  EXPECT_EQ(loaded->time_limit.count(), 86'400'000);
  EXPECT_EQ(loaded->matrix.sizes.back(), 16ull << 30);
  EXPECT_EQ(loaded->matrix.uploads, 10'000'000u);
  EXPECT_EQ(loaded->matrix.stages.back().users, 10'000'000u);
  EXPECT_EQ(loaded->matrix.arrival_rate, 0.001);
}

TEST(load_scenario, refuses_every_bounded_value_one_step_past_its_bound) {
  const auto loaded = load_named(fuzz_seed("just_past_the_bounds.toml"));
  ASSERT_FALSE(loaded);
  // One diagnostic per value past its bound: time_limit, repeat, max_file_size, store, two sizes,
  // two concurrencies, arrival_rate, uploads, two percents, a stage's users and uploads, and the
  // include's concurrency and uploads; and one for the size written as a negative integer.
  EXPECT_EQ(loaded.error().size(), 17u) << to_string(loaded.error());
}

TEST(load_scenario, names_a_missing_file) {
  const auto loaded = load_scenario("/nonexistent/rollproof.toml");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(to_string(loaded.error()), "/nonexistent/rollproof.toml: cannot open the file\n");
}

// A fresh directory for paths that are not regular files; removed by the destructor.
class odd_paths : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("rollproof-odd-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string a_fifo() {
    const auto p = dir_ / "fifo.toml";
    EXPECT_EQ(::mkfifo(p.c_str(), 0600), 0);
    return p.string();
  }
  std::string a_symlink_loop() {
    std::filesystem::create_symlink(dir_ / "b.toml", dir_ / "a.toml");
    std::filesystem::create_symlink(dir_ / "a.toml", dir_ / "b.toml");
    return (dir_ / "a.toml").string();
  }
  std::filesystem::path dir_;
};

TEST_F(odd_paths, a_fifo_is_refused_as_not_a_regular_file_without_waiting_for_a_writer) {
  const auto fifo = a_fifo();
  const auto loaded = load_scenario(fifo);  // blocked forever in open() before
  ASSERT_FALSE(loaded);
  EXPECT_EQ(to_string(loaded.error()), fifo + ": not a regular file (a FIFO)\n");
  const auto found = find_scenario_files({fifo});
  ASSERT_FALSE(found);
  EXPECT_EQ(to_string(found.error()), fifo + ": not a regular file (a FIFO)\n");
}

TEST_F(odd_paths, a_device_is_refused_as_not_a_regular_file) {
  const auto loaded = load_scenario("/dev/null");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(to_string(loaded.error()), "/dev/null: not a regular file (a device)\n");
  const auto found = find_scenario_files({"/dev/null"});
  ASSERT_FALSE(found);
  EXPECT_EQ(to_string(found.error()), "/dev/null: not a regular file (a device)\n");
}

TEST_F(odd_paths, a_symlink_loop_is_named_as_one_not_as_a_missing_file) {
  const auto loop = a_symlink_loop();
  const auto found = find_scenario_files({loop});
  ASSERT_FALSE(found);
  EXPECT_EQ(to_string(found.error()), loop + ": Too many levels of symbolic links\n");
  const auto loaded = load_scenario(loop);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(to_string(loaded.error()),
            loop + ": cannot open the file: Too many levels of symbolic links\n");
}

TEST(find_scenario_files, expands_a_directory_tree_to_every_toml_file_in_it_sorted_by_path) {
  const auto tree = scenarios_dir() / "tree";
  const auto files = find_scenario_files({tree.string()});
  ASSERT_TRUE(files) << to_string(files.error());
  EXPECT_EQ(*files,
            (std::vector<std::filesystem::path>{tree / "sub/deep.toml", tree / "top.toml"}));
}

TEST(duplicate_names, names_the_file_and_position_of_both_uses_of_a_name) {
  const auto dir = scenarios_dir() / "duplicate_names";
  const auto first = load_scenario(dir / "first.toml");
  const auto second = load_scenario(dir / "nested/second.toml");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(to_string(duplicate_names({*first, *second})),
            (dir / "nested/second.toml").string() +
                ":3:8: scenario name 'same-name' is also used by " + (dir / "first.toml").string() +
                ":2:8 (names must be unique: case ids start with them)\n");
  EXPECT_TRUE(duplicate_names({*first}).empty());
}

TEST(find_scenario_files, expands_a_directory_to_its_sorted_toml_files) {
  const auto files = find_scenario_files({(scenarios_dir() / "invalid").string()});
  ASSERT_TRUE(files);
  EXPECT_EQ(*files, invalid_scenarios());
  EXPECT_FALSE(find_scenario_files({"/nonexistent-dir"}));
}

}  // namespace
}  // namespace rollproof::framework
