#include "rollproof/framework/child_process.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/handles.hpp>
#include <boost/process/io.hpp>
#include <boost/process/pipe.hpp>
#include <boost/process/search_path.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

namespace bp = boost::process;

namespace rollproof::framework {

namespace {
constexpr std::size_t stderr_tail_bytes = 16 * 1024;
}

struct child_process::pipes {
  bp::opstream in;
  bp::ipstream out;
  bp::ipstream err;
};

std::string exit_info::describe() const {
  if (!signaled) return fmt::format("exited with status {}", code);
  const char* name = sigabbrev_np(code);
  return fmt::format("killed by signal {} (SIG{})", code, name != nullptr ? name : "?");
}

std::expected<std::unique_ptr<child_process>, std::string> child_process::start(
    const std::vector<std::string>& argv, std::size_t max_queued_lines) {
  if (argv.empty()) return std::unexpected("empty command");
  std::unique_ptr<child_process> self(new child_process());
  self->pipes_ = std::make_unique<pipes>();
  self->max_lines_ = max_queued_lines;
  std::filesystem::path exe = argv[0];
  if (argv[0].find('/') == std::string::npos) exe = bp::search_path(argv[0]);
  if (exe.empty()) return std::unexpected(fmt::format("'{}' not found in PATH", argv[0]));
  const pid_t parent = ::getpid();
  // Close-on-exec on every end: dup2 onto 0/1/2 clears the flag for the child's copies, and no
  // later child inherits this one's pipes (which would keep its stdin open after we close it).
  // Boost.Process's limit_handles would do this but makes the child fail in Boost 1.81.
  for (int fd :
       {self->pipes_->in.pipe().native_source(), self->pipes_->in.pipe().native_sink(),
        self->pipes_->out.pipe().native_source(), self->pipes_->out.pipe().native_sink(),
        self->pipes_->err.pipe().native_source(), self->pipes_->err.pipe().native_sink()}) {
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  try {
    bp::child c(
        bp::exe = exe.string(), bp::args = std::vector<std::string>(argv.begin() + 1, argv.end()),
        bp::std_in<self->pipes_->in, bp::std_out> self->pipes_->out,
        bp::std_err > self->pipes_->err, bp::extend::on_exec_setup = [parent](auto&) {
          // Own group: signals to the runner's terminal group do not reach it, and the runner can
          // kill it with everything it started. PDEATHSIG: it dies when the runner dies, even by
          // SIGKILL; the getppid check covers a runner that died before prctl ran.
          ::setpgid(0, 0);
          ::prctl(PR_SET_PDEATHSIG, SIGKILL);
          if (::getppid() != parent) ::_exit(127);
        });
    self->pid_ = c.id();
    c.detach();  // reaped by wait4 below, which Boost.Process v1 cannot give us
  } catch (const std::exception& e) {
    return std::unexpected(fmt::format("cannot start '{}': {}", argv[0], e.what()));
  }
  self->out_reader_ = std::thread([p = self.get()] { p->read_stdout(); });
  self->err_reader_ = std::thread([p = self.get()] { p->read_stderr(); });
  return self;
}

child_process::~child_process() {
  if (pid_ > 0 && !exited_) {
    signal_group(SIGKILL);
    wait(std::chrono::steady_clock::now());
  }
  close_stdin();
  if (out_reader_.joinable()) out_reader_.join();
  if (err_reader_.joinable()) err_reader_.join();
}

void child_process::read_stdout() {
  std::string line;
  while (std::getline(pipes_->out, line)) {
    const std::lock_guard lock(mutex_);
    lines_.push_back(std::move(line));
    if (lines_.size() > max_lines_) lines_.pop_front();
    changed_.notify_all();
  }
  const std::lock_guard lock(mutex_);
  eof_ = true;
  changed_.notify_all();
}

void child_process::read_stderr() {
  char buffer[4096];
  while (pipes_->err.read(buffer, sizeof buffer) || pipes_->err.gcount() > 0) {
    const std::lock_guard lock(mutex_);
    err_tail_.append(buffer, static_cast<std::size_t>(pipes_->err.gcount()));
    if (err_tail_.size() > 2 * stderr_tail_bytes)
      err_tail_.erase(0, err_tail_.size() - stderr_tail_bytes);
  }
  const std::lock_guard lock(mutex_);
  err_eof_ = true;
  changed_.notify_all();
}

bool child_process::write_line(std::string_view line) {
  const std::lock_guard lock(write_mutex_);
  if (!pipes_->in.pipe().is_open()) return false;
  pipes_->in.write(line.data(), static_cast<std::streamsize>(line.size()));
  pipes_->in.put('\n');
  pipes_->in.flush();
  return static_cast<bool>(pipes_->in);
}

void child_process::close_stdin() {
  const std::lock_guard lock(write_mutex_);
  if (pipes_ && pipes_->in.pipe().is_open()) {
    pipes_->in.flush();
    pipes_->in.pipe().close();
  }
}

read_status child_process::read_line(std::string& line,
                                     std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, deadline, [&] { return !lines_.empty() || eof_; });
  if (!lines_.empty()) {
    line = std::move(lines_.front());
    lines_.pop_front();
    return read_status::line;
  }
  return eof_ ? read_status::eof : read_status::timeout;
}

std::string child_process::stderr_tail() const {
  std::unique_lock lock(mutex_);
  // A child that has exited may still have bytes in the pipe that the reader thread has not
  // taken yet; without this wait a fast-exiting child's message could be missing.
  if (exited_) changed_.wait_for(lock, std::chrono::seconds(1), [&] { return err_eof_; });
  return err_tail_.size() <= stderr_tail_bytes
             ? err_tail_
             : err_tail_.substr(err_tail_.size() - stderr_tail_bytes);
}

void child_process::signal_group(int sig) const {
  if (pid_ <= 0 || exited_) return;
  // The group may not exist yet if the child has not run setpgid; then signal the child itself.
  if (::kill(-pid_, sig) != 0) ::kill(pid_, sig);
}

exit_info child_process::reap(int status, const void* usage) {
  const auto& ru = *static_cast<const struct rusage*>(usage);
  exit_info info;
  info.signaled = WIFSIGNALED(status);
  info.code = info.signaled ? WTERMSIG(status) : WEXITSTATUS(status);
  info.peak_rss_bytes = static_cast<std::uint64_t>(ru.ru_maxrss) * 1024;  // Linux reports KiB
  info.cpu_seconds = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                     static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  exited_ = info;
  return info;
}

std::optional<exit_info> child_process::try_wait() {
  if (exited_) return exited_;
  if (pid_ <= 0) return exit_info{false, 127, 0, 0};  // never started; wait4(-1) would reap others
  int status = 0;
  struct rusage ru {};
  const pid_t r = ::wait4(pid_, &status, WNOHANG, &ru);
  if (r == pid_) return reap(status, &ru);
  return std::nullopt;
}

exit_info child_process::wait(std::chrono::steady_clock::time_point deadline) {
  if (pid_ <= 0) return exit_info{false, 127, 0, 0};
  while (!exited_) {
    if (auto done = try_wait()) return *done;
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (exited_) return *exited_;
  signal_group(SIGKILL);
  int status = 0;
  struct rusage ru {};
  pid_t r = 0;
  do {
    r = ::wait4(pid_, &status, 0, &ru);
  } while (r < 0 && errno == EINTR);
  if (r == pid_) return reap(status, &ru);
  exit_info lost{true, SIGKILL, 0, 0};
  exited_ = lost;
  return lost;
}

}  // namespace rollproof::framework
