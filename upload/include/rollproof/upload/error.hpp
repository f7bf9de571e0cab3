#pragma once
// Upload error codes of the subject protocol and the decisions that depend on them.

#include <optional>
#include <string>
#include <string_view>

namespace rollproof::upload {

// The protocol's `error.code` values for a failed upload.
enum class error_code {
  timeout,
  connection,
  rate_limited,
  server_error,
  auth,
  too_large,
  bad_request,
  not_found,
  protocol,
  io,
  internal,
};

// A failed upload or attempt: its code and a human message (never containing an API key).
struct upload_error {
  error_code code = error_code::internal;
  std::string message;
};

// The protocol spelling of `code`, e.g. "rate_limited".
[[nodiscard]] std::string_view to_string(error_code code);

// Parses the protocol spelling back; nullopt for an unknown name.
[[nodiscard]] std::optional<error_code> parse_error_code(std::string_view name);

// True when the same route may try again after a backoff: timeout, connection, rate_limited,
// server_error.
[[nodiscard]] bool is_retriable(error_code code);

// True when a failed async upload may be tried on the sync route: the retriable codes and protocol.
[[nodiscard]] bool falls_back_to_sync(error_code code);

}  // namespace rollproof::upload
