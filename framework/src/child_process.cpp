#include "rollproof/framework/child_process.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/env.hpp>
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
#include <random>
#include <set>

#include "process_tree.hpp"
#include "stream_scan.hpp"

namespace bp = boost::process;

namespace rollproof::framework {

namespace {
constexpr std::size_t stderr_tail_bytes = 16 * 1024;
constexpr auto default_write_timeout = std::chrono::seconds(10);
constexpr auto drain_grace = std::chrono::milliseconds(1000);

// Waits for `fd` to be readable or for the wake pipe; false when woken (stop reading).
bool wait_readable(int fd, int wake) {
  for (;;) {
    pollfd p[2] = {{fd, POLLIN, 0}, {wake, POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (p[1].revents != 0) return false;
    if (p[0].revents != 0) return true;
  }
}

// Reads what `fd` has; 0 at end of file or on an error other than EINTR/EAGAIN.
ssize_t read_some(int fd, char* buffer, std::size_t size) {
  for (;;) {
    const ssize_t n = ::read(fd, buffer, size);
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    return errno == EAGAIN ? -1 : 0;
  }
}

std::string random_tag() {
  std::random_device rd;
  return fmt::format("{:08x}{:08x}{:08x}", rd(), rd(), rd());
}
}  // namespace

struct child_process::pipes {
  bp::opstream in;
  bp::ipstream out;
  bp::ipstream err;
  int wake[2] = {-1, -1};  // written once to stop the readers
  detail::stream_scan out_scan;
  detail::stream_scan err_scan;
  std::set<pid_t> ended;           // descendants killed, until reaped or gone
  bool descendants_ended = false;  // by wait(), after the child was reaped

  ~pipes() {
    for (int fd : wake)
      if (fd >= 0) ::close(fd);
  }
};

std::string exit_info::describe() const {
  if (!signaled) return fmt::format("exited with status {}", code);
  const char* name = sigabbrev_np(code);
  return fmt::format("killed by signal {} (SIG{})", code, name != nullptr ? name : "?");
}

std::expected<std::unique_ptr<child_process>, std::string> child_process::start(
    const std::vector<std::string>& argv, std::size_t max_queued_lines,
    std::vector<std::string> watched) {
  if (argv.empty()) return std::unexpected("empty command");
  // A subreaper gets the orphans of its descendants instead of init, so a grandchild that left
  // its session can still be found (it carries the tag) and reaped here.
  static std::once_flag subreaper;
  std::call_once(subreaper, [] { ::prctl(PR_SET_CHILD_SUBREAPER, 1); });
  std::unique_ptr<child_process> self(new child_process());
  self->pipes_ = std::make_unique<pipes>();
  self->pipes_->out_scan = detail::stream_scan(watched);
  self->pipes_->err_scan = detail::stream_scan(std::move(watched));
  self->max_lines_ = max_queued_lines;
  self->tag_ = random_tag();
  if (::pipe2(self->pipes_->wake, O_CLOEXEC) != 0)
    return std::unexpected(fmt::format("cannot start '{}': pipe: {}", argv[0], strerror(errno)));
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
  // Our end of stdin never blocks: write_line waits for room with poll, up to its deadline.
  const int sink = self->pipes_->in.pipe().native_sink();
  ::fcntl(sink, F_SETFL, ::fcntl(sink, F_GETFL) | O_NONBLOCK);
  try {
    bp::child c(
        bp::exe = exe.string(), bp::args = std::vector<std::string>(argv.begin() + 1, argv.end()),
        bp::env[child_tag_variable] = self->tag_,
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
  } else if (pid_ > 0 && (!pipes_->descendants_ended || !pipes_->ended.empty())) {
    // Reaped by try_wait only (what it left was not looked for yet), or a killed descendant that
    // was not this process's child then may be one now.
    end_descendants();
  }
  close_stdin();
  stop_reading(std::chrono::milliseconds(0));
  if (out_reader_.joinable()) out_reader_.join();
  if (err_reader_.joinable()) err_reader_.join();
}

void child_process::read_stdout() {
  const int fd = pipes_->out.pipe().native_source();
  char buffer[65536];
  std::string partial;
  while (wait_readable(fd, pipes_->wake[0])) {
    const ssize_t n = read_some(fd, buffer, sizeof buffer);
    if (n < 0) continue;
    if (n == 0) break;
    const std::string_view chunk(buffer, static_cast<std::size_t>(n));
    const std::lock_guard lock(mutex_);
    if (pipes_->out_scan.feed(chunk) && seen_in_.empty()) seen_in_ = "stdout";
    std::size_t from = 0;
    for (std::size_t nl; (nl = chunk.find('\n', from)) != std::string_view::npos; from = nl + 1) {
      partial.append(chunk.substr(from, nl - from));
      lines_.push_back(std::move(partial));
      partial.clear();
      if (lines_.size() > max_lines_) lines_.pop_front();
    }
    partial.append(chunk.substr(from));
    changed_.notify_all();
  }
  const std::lock_guard lock(mutex_);
  if (!partial.empty()) lines_.push_back(std::move(partial));  // a last line without newline
  eof_ = true;
  changed_.notify_all();
}

void child_process::read_stderr() {
  const int fd = pipes_->err.pipe().native_source();
  char buffer[4096];
  while (wait_readable(fd, pipes_->wake[0])) {
    const ssize_t n = read_some(fd, buffer, sizeof buffer);
    if (n < 0) continue;
    if (n == 0) break;
    const std::string_view chunk(buffer, static_cast<std::size_t>(n));
    const std::lock_guard lock(mutex_);
    // Every byte is scanned as it passes, the tail keeps only the end.
    if (pipes_->err_scan.feed(chunk) && seen_in_.empty()) seen_in_ = "stderr";
    err_tail_.append(chunk);
    if (err_tail_.size() > 2 * stderr_tail_bytes)
      err_tail_.erase(0, err_tail_.size() - stderr_tail_bytes);
  }
  const std::lock_guard lock(mutex_);
  err_eof_ = true;
  changed_.notify_all();
}

void child_process::stop_reading(std::chrono::milliseconds grace) {
  {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, grace, [&] { return eof_ && err_eof_; });
    if (eof_ && err_eof_) return;
  }
  // Something still holds the pipes open (a descendant we could not end): the case is over, so
  // stop reading rather than wait for it.
  const char byte = 1;
  (void)!::write(pipes_->wake[1], &byte, 1);
}

write_status child_process::write_line(std::string_view line,
                                       std::chrono::steady_clock::time_point deadline,
                                       const std::atomic<int>* stop) {
  const std::lock_guard lock(write_mutex_);
  if (!pipes_->in.pipe().is_open() || input_abandoned_) return write_status::closed;
  std::string data(line);
  data += '\n';
  const int fd = pipes_->in.pipe().native_sink();
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) return write_status::closed;  // EPIPE: it closed its stdin
    // The pipe is full: the child is not reading. Wait for room in slices, to see a stop.
    const auto now = std::chrono::steady_clock::now();
    if (stop != nullptr && stop->load() != 0) {
      input_abandoned_ = true;
      return write_status::stopped;
    }
    if (now >= deadline) {
      input_abandoned_ = true;
      return write_status::timeout;
    }
    const auto slice = std::min<std::chrono::steady_clock::duration>(deadline - now,
                                                                     std::chrono::milliseconds(50));
    pollfd p{fd, POLLOUT, 0};
    ::poll(&p, 1, static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(slice).count()));
  }
  return write_status::written;
}

