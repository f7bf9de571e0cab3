#pragma once
// Where a run came from: the git commit of the working directory, the machine, tool versions.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "rollproof/common/redact.hpp"
#include "rollproof/reports/run_record.hpp"

namespace rollproof::framework {

// Reads the git state of `dir` with the `git` command (work_tree false outside a git work tree).
[[nodiscard]] reports::git_info read_git_info(const std::string& dir);

// Reads the host from uname, /proc/cpuinfo and /proc/meminfo.
[[nodiscard]] reports::host_info read_host_info();

// The versions of rollproof and of the libraries it was built with.
[[nodiscard]] std::map<std::string, std::string> tool_versions();

// Provenance for a run started now with `argv` (secrets redacted).
[[nodiscard]] reports::provenance collect_provenance(const std::vector<std::string>& argv,
                                                     const redactor& secrets);

// The file a command's program names: the path itself when it holds a '/', else the first match
// on $PATH; nullopt when no regular file matches.
[[nodiscard]] std::optional<std::filesystem::path> program_file(const std::string& program);

// The subject `command` starts: the command (secrets redacted), the sha256 of its program file,
// and the name and version from its hello answer (empty when it does not answer within 5 s).
// Starts the subject once; SIGPIPE must be ignored (as run_scenarios does) in case it exits early.
[[nodiscard]] reports::subject_info describe_subject(const std::vector<std::string>& command,
                                                     const redactor& secrets);

// The current UTC time in RFC 3339 with milliseconds.
[[nodiscard]] std::string now_rfc3339();

}  // namespace rollproof::framework
