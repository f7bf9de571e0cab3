// rollproof-mock: mock Kimi / GLM file APIs with fault injection (see README.md).

#include <sys/stat.h>
#include <toml++/toml.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "rollproof/mock/server.hpp"

#ifndef ROLLPROOF_MOCK_VERSION
#define ROLLPROOF_MOCK_VERSION "0.0.0"
#endif

namespace {

using namespace rollproof::mock;

// Exit codes follow the runner's: 2 for bad input or usage, 3 when the server cannot start.
constexpr int usage_error = 2;
constexpr int infrastructure_error = 3;

bool split_listen(const std::string& listen, std::string& host, std::uint16_t& port) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  try {
    std::size_t used = 0;
    const auto n = std::stoul(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1 || n > 65535) return false;
    port = static_cast<std::uint16_t>(n);
  } catch (const std::exception&) {
    return false;
  }
  return !host.empty();
}

// Reads `path`: lines `api_key=KEY` (repeatable) and `admin_token=TOKEN`, so no secret is on the
// command line. The file must be a regular file that only its owner can read or write.
// Returns the error as "file:line:col: what is wrong", or "" when the secrets were taken.
std::string read_secrets_file(const std::string& path, server_options& options) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return path + ":1:1: cannot read the secrets file";
  if (!S_ISREG(st.st_mode)) return path + ":1:1: the secrets file is not a regular file";
  if ((st.st_mode & 077) != 0)
    return path + ":1:1: the secrets file is open to group or others (make it mode 0600)";
  std::ifstream in(path, std::ios::binary);
  if (!in) return path + ":1:1: cannot read the secrets file";
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const auto at = [&](std::size_t col, const std::string& what) {
      return path + ':' + std::to_string(number) + ':' + std::to_string(col + 1) + ": " + what;
    };
    const auto eq = line.find('=');
    if (eq == std::string::npos) return at(0, "expected NAME=VALUE (api_key or admin_token)");
    const std::string name = line.substr(0, eq);
    std::string value = line.substr(eq + 1);
    if (name == "api_key") {
      options.provider.api_keys.push_back(std::move(value));
    } else if (name == "admin_token") {
      if (value.empty()) return at(eq + 1, "admin_token is empty");
      options.admin_token = std::move(value);
    } else {
      return at(0, "unknown name '" + name + "' (api_key or admin_token)");
    }
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  // Named, so that the usage line says "rollproof-mock", not the path it was started by.
  CLI::App app{"rollproof-mock: mock Kimi and GLM file APIs with seeded fault injection",
               "rollproof-mock"};
  app.set_version_flag("--version", std::string("rollproof-mock ") + ROLLPROOF_MOCK_VERSION,
                       "print the version and exit 0");
  app.set_help_flag("-h,--help", "print this help and exit 0");
  app.footer(
      "Prints `READY http://HOST:PORT` on stdout once it listens; SIGTERM or SIGINT lets "
      "in-flight\n"
      "requests finish (up to --drain-timeout-ms).\n"
      "Exit codes: 0 stopped by SIGTERM or SIGINT; 2 usage, or a bad --faults, --secrets-file,\n"
      "--listen or --store; 3 cannot listen.");
  server_options options;
  std::string provider = "kimi";
  std::string listen = "127.0.0.1:0";
  std::string faults_file;
  std::string store = "none";
  std::string admin_token;
  std::string rate_tier;
  std::uint64_t read_timeout_ms = 30'000;
  std::uint64_t drain_timeout_ms = 5'000;
  app.add_option("--provider", provider, "kimi or glm")
      ->check(CLI::IsMember({"kimi", "glm"}))
      ->capture_default_str();
  app.add_option("--listen", listen, "HOST:PORT to bind (port 0: any free port)")
      ->capture_default_str();
  app.add_option("--api-key", options.provider.api_keys,
                 "accepted API key (repeatable); none: any Bearer token is accepted");
  app.add_option("--seed", options.provider.seed, "seed of ids and fault schedules")
      ->capture_default_str();
  app.add_option("--faults", faults_file, "fault rules (TOML)")->check(CLI::ExistingFile);
  app.add_option("--max-file-size", options.provider.max_file_size, "bytes per file")
      ->capture_default_str();
  app.add_option("--max-files", options.provider.max_files, "files held at once")
      ->capture_default_str();
  app.add_option("--extract-max-file-size", options.provider.extract_max_file_size,
                 "GLM: bytes per file-extract file")
      ->capture_default_str();
  app.add_option("--extract-max-files", options.provider.extract_max_files,
                 "GLM: file-extract files held at once")
      ->capture_default_str();
  app.add_option("--store", store, "none, memory, or a directory for the uploaded bytes")
      ->capture_default_str();
  app.add_option("--text-cap", options.text_cap, "bytes of text kept per file for /content")
      ->capture_default_str();
  app.add_option("--admin-token", admin_token, "require this token on /_mock/*");
  std::string secrets_file;
  app.add_option("--secrets-file", secrets_file,
                 "file of api_key=KEY and admin_token=TOKEN lines (mode 0600): secrets kept off "
                 "the command line; adds to --api-key, overrides --admin-token");
  auto* tier = app.add_option("--rate-tier", rate_tier, "Kimi rate tier: tier0 .. tier5")
                   ->check(CLI::IsMember({"tier0", "tier1", "tier2", "tier3", "tier4", "tier5"}));
  app.add_option("--max-concurrency", options.rate.max_concurrency,
                 "in-flight requests per key (0: unlimited)")
      ->excludes(tier);
  app.add_option("--rpm", options.rate.rpm, "requests per minute per key (0: unlimited)")
      ->excludes(tier);
  app.add_option("--threads", options.threads, "io threads")
      ->check(CLI::Range(1, 16))
      ->capture_default_str();
  app.add_option("--read-timeout-ms", read_timeout_ms, "header and body read timeout")
      ->capture_default_str();
  app.add_option("--drain-timeout-ms", drain_timeout_ms, "in-flight grace period on SIGTERM")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : usage_error;
  }

  options.provider.kind = provider == "glm" ? provider_kind::glm : provider_kind::kimi;
  if (!split_listen(listen, options.host, options.port)) {
    std::cerr << "rollproof-mock: --listen must be HOST:PORT, got '" << listen << "'\n";
    return usage_error;
  }
  if (!rate_tier.empty()) options.rate = *kimi_tier(rate_tier);
  if (!admin_token.empty()) options.admin_token = admin_token;
  if (!secrets_file.empty()) {
    if (const auto error = read_secrets_file(secrets_file, options); !error.empty()) {
      std::cerr << error << '\n';
      return usage_error;
    }
  }
  options.read_timeout = std::chrono::milliseconds(read_timeout_ms);
  options.drain_timeout = std::chrono::milliseconds(drain_timeout_ms);
  if (store == "none") {
    options.store = store_mode::none;
  } else if (store == "memory") {
    options.store = store_mode::memory;
  } else {
    options.store = store_mode::directory;
    options.store_directory = store;
    std::error_code ec;
    std::filesystem::create_directories(options.store_directory, ec);
    if (ec) {
      std::cerr << "rollproof-mock: --store " << store << ": " << ec.message() << '\n';
      return usage_error;
    }
  }
  if (!faults_file.empty()) {
    toml::table table;
    try {
      table = toml::parse_file(faults_file);
    } catch (const toml::parse_error& e) {
      std::cerr << faults_file << ':' << e.source().begin.line << ':' << e.source().begin.column
                << ": " << e.description() << '\n';
      return usage_error;
    }
    auto plan = parse_fault_plan(table, faults_file);
    if (!plan) {
      std::cerr << rollproof::to_string(plan.error());
      return usage_error;
    }
    options.faults = std::move(*plan);
  }

  const std::string options_host = options.host;
  server s(std::move(options));
  const auto port = s.listen();
  if (!port) {
    std::cerr << "rollproof-mock: " << port.error() << '\n';
    return infrastructure_error;
  }
  const bool v6 = options_host.find(':') != std::string::npos;
  std::cout << "READY http://" << (v6 ? "[" : "") << options_host << (v6 ? "]" : "") << ':' << *port
            << std::endl;
  s.run();
  return 0;
}
