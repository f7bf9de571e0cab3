#include "rollproof/framework/provenance.hpp"

#include <curl/curl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <openssl/opensslv.h>
#include <sys/utsname.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <boost/version.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "rollproof/common/sha256.hpp"
#include "rollproof/framework/child_process.hpp"
#include "rollproof/framework/subject_client.hpp"

#ifndef ROLLPROOF_VERSION
#define ROLLPROOF_VERSION "0.0.0"
#endif

namespace rollproof::framework {
namespace {

// Runs `git -C dir args...` and returns its trimmed stdout; empty on any failure.
std::string git(const std::string& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "-C", dir});
  auto child = child_process::start(args);
  if (!child) return {};
  std::string out, line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((*child)->read_line(line, deadline) == read_status::line)
    out += out.empty() ? line : fmt::format("\n{}", line);
  const auto ended = (*child)->wait(deadline);
  if (ended.signaled || ended.code != 0) return {};
  return out;
}

std::string proc_field(const char* file, std::string_view key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(key)) {
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      return value;
    }
  }
  return {};
}

}  // namespace

reports::git_info read_git_info(const std::string& dir) {
  reports::git_info g;
  if (git(dir, {"rev-parse", "--is-inside-work-tree"}) != "true") {
    g.work_tree = false;
    return g;
  }
  g.commit = git(dir, {"rev-parse", "HEAD"});
  if (g.commit.size() != 40) g.commit.clear();  // a work tree without commits
  g.branch = git(dir, {"symbolic-ref", "--short", "-q", "HEAD"});
  g.dirty = !git(dir, {"status", "--porcelain", "--untracked-files=no"}).empty();
  g.describe = git(dir, {"describe", "--always", "--dirty"});
  return g;
}

reports::host_info read_host_info() {
  reports::host_info h;
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) == 0) h.hostname = name;
  h.cpu_model = proc_field("/proc/cpuinfo", "model name");
  h.cores = std::thread::hardware_concurrency();
  const auto mem = proc_field("/proc/meminfo", "MemTotal");  // "16318864 kB"
  h.memory_bytes = std::strtoull(mem.c_str(), nullptr, 10) * 1024;
  struct utsname u {};
  if (::uname(&u) == 0) h.os = fmt::format("{} {} {}", u.sysname, u.release, u.machine);
  return h;
}

std::map<std::string, std::string> tool_versions() {
  return {{"rollproof", ROLLPROOF_VERSION},
          {"compiler", fmt::format("gcc {}", __VERSION__)},
          {"boost", fmt::format("{}.{}.{}", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000,
                                BOOST_VERSION % 100)},
          {"curl", curl_version_info(CURLVERSION_NOW)->version},
          {"tomlplusplus", fmt::format("{}.{}.{}", TOML_LIB_MAJOR, TOML_LIB_MINOR, TOML_LIB_PATCH)},
          {"fmt", fmt::format("{}", FMT_VERSION)},
          {"openssl", OPENSSL_VERSION_TEXT}};
}

std::optional<std::filesystem::path> program_file(const std::string& program) {
  std::error_code ec;
  const auto is_file = [&](const std::filesystem::path& p) {
    return std::filesystem::is_regular_file(p, ec);
  };
  if (program.find('/') != std::string::npos)
    return is_file(program) ? std::optional<std::filesystem::path>(program) : std::nullopt;
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const auto dir = dirs.substr(0, colon);
    if (!dir.empty() && is_file(std::filesystem::path(dir) / program))
      return std::filesystem::path(dir) / program;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

reports::subject_info describe_subject(const std::vector<std::string>& command,
                                       const redactor& secrets) {
  reports::subject_info s;
  for (const auto& word : command)
    s.command.push_back(secrets.redact(word));
  if (command.empty()) return s;
  if (const auto file = program_file(command.front()))
    if (auto digest = sha256_file(*file)) s.program_sha256 = std::move(*digest);
  auto subject = subject_client::start(command, std::chrono::seconds(5));
  if (!subject) return s;
  if (const auto* who = (*subject)->hello().if_contains("subject"); who && who->is_object()) {
    const auto field = [&](const char* key) {
      const auto* v = who->get_object().if_contains(key);
      return v != nullptr && v->is_string() ? secrets.redact(std::string(v->get_string()))
                                            : std::string();
    };
    s.name = field("name");
    s.version = field("version");
  }
  (void)(*subject)->finish(std::chrono::steady_clock::now() + std::chrono::seconds(5));
  return s;
}

std::string now_rfc3339() {
  const auto now = std::chrono::system_clock::now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(now)), ms);
}

reports::provenance collect_provenance(const std::vector<std::string>& argv,
                                       const redactor& secrets) {
  reports::provenance p;
  p.git = read_git_info(".");
  p.host = read_host_info();
  p.versions = tool_versions();
  for (const auto& a : argv)
    p.command_line.push_back(secrets.redact(a));
  p.started_at = now_rfc3339();
  return p;
}

}  // namespace rollproof::framework
