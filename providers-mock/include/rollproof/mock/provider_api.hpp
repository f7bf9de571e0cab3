#pragma once
// The Kimi and GLM file APIs as providers-mock/API.md describes them, independent of the transport:
// requests in, replies (status, JSON body, headers) out.

#include <boost/json/object.hpp>
#include <cstdint>
#include <expected>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rollproof/mock/credentials.hpp"
#include "rollproof/mock/file_store.hpp"
#include "rollproof/mock/ledger.hpp"
#include "rollproof/mock/rate_limiter.hpp"
#include "rollproof/mock/upload_sink.hpp"

namespace rollproof::mock {

// Which provider the mock imitates.
enum class provider_kind { kimi, glm };

// One HTTP answer.
struct reply {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

// Limits and keys of one mock provider; sizes in bytes.
struct provider_config {
  provider_kind kind = provider_kind::kimi;
  std::vector<std::string> api_keys;  // empty: any well-formed credential is accepted
  std::uint64_t seed = 0;
  std::uint64_t max_file_size = 100ULL << 20;
  std::uint64_t max_files = 1000;
  std::uint64_t extract_max_file_size = 50ULL << 20;  // GLM purpose file-extract
  std::uint64_t extract_max_files = 100;              // GLM purpose file-extract
};

// The errors the APIs answer with, each in its provider's shape (see README.md for the table).
enum class api_error {
  auth_missing,    // no credential (GLM 1001)
  auth_invalid,    // a key or key id the mock does not hold (GLM 1000)
  auth_malformed,  // GLM: not a key and not a well-formed token (1002)
  auth_expired,    // GLM: a token past its `exp` (1003)
  auth_signature,  // GLM: a token whose signature does not verify (1004)
  not_found,
  unknown_path,
  too_large,
  zero_size,
  too_many_files,
  bad_purpose,
  missing_file,
  missing_purpose,
  purpose_too_large,
  purpose_too_many,
  bad_query,
  not_text,
  bad_request,
  server_error
};

// Why an upload was not stored: the error and the detail its message template takes.
struct upload_refusal {
  api_error error;
  std::string detail;
};

// The message of Kimi's 429 for `r`; the key appears only as a short hash ("ak-" + 12 hex digits).
[[nodiscard]] std::string kimi_rate_limit_message(const rate_refusal& r, std::string_view key);

// Multipart framing overhead allowed above max_file_size before a declared length is refused.
inline constexpr std::uint64_t multipart_allowance = 64 * 1024;

// One file's path below the files endpoint: "<files>/<id>" or "<files>/<id>/content".
struct file_path {
  std::string id;
  bool content = false;
};

// Splits `path` below `files_path` (e.g. "/v1/files"); nullopt when it names no single file.
[[nodiscard]] std::optional<file_path> parse_file_path(std::string_view path,
                                                       std::string_view files_path);

// Thread-safe provider logic over a file_store.
class provider_api {
 public:
  // An API serving `config.kind` over `store` (which must outlive it).
  provider_api(provider_config config, file_store& store);

  // The provider.
  [[nodiscard]] provider_kind kind() const { return config_.kind; }
  // "/v1" or "/api/paas/v4".
  [[nodiscard]] std::string_view base_path() const;
  // "Msh-Request-Id" or "x-request-id".
  [[nodiscard]] std::string_view request_id_header() const;
  // A fresh request id for the response header.
  [[nodiscard]] std::string next_request_id();
  // The accepted credential of an Authorization header (credentials.hpp: "Bearer <key>", and for
  // GLM also Zhipu's JWT with or without "Bearer "), else the provider's 401 reply.
  [[nodiscard]] std::expected<accepted_credential, reply> authenticate(
      std::optional<std::string_view> authorization) const;
  // True for POST <base>/files.
  [[nodiscard]] bool is_upload(std::string_view method, std::string_view path) const;
  // The refusal of an upload whose declared Content-Length cannot fit under the size limit.
  [[nodiscard]] std::optional<reply> check_declared_length(std::uint64_t content_length) const;
  // The per-file size limit.
  [[nodiscard]] std::uint64_t max_file_size() const { return config_.max_file_size; }
  // The configuration the API was made with.
  [[nodiscard]] const provider_config& config() const { return config_; }
  // The files held (the store given to the constructor).
  [[nodiscard]] file_store& files() { return store_; }
  // Validates and stores a received upload named `filename` (default: the file part's filename);
  // fills the ledger's file fields.
  std::expected<std::shared_ptr<const stored_file>, upload_refusal> accept_upload(
      upload_sink& sink, const std::optional<std::string>& multipart_error, ledger_entry& entry,
      const std::optional<std::string>& filename = std::nullopt);
  // Validates and stores a received upload; fills the ledger's file fields.
  reply finish_upload(upload_sink& sink, const std::optional<std::string>& multipart_error,
                      ledger_entry& entry);
  // Every non-upload endpoint (list, retrieve, delete, content, unknown paths).
  reply handle(std::string_view method, std::string_view path, std::string_view query,
               ledger_entry& entry);
  // An error reply in the provider's shape; `detail` fills the message template when it has one.
  [[nodiscard]] reply error(api_error e, std::string_view detail = {}) const;
  // The 429 of the rate model; `key` is only used through a hash, never shown.
  [[nodiscard]] reply rate_limited(const rate_refusal& r, std::string_view key) const;
  // The default body of a status fault: the provider's error shape for that status.
  [[nodiscard]] reply fault_status(unsigned status, std::string_view rule) const;
  // The content endpoint's answer for `f`, errors in the compat shape.
  [[nodiscard]] reply content(const stored_file& f) const;
  // Restarts the id sequences (POST /_mock/reset).
  void reset();

 private:
  std::string next_file_id();
  [[nodiscard]] boost::json::object file_object(const stored_file& f) const;
  reply list(std::string_view query);

  provider_config config_;
  file_store& store_;
  std::string glm_date_;
  std::mutex mutex_;
  std::mt19937_64 ids_;
  std::mt19937_64 request_ids_;
};

}  // namespace rollproof::mock
