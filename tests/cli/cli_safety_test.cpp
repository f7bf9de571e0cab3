// What `rollproof` prints and where it writes, against hostile scenarios: no raw terminal
// escapes, no write through a symbolic link given as --out.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "run_command.hpp"

namespace rollproof::testing {
namespace {

// cli/passes.toml with terminal escape sequences in its name and description, and (unless
// `valid`) in a route, which validate then quotes in its error.
std::string passes_with_escapes(bool valid) {
  std::string text = read_file(test_scenario("cli/passes.toml"));
  const auto replace = [&](const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  replace("name = \"cli-passes\"",
          "name = \"esc\\u001b[2Jname\\u009b31m\"\ndescription = \"\\u001b]0;pwned\\u0007\"");
  if (!valid) replace("routes = [\"async\"]", "routes = [\"\\u001b[2J\"]");
  return text;
}

bool has_raw_control(const std::string& text) {
  return text.find_first_of("\x1b\x07") != std::string::npos ||
         text.find("\xc2\x9b") != std::string::npos;
}

TEST(rollproof_cli, escape_sequences_from_a_scenario_never_reach_the_terminal_raw) {
  temp_dir dir;
  const auto valid = dir.path() / "escapes.toml";
  std::ofstream(valid, std::ios::binary) << passes_with_escapes(true);
  const auto invalid = dir.path() / "invalid.toml";
  std::ofstream(invalid, std::ios::binary) << passes_with_escapes(false);

  const auto list = rollproof({"list", valid.string()});
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("esc\\x1b[2Jname\\xc2\\x9b31m"), std::string::npos) << list.out;
  const auto validate = rollproof({"validate", invalid.string()});
  EXPECT_EQ(validate.code, 2);
  EXPECT_NE(validate.err.find("\\x1b[2J"), std::string::npos) << validate.err;
  const auto run = rollproof({"run", valid.string(), "--out", dir.str("out")});
  EXPECT_EQ(run.code, 0) << run.err;
  for (const auto* r : {&list, &validate, &run}) {
    EXPECT_FALSE(has_raw_control(r->out)) << r->out;
    EXPECT_FALSE(has_raw_control(r->err)) << r->err;
  }
}

TEST(rollproof_cli, run_refuses_an_out_directory_that_is_a_symbolic_link) {
  temp_dir dir;
  std::filesystem::create_directories(dir.path() / "real");
  std::filesystem::create_directory_symlink(dir.path() / "real", dir.path() / "out");
  const auto r = rollproof({"run", test_scenario("cli/passes.toml"), "--out", dir.str("out")});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--out is a symbolic link"), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "real"));
}

}  // namespace
}  // namespace rollproof::testing
