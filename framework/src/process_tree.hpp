#pragma once
// Finds and ends the processes a child left behind, from /proc: those below it by parent id, and
// those that carry its tag in their environment (which survives setsid and re-parenting).

#include <sys/types.h>

#include <set>
#include <string>
#include <vector>

namespace rollproof::framework::detail {

// A process as /proc/<pid>/stat shows it.
struct process_entry {
  pid_t pid = 0;
  pid_t ppid = 0;
  pid_t pgrp = 0;    // process group
  char state = '?';  // 'Z' for a zombie
};

// Every process visible in /proc (those that vanish while it is read are left out).
[[nodiscard]] std::vector<process_entry> list_processes();

// True when the environment of `pid` holds the entry `name=value` (false when unreadable).
[[nodiscard]] bool environment_holds(pid_t pid, const std::string& name, const std::string& value);

// Kills (SIGKILL) every process below `root` (when root > 0; root itself is left to its owner),
// every process of the group `group` (when group > 0; its zombies are reaped too) and every
// process whose environment holds `name=value`, with everything below them, scanning
// again until no live one is left (at most about 2 s), and adds them to `ended`. Then reaps every
// process of `ended` that is now a child of this process (one killed below a parent that died
// since is re-parented here later: a later call reaps it) and drops those that are gone. Never
// kills this process itself. Only processes below this one are candidates: it must be a child
// subreaper (child_process::start makes it one), so that orphans stay below it.
void end_process_tree(pid_t root, pid_t group, const std::string& name, const std::string& value,
                      std::set<pid_t>& ended);

}  // namespace rollproof::framework::detail
