#pragma once
// Runs a built binary the way a user does and gives back its exit code, stdout and stderr.

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "rollproof/framework/child_process.hpp"
#include "test_paths.hpp"

namespace rollproof::testing {

struct command_result {
  int code = -1;  // exit status; 128 + signal when killed
  std::string out;
  std::string err;
};

// Runs `args` with `env` ("NAME=value" entries) prepended through /usr/bin/env; kills it after
// `limit`; always reaps it.
inline command_result run_command(const std::vector<std::string>& args,
                                  const std::vector<std::string>& env = {},
                                  std::chrono::seconds limit = std::chrono::seconds(120)) {
  std::vector<std::string> argv{"/usr/bin/env"};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.insert(argv.end(), args.begin(), args.end());
  command_result r;
  auto child = framework::child_process::start(argv);
  if (!child) {
    r.err = child.error();
    return r;
  }
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::string line;
  while ((*child)->read_line(line, deadline) == framework::read_status::line)
    r.out += line + "\n";
  const auto ended = (*child)->wait(deadline);
  r.code = ended.signaled ? 128 + ended.code : ended.code;
  r.err = (*child)->stderr_tail();
  return r;
}

// `rollproof` with `args`.
inline command_result rollproof(const std::vector<std::string>& args,
                                const std::vector<std::string>& env = {}) {
  std::vector<std::string> all{(bin_dir() / "rollproof").string()};
  all.insert(all.end(), args.begin(), args.end());
  return run_command(all, env);
}

// A scenario file of the test data.
inline std::string test_scenario(const std::string& relative) {
  return (source_dir() / "tests/data/scenarios" / relative).string();
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh directory under the system temp dir, removed when the object dies.
class temp_dir {
 public:
  temp_dir() {
    static int n = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("rollproof-test-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() { std::filesystem::remove_all(path_); }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::string str(const std::string& sub = "") const {
    return (path_ / sub).string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace rollproof::testing
