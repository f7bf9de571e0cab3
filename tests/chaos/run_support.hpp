#pragma once
// Test helpers for chaos and security tests: the built binaries, a temp dir, the runner as a
// tagged child process (every descendant inherits the tag), and /proc scans for that tag.

#include <signal.h>
#include <sys/types.h>

#include <boost/process.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "test_paths.hpp"

namespace rollproof::chaos {

namespace fs = std::filesystem;
namespace bp = boost::process;

using rollproof::testing::bin_dir;

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class temp_dir {
 public:
  temp_dir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("rollproof-chaos-" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_text(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary) << text;
}

// Pids of live processes whose environment holds `tag` (the runner and all it started).
inline std::vector<pid_t> processes_tagged(const std::string& tag) {
  std::vector<pid_t> found;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const auto name = e.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string env = read_text(e.path() / "environ");
    if (env.find(tag) == std::string::npos) continue;
    found.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return found;
}

// Pids among `processes_tagged(tag)` whose command line contains `needle`.
inline std::vector<pid_t> tagged_with_command(const std::string& tag, const std::string& needle) {
  std::vector<pid_t> found;
  for (const pid_t pid : processes_tagged(tag)) {
    std::string cmd = read_text(fs::path("/proc") / std::to_string(pid) / "cmdline");
    if (cmd.find(needle) != std::string::npos) found.push_back(pid);
  }
  return found;
}

// The runner started with `args`, its output in files, a unique tag in its environment.
class runner_process {
 public:
  runner_process(const std::vector<std::string>& args, const fs::path& dir)
      : tag_("ROLLPROOF_CHAOS_TAG=" + dir.filename().string()),
        out_(dir / "runner.stdout"),
        err_(dir / "runner.stderr") {
    bp::environment env = boost::this_process::environment();
    env["ROLLPROOF_CHAOS_TAG"] = dir.filename().string();
    child_ =
        bp::child((bin_dir() / "rollproof").string(), bp::args(args), env,
                  bp::std_in<bp::null, bp::std_out> out_.string(), bp::std_err > err_.string());
  }
  ~runner_process() {
    if (child_.running()) {
      ::kill(child_.id(), SIGKILL);
      child_.wait();
    }
  }
  runner_process(const runner_process&) = delete;
  runner_process& operator=(const runner_process&) = delete;

  [[nodiscard]] pid_t pid() const { return child_.id(); }
  [[nodiscard]] const std::string& tag() const { return tag_; }
  [[nodiscard]] bool running() { return child_.running(); }
  // Waits for the exit (at most `limit`, then SIGKILL and -1) and returns the exit code.
  int wait_for_exit(std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (child_.running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (child_.running()) {
      ::kill(child_.id(), SIGKILL);
      child_.wait();
      return -1;
    }
    child_.wait();
    return child_.exit_code();
  }
  [[nodiscard]] std::string output() const { return read_text(out_) + read_text(err_); }
  [[nodiscard]] std::string error_output() const { return read_text(err_); }

 private:
  std::string tag_;
  fs::path out_, err_;
  bp::child child_;
};

// Waits up to `limit` for processes carrying `tag` to be gone; returns those still there.
inline std::vector<pid_t> left_behind(const std::string& tag, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  auto left = processes_tagged(tag);
  while (!left.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    left = processes_tagged(tag);
  }
  return left;
}

// Kills (SIGKILL) whatever carries `tag`, so a failing test does not leak processes either.
inline void kill_tagged(const std::string& tag) {
  for (const pid_t pid : processes_tagged(tag))
    ::kill(pid, SIGKILL);
}

}  // namespace rollproof::chaos
