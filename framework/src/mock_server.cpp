#include "rollproof/framework/mock_server.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <csignal>

#include "admin_http.hpp"

namespace rollproof::framework {

std::expected<std::unique_ptr<mock_server>, std::string> mock_server::start(
    const std::filesystem::path& exe, const provider_config& config, std::uint64_t seed,
    const std::filesystem::path& out_dir, std::chrono::milliseconds start_timeout) {
  std::vector<std::string> argv{exe.string(),   "--provider",  config.name,
                                "--listen",     "127.0.0.1:0", "--api-key",
                                config.api_key, "--seed",      std::to_string(seed)};
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
  auto r = detail::http_request("PUT", url_ + "/_mock/faults", boost::json::serialize(plan));
  if (!r) return std::unexpected(r.error());
  return {};
}

std::expected<void, std::string> mock_server::reset() {
  auto r = detail::http_request("POST", url_ + "/_mock/reset", "{}");
  if (!r) return std::unexpected(r.error());
  return {};
}

std::expected<boost::json::array, std::string> mock_server::ledger() {
  auto body = detail::http_request("GET", url_ + "/_mock/ledger");
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

}  // namespace rollproof::framework
