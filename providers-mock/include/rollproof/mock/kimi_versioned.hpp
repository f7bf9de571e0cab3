#pragma once
// Kimi's versioned file API (providers-mock/API.md, source K6), selected per request by the
// kimi-api-version header on /v1/files*: 201/204 statuses, versioned records, page tokens, typed
// errors that carry the request id.

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rollproof/mock/ledger.hpp"
#include "rollproof/mock/provider_api.hpp"
#include "rollproof/mock/rate_limiter.hpp"
#include "rollproof/mock/upload_sink.hpp"

namespace rollproof::mock::kimi_versioned {

// The request header that selects the mode.
inline constexpr std::string_view header_name = "kimi-api-version";
// The one version the mock serves.
inline constexpr std::string_view supported_version = "2026-09-01-beta";
// Largest `page_size` a list accepts.
inline constexpr std::uint64_t max_page_size = 1000;
// Longest `filename` field an upload accepts, in characters.
inline constexpr std::size_t max_filename_chars = 4096;

// True when `api` imitates Kimi and `path` is /v1/files or below it (where the header applies).
[[nodiscard]] bool applies(const provider_api& api, std::string_view path);

// `f` as a versioned record: {id, filename, mime_type, size_bytes, created_at, purpose,
// extract_status}.
[[nodiscard]] boost::json::object record_of(const stored_file& f);

// Unix milliseconds as RFC 3339 UTC with milliseconds, e.g. "2026-08-26T12:00:00.000Z".
[[nodiscard]] std::string rfc3339_ms(std::int64_t unix_ms);

// The list page token that resumes after `f` (32 lowercase hex digits, opaque to clients).
[[nodiscard]] std::string page_token_after(const stored_file& f);

// The versioned answers to one request over `api`; `request_id` is the Msh-Request-Id the
// response carries, repeated in every error body.
class responder {
 public:
  // Answers over `api` (which must outlive it) for the request with id `request_id`.
  responder(provider_api& api, std::string request_id);

  // The Msh-Request-Id of this request.
  [[nodiscard]] const std::string& request_id() const { return request_id_; }
  // nullopt for the supported version, else 400 invalid_parameter_error naming the header.
  [[nodiscard]] std::optional<reply> check_version(std::string_view value) const;
  // The accepted key, else 401 authentication_error.
  [[nodiscard]] std::expected<accepted_credential, reply> authenticate(
      std::optional<std::string_view> authorization) const;
  // 400 invalid_request_error (never 413) when a declared length cannot fit the size limit.
  [[nodiscard]] std::optional<reply> check_declared_length(std::uint64_t content_length) const;
  // 429 rate_limit_reached_error with Retry-After; the key is only shown as a hash.
  [[nodiscard]] reply rate_limited(const rate_refusal& r, std::string_view key) const;
  // The default body of a status fault, typed by status (429 also gets Retry-After: 1).
  [[nodiscard]] reply fault_status(unsigned status, std::string_view rule) const;
  // Validates the `filename` field, stores the upload, answers 201 with the record.
  reply finish_upload(upload_sink& sink, const std::optional<std::string>& multipart_error,
                      ledger_entry& entry);
  // List, retrieve, delete (204), content and unknown paths under /v1/files.
  reply handle(std::string_view method, std::string_view path, std::string_view query,
               ledger_entry& entry);
  // `e` as a versioned error; `detail` fills the message (or names the parameter).
  [[nodiscard]] reply error(api_error e, std::string_view detail = {}) const;

 private:
  [[nodiscard]] reply typed_error(unsigned status, std::string_view type, std::string_view message,
                                  std::optional<std::string_view> param = std::nullopt) const;
  reply list(std::string_view query);

  provider_api& api_;
  std::string request_id_;
};

}  // namespace rollproof::mock::kimi_versioned
