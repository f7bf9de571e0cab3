#pragma once
// A rollproof-mock child: started on port 0 with the READY handshake, driven over its admin API.

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <string>

#include "rollproof/framework/child_process.hpp"
#include "rollproof/framework/scenario.hpp"

namespace rollproof::framework {

// One mock provider process.
class mock_server {
 public:
  // Starts `exe` for `config` with `seed`; waits up to `start_timeout` for `READY http://...`;
  // a directory store lives under `out_dir`. The error says what failed (and the stderr tail).
  [[nodiscard]] static std::expected<std::unique_ptr<mock_server>, std::string> start(
      const std::filesystem::path& exe, const provider_config& config, std::uint64_t seed,
      const std::filesystem::path& out_dir, std::chrono::milliseconds start_timeout);

  // The provider name ("kimi" or "glm").
  [[nodiscard]] const std::string& provider() const { return provider_; }
  // The listening root, e.g. http://127.0.0.1:41234.
  [[nodiscard]] const std::string& url() const { return url_; }
  // The provider API base the subject uses (`<url>/v1` for Kimi, `<url>/api/paas/v4` for GLM).
  [[nodiscard]] std::string base_url() const;

  // PUT /_mock/faults with a {"rules":[...]} plan.
  [[nodiscard]] std::expected<void, std::string> put_faults(const boost::json::value& plan);
  // POST /_mock/reset: files, ledger, counters and fault schedules start over.
  [[nodiscard]] std::expected<void, std::string> reset();
  // GET /_mock/ledger: one entry per request.
  [[nodiscard]] std::expected<boost::json::array, std::string> ledger();

  // How it ended, once it has; nullopt while it runs.
  [[nodiscard]] std::optional<exit_info> exited() { return process_->try_wait(); }
  // The process, for signals and its stderr tail.
  [[nodiscard]] child_process& process() { return *process_; }

 private:
  std::string provider_;
  std::string url_;
  std::unique_ptr<child_process> process_;
};

}  // namespace rollproof::framework
