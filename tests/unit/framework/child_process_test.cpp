#include "rollproof/framework/child_process.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

namespace rollproof::framework {
namespace {

using std::chrono::seconds;
using clock = std::chrono::steady_clock;

std::unique_ptr<child_process> start_shell(const std::string& script) {
  auto c = child_process::start({"/bin/sh", "-c", script});
  EXPECT_TRUE(c) << (c ? "" : c.error());
  return c ? std::move(*c) : nullptr;
}

TEST(child_process, reads_stdout_lines_and_reports_the_exit_status) {
  auto c = start_shell("echo one; echo two; exit 3");
  std::string line;
  ASSERT_EQ(c->read_line(line, clock::now() + seconds(10)), read_status::line);
  EXPECT_EQ(line, "one");
  ASSERT_EQ(c->read_line(line, clock::now() + seconds(10)), read_status::line);
  EXPECT_EQ(line, "two");
  EXPECT_EQ(c->read_line(line, clock::now() + seconds(10)), read_status::eof);
  const auto ended = c->wait(clock::now() + seconds(10));
  EXPECT_FALSE(ended.signaled);
  EXPECT_EQ(ended.code, 3);
  EXPECT_EQ(ended.describe(), "exited with status 3");
}

TEST(child_process, echoes_stdin_and_ends_when_stdin_closes) {
  auto c = start_shell("while read l; do echo \"got $l\"; done");
  ASSERT_TRUE(c->write_line("hello"));
  std::string line;
  ASSERT_EQ(c->read_line(line, clock::now() + seconds(10)), read_status::line);
  EXPECT_EQ(line, "got hello");
  c->close_stdin();
  EXPECT_EQ(c->wait(clock::now() + seconds(10)).code, 0);
}

TEST(child_process, keeps_the_tail_of_stderr) {
  auto c = start_shell("echo oops >&2");
  c->wait(clock::now() + seconds(10));
  std::string line;
  c->read_line(line, clock::now() + seconds(5));  // wait for the readers to see EOF
  for (int i = 0; i < 100 && c->stderr_tail().empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(c->stderr_tail(), "oops\n");
}

TEST(child_process, kills_a_child_that_outlives_the_deadline_and_says_by_which_signal) {
  auto c = start_shell("sleep 30");
  const auto ended = c->wait(clock::now() + std::chrono::milliseconds(50));
  EXPECT_TRUE(ended.signaled);
  EXPECT_EQ(ended.code, SIGKILL);
  EXPECT_EQ(ended.describe(), "killed by signal 9 (SIGKILL)");
}

TEST(child_process, measures_peak_rss_and_cpu_time_of_the_child) {
  // dd holds a 64 MiB block in memory, so the child's peak RSS is at least that.
  auto c = start_shell("dd if=/dev/zero of=/dev/null bs=64M count=2 2>/dev/null");
  const auto ended = c->wait(clock::now() + seconds(30));
  EXPECT_EQ(ended.code, 0);
  EXPECT_GE(ended.peak_rss_bytes, 64u << 20);
  EXPECT_GT(ended.cpu_seconds, 0.0);
}

TEST(child_process, signals_the_whole_process_group) {
  auto c = start_shell("sleep 30 & sleep 30 & wait");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  c->signal_group(SIGTERM);
  const auto ended = c->wait(clock::now() + seconds(10));
  EXPECT_TRUE(ended.signaled);
  EXPECT_EQ(ended.code, SIGTERM);
  std::string line;
  // The grandchildren held stdout too: EOF means they died with the group.
  EXPECT_EQ(c->read_line(line, clock::now() + seconds(10)), read_status::eof);
}

TEST(child_process, a_write_gives_up_at_its_deadline_when_the_child_stops_reading) {
  auto c = start_shell("sleep 30");     // never reads stdin
  const std::string big(1 << 20, 'x');  // far more than a pipe holds
  const auto from = clock::now();
  EXPECT_EQ(c->write_line(big, from + std::chrono::milliseconds(300)), write_status::timeout);
  EXPECT_LT(clock::now() - from, seconds(5));
  EXPECT_TRUE(c->input_abandoned());
  // Half a line may be in the pipe: nothing more is written after it.
  EXPECT_EQ(c->write_line("next", clock::now() + seconds(1)), write_status::closed);
}

TEST(child_process, a_write_gives_up_when_the_stop_flag_is_set) {
  auto c = start_shell("sleep 30");
  const std::atomic<int> stop{15};
  const auto from = clock::now();
  EXPECT_EQ(c->write_line(std::string(1 << 20, 'x'), from + seconds(30), &stop),
            write_status::stopped);
  EXPECT_LT(clock::now() - from, seconds(5));
}

// The pid the shell printed on its first stdout line.
int first_line_pid(child_process& c) {
  std::string line;
  EXPECT_EQ(c.read_line(line, clock::now() + seconds(10)), read_status::line);
  return line.empty() ? 0 : std::stoi(line);
}

TEST(child_process, waiting_ends_a_grandchild_in_a_new_session_that_holds_stdout) {
  auto c = start_shell("setsid sleep 30 & echo $!; exit 0");
  const int grandchild = first_line_pid(*c);
  ASSERT_GT(grandchild, 0);
  EXPECT_EQ(c->wait(clock::now() + seconds(10)).code, 0);
  std::string line;
  EXPECT_EQ(c->read_line(line, clock::now() + seconds(5)), read_status::eof);
  EXPECT_FALSE(std::filesystem::exists("/proc/" + std::to_string(grandchild)));
}

TEST(child_process, waiting_ends_a_grandchild_in_its_group_that_holds_stdout) {
  auto c = start_shell("sleep 30 & echo $!; exit 0");
  const int grandchild = first_line_pid(*c);
  ASSERT_GT(grandchild, 0);
  EXPECT_EQ(c->wait(clock::now() + seconds(10)).code, 0);
  std::string line;
  EXPECT_EQ(c->read_line(line, clock::now() + seconds(5)), read_status::eof);
  EXPECT_FALSE(std::filesystem::exists("/proc/" + std::to_string(grandchild)));
}

TEST(child_process, scans_every_byte_of_stdout_and_stderr_for_watched_strings) {
  auto plain =
      child_process::start({"/bin/sh", "-c", "echo 'not json sk-watch-1'"}, 100, {"sk-watch-1"});
  ASSERT_TRUE(plain);
  (*plain)->wait(clock::now() + seconds(10));
  EXPECT_EQ((*plain)->watched_seen_in(), "stdout");
  // Early in stderr, then far more than the tail keeps.
  auto early = child_process::start(
      {"/bin/sh", "-c", "echo sk-watch-1 >&2; head -c 100000 /dev/zero >&2"}, 100, {"sk-watch-1"});
  ASSERT_TRUE(early);
  (*early)->wait(clock::now() + seconds(10));
  EXPECT_EQ((*early)->stderr_tail().find("sk-watch-1"), std::string::npos);
  EXPECT_EQ((*early)->watched_seen_in(), "stderr");
  auto clean =
      child_process::start({"/bin/sh", "-c", "echo sk-watch; echo 1 >&2"}, 100, {"sk-watch-1"});
  ASSERT_TRUE(clean);
  (*clean)->wait(clock::now() + seconds(10));
  EXPECT_EQ((*clean)->watched_seen_in(), "");
}

TEST(child_process, refuses_a_command_that_is_not_found) {
  EXPECT_FALSE(child_process::start({"rollproof-no-such-command"}));
  EXPECT_FALSE(child_process::start({}));
}

}  // namespace
}  // namespace rollproof::framework
