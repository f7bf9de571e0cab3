#pragma once
// A supervised child process (Boost.Process v1): its own process group, killed with the runner
// (PR_SET_PDEATHSIG), stdin/stdout as lines, a bounded stderr tail, and reaping with wait4 so that
// the peak RSS and CPU time of the process are measured by the OS.

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

// One running child; destroying it kills its process group and reaps it.
class child_process {
 public:
  // Starts `argv` (argv[0] is a path; searched in PATH when it has no '/'); the error names it.
  // Must be called from a thread that outlives the child: PR_SET_PDEATHSIG fires when the thread
  // that forked exits.
  [[nodiscard]] static std::expected<std::unique_ptr<child_process>, std::string> start(
      const std::vector<std::string>& argv, std::size_t max_queued_lines = 100000);

  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  // Writes `line` and a newline to stdin and flushes; false when the child no longer reads.
  bool write_line(std::string_view line);
  // Closes stdin (end of input means shutdown in the subject protocol).
  void close_stdin();
  // Waits until `deadline` for the next stdout line.
  read_status read_line(std::string& line, std::chrono::steady_clock::time_point deadline);
  // The last bytes the child wrote to stderr (at most 16 KiB); once the child was reaped, all of
  // them (waits up to 1 s for the pipe to drain, longer only if a descendant keeps it open).
  [[nodiscard]] std::string stderr_tail() const;
  // Sends `sig` to the child's process group.
  void signal_group(int sig) const;
  // Reaps the child if it has exited; nullopt while it runs.
  std::optional<exit_info> try_wait();
  // Waits until `deadline` for the child to exit, then kills its group and reaps it.
  exit_info wait(std::chrono::steady_clock::time_point deadline);
  // The process id (also the process group id).
  [[nodiscard]] int pid() const { return pid_; }

 private:
  struct pipes;
  child_process() = default;
  void read_stdout();
  void read_stderr();
  exit_info reap(int status, const void* usage);

  int pid_ = -1;
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
  std::mutex write_mutex_;
};

}  // namespace rollproof::framework