bool child_process::write_line(std::string_view line) {
  return write_line(line, std::chrono::steady_clock::now() + default_write_timeout) ==
         write_status::written;
}

bool child_process::input_abandoned() const {
  return input_abandoned_;
}

void child_process::close_stdin() {
  const std::lock_guard lock(write_mutex_);
  if (pipes_ && pipes_->in.pipe().is_open()) pipes_->in.pipe().close();
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

std::string child_process::watched_seen_in() const {
  const std::lock_guard lock(mutex_);
  return seen_in_;
}

void child_process::signal_group(int sig) const {
  if (pid_ <= 0 || exited_) return;
  // The group may not exist yet if the child has not run setpgid; then signal the child itself.
  if (::kill(-pid_, sig) != 0) ::kill(pid_, sig);
}

void child_process::end_descendants() {
  if (pid_ <= 0) return;
  // The group outlives its leader while any member lives, and its id cannot be reused until then.
  detail::end_process_tree(exited_ ? 0 : pid_, pid_, child_tag_variable, tag_, pipes_->ended);
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
    if (try_wait()) break;
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!exited_) {
    signal_group(SIGKILL);
    // While the child is still ours to reap its pid cannot be reused: the processes below it are
    // found through it before it is gone.
    end_descendants();
    int status = 0;
    struct rusage ru {};
    pid_t r = 0;
    do {
      r = ::wait4(pid_, &status, 0, &ru);
    } while (r < 0 && errno == EINTR);
    if (r == pid_) {
      reap(status, &ru);
    } else {
      exited_ = exit_info{true, SIGKILL, 0, 0};
    }
  }
  // The case is over for this child: nothing it started may live on, or hold its pipes. A dead
  // child starts nothing more, so this one look (with the rescans it makes) is enough.
  end_descendants();
  pipes_->descendants_ended = true;
  stop_reading(drain_grace);
  return *exited_;
}

}  // namespace rollproof::framework
