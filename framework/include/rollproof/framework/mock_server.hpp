#pragma once
// A rollproof-mock child: started on port 0 with the READY handshake, driven over its admin API.

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rollproof/framework/child_process.hpp"
#include "rollproof/framework/scenario.hpp"

namespace rollproof::framework {

// One mock provider process.
class mock_server {
 public:
  // Starts `exe` for `config` with `seed`; waits up to `start_timeout` for `READY http://...`;
  // a directory store lives under `out_dir`. The mock gets a fresh random admin token (OpenSSL
  // RAND_bytes) and the API key through --secrets-file, a 0600 file in a private mkdtemp
  // directory that is removed once the mock answered READY or failed; no secret is on its command
  // line. The error says what failed (and the stderr tail).
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
  // POST /_mock/reset: files, ledger, counters and fault schedules start over; the admin
  // refusals counted so far are no longer new to new_admin_refusals().
  [[nodiscard]] std::expected<void, std::string> reset();
  // GET /_mock/ledger: one entry per request.
  [[nodiscard]] std::expected<boost::json::array, std::string> ledger();
  // The admin requests the mock refused (no or wrong token: not the runner) since the previous
  // call, as "METHOD PATH" in order; when more were refused than the mock keeps (32), the list
  // ends with "and N more". Empty when there were none.
  [[nodiscard]] std::expected<std::vector<std::string>, std::string> new_admin_refusals();
  // The requests each fault rule answered since the last reset, by rule name, from the same
  // GET /_mock/stats the latest new_admin_refusals() read (`by_fault`); nullopt when it failed.
  [[nodiscard]] const std::optional<std::map<std::string, std::uint64_t>>& faults_injected() const {
    return faults_injected_;
  }

  // How it ended, once it has; nullopt while it runs.
  [[nodiscard]] std::optional<exit_info> exited() { return process_->try_wait(); }
  // The process, for signals and its stderr tail.
  [[nodiscard]] child_process& process() { return *process_; }

 private:
  std::string provider_;
  std::string url_;
  std::string admin_token_;  // sent as X-Mock-Admin-Token; never shown
  std::uint64_t refusals_seen_ = 0;
  std::optional<std::map<std::string, std::uint64_t>> faults_injected_;
  std::unique_ptr<child_process> process_;
};

}  // namespace rollproof::framework
