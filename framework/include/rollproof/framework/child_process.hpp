#pragma once
// A supervised child process (Boost.Process v1): its own process group, killed with the runner
// (PR_SET_PDEATHSIG), stdin/stdout as lines, a bounded stderr tail, and reaping with wait4 so that
// the peak RSS and CPU time of the process are measured by the OS. Writes never block past their
// deadline; when the child is waited for, every descendant it left (even in a new session) is
// killed and reaped, and its pipes are no longer read.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <expected>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace rollproof::framework {

// How a child ended, with its resource usage from wait4.
struct exit_info {
  bool signaled = false;
  int code = 0;  // exit status, or the signal number when signaled
  std::uint64_t peak_rss_bytes = 0;
  double cpu_seconds = 0;  // user + system

  // "exited with status N" or "killed by signal N (SIGKILL)".
  [[nodiscard]] std::string describe() const;
};

// The result of waiting for a line of stdout.
enum class read_status { line, timeout, eof };

// The result of writing a line to stdin: written whole; closed (stdin closed, or the child closed
// its end); timeout (the child did not take it by the deadline); stopped (the stop flag was set).
enum class write_status { written, closed, timeout, stopped };

// The environment variable every child gets (a random tag per child), inherited by its
// descendants: how they are found once they are no longer below it.
inline constexpr const char* child_tag_variable = "ROLLPROOF_CHILD_TAG";

// One running child; destroying it kills its process group and descendants, and reaps it.
class child_process {
 public:
  // Starts `argv` (argv[0] is a path; searched in PATH when it has no '/'); the error names it.
  // Every byte of its stdout and stderr is scanned for each of `watched` (see watched_seen_in).
  // The first start makes this process a child subreaper, so that a descendant orphaned by the
  // child is re-parented here (not to init) and can be ended. Must be called from a thread that
  // outlives the child: PR_SET_PDEATHSIG fires when the thread that forked exits.
  [[nodiscard]] static std::expected<std::unique_ptr<child_process>, std::string> start(
      const std::vector<std::string>& argv, std::size_t max_queued_lines = 100000,
      std::vector<std::string> watched = {});

  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  // Writes `line` and a newline to stdin, waiting for room in the pipe at most until `deadline`
  // and only while `*stop` (when given, checked every 50 ms) is 0. After a timeout or a stop the
  // line may be half written, so stdin is abandoned: every later write says closed.
  write_status write_line(std::string_view line, std::chrono::steady_clock::time_point deadline,
                          const std::atomic<int>* stop = nullptr);
  // write_line with a deadline 10 s from now; false when the line was not written whole.
  bool write_line(std::string_view line);
  // True once a write timed out or was stopped (the child stopped reading its input).
  [[nodiscard]] bool input_abandoned() const;
  // Closes stdin (end of input means shutdown in the subject protocol).
  void close_stdin();
  // Waits until `deadline` for the next stdout line; eof once stdout ended or is no longer read.
  read_status read_line(std::string& line, std::chrono::steady_clock::time_point deadline);
  // The last bytes the child wrote to stderr (at most 16 KiB); once the child was reaped, all of
  // them (waits up to 1 s for the pipe to drain).
  [[nodiscard]] std::string stderr_tail() const;
  // Where a `watched` string first appeared: "stdout", "stderr", or empty (nowhere so far).
  [[nodiscard]] std::string watched_seen_in() const;
  // Sends `sig` to the child's process group.
  void signal_group(int sig) const;
  // Reaps the child if it has exited; nullopt while it runs.
  std::optional<exit_info> try_wait();
  // Waits until `deadline` for the child to exit, then kills its group and reaps it; then kills
  // and reaps every descendant still alive (end_descendants) and stops reading its pipes after
  // at most 1 s more for them to drain.
  exit_info wait(std::chrono::steady_clock::time_point deadline);
  // Kills (SIGKILL) every descendant of the child: its process group, the processes below it,
  // and every process carrying its tag (child_tag_variable), such as a grandchild that called
  // setsid and was re-parented here; reaps those that are this process's children.
  void end_descendants();
  // The process id (also the process group id).
  [[nodiscard]] int pid() const { return pid_; }

 private:
  struct pipes;
  child_process() = default;
  void read_stdout();
  void read_stderr();
  void stop_reading(std::chrono::milliseconds grace);
  exit_info reap(int status, const void* usage);

  int pid_ = -1;
  std::string tag_;
  std::optional<exit_info> exited_;
  std::unique_ptr<pipes> pipes_;
  std::thread out_reader_;
  std::thread err_reader_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::deque<std::string> lines_;
  std::size_t max_lines_ = 0;
  bool eof_ = false;
  std::string err_tail_;
  bool err_eof_ = false;
  std::string seen_in_;
  std::mutex write_mutex_;
  std::atomic<bool> input_abandoned_{false};
};

}  // namespace rollproof::framework
