#include "process_tree.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "rollproof/framework/child_process.hpp"

namespace rollproof::framework::detail {
namespace {

using std::chrono::seconds;
using clock = std::chrono::steady_clock;

// A shell that starts `env RP_TREE_TEST=<value> sleep 30` in the background, prints its pid and
// waits for it; the pid, or 0.
int start_tagged_grandchild(std::unique_ptr<child_process>& shell, const std::string& value) {
  auto c = child_process::start(
      {"/bin/sh", "-c", "env RP_TREE_TEST=" + value + " sleep 30 & echo $!; wait"});
  EXPECT_TRUE(c);
  if (!c) return 0;
  shell = std::move(*c);
  std::string line;
  EXPECT_EQ(shell->read_line(line, clock::now() + seconds(10)), read_status::line);
  return line.empty() ? 0 : std::stoi(line);
}

TEST(process_tree, lists_this_process_with_its_parent) {
  const auto all = list_processes();
  const auto self = std::find_if(all.begin(), all.end(),
                                 [](const process_entry& p) { return p.pid == ::getpid(); });
  ASSERT_NE(self, all.end());
  EXPECT_EQ(self->ppid, ::getppid());
  EXPECT_EQ(self->state, 'R');
}

TEST(process_tree, environment_holds_matches_whole_entries_only) {
  std::unique_ptr<child_process> shell;
  const int pid = start_tagged_grandchild(shell, "abc123");
  ASSERT_GT(pid, 0);
  // env needs a moment to exec sleep with its environment.
  bool held = false;
  for (int i = 0; i < 200 && !held; ++i, std::this_thread::sleep_for(std::chrono::milliseconds(10)))
    held = environment_holds(pid, "RP_TREE_TEST", "abc123");
  EXPECT_TRUE(held);
  EXPECT_FALSE(environment_holds(pid, "RP_TREE_TEST", "abc12"));
  EXPECT_FALSE(environment_holds(pid, "TREE_TEST", "abc123"));
}

TEST(process_tree, ends_every_process_that_carries_the_tag_and_nothing_else) {
  std::unique_ptr<child_process> tagged, other;
  const int victim = start_tagged_grandchild(tagged, "end-me");
  const int bystander = start_tagged_grandchild(other, "leave-me");
  ASSERT_GT(victim, 0);
  ASSERT_GT(bystander, 0);
  for (int i = 0; i < 200 && !environment_holds(victim, "RP_TREE_TEST", "end-me"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::set<pid_t> ended;
  end_process_tree(0, 0, "RP_TREE_TEST", "end-me", ended);
  // Its parent, the shell, reaps it and ends (`wait` without operands says 0); then it is gone.
  EXPECT_EQ(tagged->wait(clock::now() + seconds(10)).describe(), "exited with status 0");
  EXPECT_FALSE(std::filesystem::exists("/proc/" + std::to_string(victim)));
  EXPECT_TRUE(std::filesystem::exists("/proc/" + std::to_string(bystander)));
}

}  // namespace
}  // namespace rollproof::framework::detail
