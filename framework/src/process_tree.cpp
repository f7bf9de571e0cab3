#include "process_tree.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

namespace rollproof::framework::detail {
namespace {

std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

}  // namespace

std::vector<process_entry> list_processes() {
  std::vector<process_entry> found;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
    const std::string stat = read_all(e.path() / "stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 1));
    process_entry p;
    p.pid = static_cast<pid_t>(std::stol(name));
    if (!(rest >> p.state >> p.ppid >> p.pgrp)) continue;
    found.push_back(p);
  }
  return found;
}

bool environment_holds(pid_t pid, const std::string& name, const std::string& value) {
  const std::string env = read_all("/proc/" + std::to_string(pid) + "/environ");
  const std::string entry = name + "=" + value;
  for (std::size_t at = 0; (at = env.find(entry, at)) != std::string::npos; at += entry.size()) {
    const bool starts = at == 0 || env[at - 1] == '\0';
    const bool ends = at + entry.size() == env.size() || env[at + entry.size()] == '\0';
    if (starts && ends) return true;
  }
  return false;
}

void end_process_tree(pid_t root, pid_t group, const std::string& name, const std::string& value,
                      std::set<pid_t>& ended) {
  const pid_t self = ::getpid();
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (;;) {
    const auto all = list_processes();
    std::multimap<pid_t, const process_entry*> below;
    for (const auto& p : all)
      below.emplace(p.ppid, &p);
    // This process is a child subreaper: whatever its children started, even in a new session,
    // is below it. Only those are candidates, so no other process's environment is read.
    std::set<pid_t> mine;
    for (std::vector<pid_t> todo{self}; !todo.empty();) {
      const pid_t p = todo.back();
      todo.pop_back();
      for (auto [it, end] = below.equal_range(p); it != end; ++it)
        if (mine.insert(it->second->pid).second) todo.push_back(it->second->pid);
    }
    std::vector<const process_entry*> targets;
    std::set<pid_t> taken{self, root};
    const auto take_with_descendants = [&](const process_entry& first) {
      std::vector<const process_entry*> todo{&first};
      while (!todo.empty()) {
        const auto* p = todo.back();
        todo.pop_back();
        if (!taken.insert(p->pid).second) continue;
        targets.push_back(p);
        for (auto [it, end] = below.equal_range(p->pid); it != end; ++it)
          todo.push_back(it->second);
      }
    };
    if (root > 0)
      for (auto [it, end] = below.equal_range(root); it != end; ++it)
        take_with_descendants(*it->second);
    // A zombie's environment is gone, but its group stays: a member killed by a group signal
    // before this scan is still found, and reaped below.
    for (const auto& p : all)
      if (mine.contains(p.pid) && !taken.contains(p.pid) &&
          ((group > 0 && p.pgrp == group) ||
           (p.state != 'Z' && environment_holds(p.pid, name, value))))
        take_with_descendants(p);
    bool live = false;
    for (const auto* p : targets) {
      ended.insert(p->pid);
      if (p->state == 'Z') continue;
      live = true;
      ::kill(p->pid, SIGKILL);
    }
    if (!live || std::chrono::steady_clock::now() >= until) break;
    // One more scan: a process may have forked between the listing and the kill.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // SIGKILL takes effect at once unless a process is in an uninterruptible wait; do not hang on
  // one.
  for (auto it = ended.begin(); it != ended.end();) {
    pid_t r = 0;
    while ((r = ::waitpid(*it, nullptr, WNOHANG)) == 0 && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    // Not our child (ECHILD): gone, or still another process's zombie, to be reaped later.
    const bool gone = r == *it || !std::filesystem::exists("/proc/" + std::to_string(*it));
    it = gone ? ended.erase(it) : std::next(it);
  }
}

}  // namespace rollproof::framework::detail
