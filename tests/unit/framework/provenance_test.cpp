#include "rollproof/framework/provenance.hpp"

#include <gtest/gtest.h>

#include <csignal>

#include "rollproof/common/sha256.hpp"
#include "run_command.hpp"

namespace rollproof::framework {
namespace {

TEST(read_git_info, says_not_a_git_work_tree_outside_one) {
  testing::temp_dir outside;  // under the system temp dir, not in any repository
  const auto g = read_git_info(outside.str());
  EXPECT_FALSE(g.work_tree);
  EXPECT_EQ(reports::commit_text(g), "not a git work tree");
}

TEST(read_git_info, gives_the_commit_inside_the_source_tree) {
  const auto g = read_git_info(testing::source_dir().string());
  EXPECT_TRUE(g.work_tree);
  EXPECT_EQ(g.commit.size(), 40u);
  EXPECT_EQ(reports::commit_text(g), g.commit);
}

TEST(describe_subject, takes_name_and_version_from_hello_and_hashes_the_program_file) {
  const auto program = testing::bin_dir() / "rollproof-upload";
  const auto s = describe_subject({program.string()}, redactor{});
  EXPECT_EQ(s.name, "rollproof-upload");
  EXPECT_FALSE(s.version.empty());
  EXPECT_EQ(s.program_sha256, *sha256_file(program));
  EXPECT_EQ(s.command, std::vector<std::string>{program.string()});
}

TEST(describe_subject, leaves_hello_empty_for_a_subject_that_does_not_answer) {
  // The hello may be written after `true` exited; the runner ignores SIGPIPE, and so does this.
  std::signal(SIGPIPE, SIG_IGN);
  // `true` is a file on $PATH that exits at once: hashed, but no hello answer.
  const auto s = describe_subject({"true"}, redactor{});
  EXPECT_TRUE(s.name.empty());
  EXPECT_TRUE(s.version.empty());
  EXPECT_EQ(s.program_sha256, *sha256_file(*program_file("true")));
}

TEST(program_file, finds_a_bare_name_on_the_path_and_nothing_for_a_missing_file) {
  ASSERT_TRUE(program_file("sh").has_value());
  EXPECT_EQ(program_file("sh")->filename(), "sh");
  EXPECT_FALSE(program_file("/nonexistent/subject").has_value());
  EXPECT_FALSE(program_file("rollproof-no-such-program").has_value());
}

}  // namespace
}  // namespace rollproof::framework
