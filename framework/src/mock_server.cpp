#include "rollproof/framework/mock_server.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include "admin_http.hpp"

namespace rollproof::framework {
namespace {

// 32 bytes from OpenSSL's CSPRNG as 64 hex digits.
std::expected<std::string, std::string> random_token() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return std::unexpected("RAND_bytes failed");
  std::string hex;
  for (const unsigned char b : bytes)
    hex += fmt::format("{:02x}", b);
  return hex;
}

// A private directory (mkdtemp, mode 0700) holding one 0600 secrets file; both are removed on
// destruction.
class secrets_file {
 public:
  // Writes `text` to <tmp>/rollproof-mock-XXXXXX/secrets; the error says what failed.
  static std::expected<std::unique_ptr<secrets_file>, std::string> write(const std::string& text) {
    std::string dir = (std::filesystem::temp_directory_path() / "rollproof-mock-XXXXXX").string();
    if (::mkdtemp(dir.data()) == nullptr)
      return std::unexpected(fmt::format("mkdtemp {}: {}", dir, std::strerror(errno)));
    auto self = std::unique_ptr<secrets_file>(new secrets_file(dir));
    const int fd =
        ::open(self->path().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
      return std::unexpected(fmt::format("{}: {}", self->path().string(), std::strerror(errno)));
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const bool closed = ::close(fd) == 0;
    if (!written || !closed)
      return std::unexpected(fmt::format("{}: cannot write the secrets", self->path().string()));
    return self;
  }
  ~secrets_file() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  secrets_file(const secrets_file&) = delete;
  secrets_file& operator=(const secrets_file&) = delete;
  [[nodiscard]] std::filesystem::path path() const { return dir_ / "secrets"; }

 private:
  explicit secrets_file(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::filesystem::path dir_;
};

}  // namespace

std::expected<std::unique_ptr<mock_server>, std::string> mock_server::start(
    const std::filesystem::path& exe, const provider_config& config, std::uint64_t seed,
    const std::filesystem::path& out_dir, std::chrono::milliseconds start_timeout) {
  if (config.api_key.find_first_of("\r\n") != std::string::npos)
    return std::unexpected(fmt::format("the api_key of provider {} has a line break", config.name));
  auto token = random_token();
  if (!token) return std::unexpected(token.error());
  auto secrets =
      secrets_file::write("api_key=" + config.api_key + "\nadmin_token=" + *token + "\n");
  if (!secrets) return std::unexpected(secrets.error());
  std::vector<std::string> argv{exe.string(),
                                "--provider",
                                config.name,
                                "--listen",
                                "127.0.0.1:0",
                                "--secrets-file",
                                (*secrets)->path().string(),
                                "--seed",
                                std::to_string(seed)};
  if (config.max_file_size)
    argv.insert(argv.end(), {"--max-file-size", std::to_string(*config.max_file_size)});
  if (config.max_files) argv.insert(argv.end(), {"--max-files", std::to_string(*config.max_files)});
  if (config.rate_tier) argv.insert(argv.end(), {"--rate-tier", *config.rate_tier});
  if (config.max_concurrency)
    argv.insert(argv.end(), {"--max-concurrency", std::to_string(*config.max_concurrency)});
  if (config.rpm) argv.insert(argv.end(), {"--rpm", std::to_string(*config.rpm)});
  std::string store = config.store;
  if (store != "none" && store != "memory") store = (out_dir / store).string();
  argv.insert(argv.end(), {"--store", store});

  auto process = child_process::start(argv, 1000);
  if (!process) return std::unexpected(process.error());
  auto self = std::unique_ptr<mock_server>(new mock_server());
  self->provider_ = config.name;
  self->admin_token_ = std::move(*token);
  self->process_ = std::move(*process);
  const auto deadline = std::chrono::steady_clock::now() + start_timeout;
  std::string line;
  for (;;) {
    const auto got = self->process_->read_line(line, deadline);
    if (got == read_status::line && line.rfind("READY ", 0) == 0) {
      self->url_ = line.substr(6);
      while (!self->url_.empty() && (self->url_.back() == '\r' || self->url_.back() == ' '))
        self->url_.pop_back();
      return self;
    }
    if (got == read_status::line) continue;  // log lines before READY
    const std::string why =
        got == read_status::eof ? "exited before READY" : "sent no READY line in time";
    self->process_->signal_group(SIGKILL);
    const auto ended =
        self->process_->wait(std::chrono::steady_clock::now() + std::chrono::seconds(2));
    return std::unexpected(fmt::format("rollproof-mock --provider {} {} ({}); stderr: {}",
                                       config.name, why, ended.describe(),
                                       self->process_->stderr_tail()));
  }
}

std::string mock_server::base_url() const {
  return provider_ == "glm" ? url_ + "/api/paas/v4" : url_ + "/v1";
}

std::expected<void, std::string> mock_server::put_faults(const boost::json::value& plan) {
  auto r = detail::http_request("PUT", url_ + "/_mock/faults", admin_token_,
                                boost::json::serialize(plan));
  if (!r) return std::unexpected(r.error());
  return {};
}

std::expected<void, std::string> mock_server::reset() {
  auto r = detail::http_request("POST", url_ + "/_mock/reset", admin_token_, "{}");
  if (!r) return std::unexpected(r.error());
  // Refusals before the reset belong to earlier cases (reported there, or ended in error).
  boost::system::error_code ec;
  const auto value = boost::json::parse(*r, ec);
  const auto* count =
      !ec && value.is_object() ? value.as_object().if_contains("admin_refused") : nullptr;
  if (count != nullptr && count->is_number())
    refusals_seen_ = std::max(refusals_seen_, count->to_number<std::uint64_t>());
  return {};
}

std::expected<boost::json::array, std::string> mock_server::ledger() {
  auto body = detail::http_request("GET", url_ + "/_mock/ledger", admin_token_);
  if (!body) return std::unexpected(body.error());
  boost::system::error_code ec;
  auto value = boost::json::parse(*body, ec);
  if (ec) return std::unexpected("ledger is not JSON: " + ec.message());
  if (value.is_array()) return std::move(value.as_array());
  // Tolerate a wrapped shape {"entries":[...]} in case the mock pages its ledger.
  if (value.is_object() && value.as_object().contains("entries") &&
      value.as_object().at("entries").is_array())
    return std::move(value.as_object().at("entries").as_array());
  return std::unexpected("ledger is not a JSON array");
}

std::expected<std::vector<std::string>, std::string> mock_server::new_admin_refusals() {
  faults_injected_.reset();
  auto body = detail::http_request("GET", url_ + "/_mock/stats", admin_token_);
  if (!body) return std::unexpected(body.error());
  boost::system::error_code ec;
  const auto value = boost::json::parse(*body, ec);
  const auto* refusals =
      !ec && value.is_object() ? value.as_object().if_contains("admin_refusals") : nullptr;
  const auto* count = refusals != nullptr && refusals->is_object()
                          ? refusals->as_object().if_contains("count")
                          : nullptr;
  const auto* newest = refusals != nullptr && refusals->is_object()
                           ? refusals->as_object().if_contains("newest")
                           : nullptr;
  if (count == nullptr || !count->is_number() || newest == nullptr || !newest->is_array())
    return std::unexpected("GET /_mock/stats has no admin_refusals {count, newest}");
  if (const auto* by_fault = value.as_object().if_contains("by_fault");
      by_fault != nullptr && by_fault->is_object()) {
    faults_injected_.emplace();
    for (const auto& [rule, n] : by_fault->as_object())
      if (n.is_number()) (*faults_injected_)[std::string(rule)] = n.to_number<std::uint64_t>();
  }
  const auto total = count->to_number<std::uint64_t>();
  std::vector<std::string> out;
  std::uint64_t listed = 0;
  for (const auto& r : newest->as_array()) {
    const auto* o = r.if_object();
    if (o == nullptr || !o->contains("n") || !o->at("n").is_number()) continue;
    if (o->at("n").to_number<std::uint64_t>() <= refusals_seen_) continue;
    const auto* method = o->if_contains("method");
    const auto* path = o->if_contains("path");
    out.push_back(fmt::format(
        "{} {}", method != nullptr && method->is_string() ? method->as_string().c_str() : "?",
        path != nullptr && path->is_string() ? path->as_string().c_str() : "?"));
    ++listed;
  }
  const std::uint64_t fresh = total > refusals_seen_ ? total - refusals_seen_ : 0;
  if (fresh > listed) out.push_back(fmt::format("and {} more", fresh - listed));
  refusals_seen_ = std::max(refusals_seen_, total);
  return out;
}

}  // namespace rollproof::framework
