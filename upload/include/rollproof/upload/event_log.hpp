#pragma once
// Structured logs: one JSON object per line, secrets redacted before anything is written.

#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

#include "rollproof/common/redact.hpp"
#include "rollproof/upload/error.hpp"
#include "rollproof/upload/provider.hpp"
#include "rollproof/upload/transport.hpp"

namespace rollproof::upload {

// One HTTP attempt as logged: event "attempt".
struct attempt_event {
  std::string request_id;
  route via = route::sync;
  provider_kind provider = provider_kind::kimi;
  int attempt = 1;  // 1-based over both routes
  long status = 0;
  std::int64_t duration_us = 0;
  std::optional<upload_error> error;
};

// Writes JSON lines to a stream (stderr in the subject); thread-safe.
class event_log {
 public:
  // Logs to `out`; every line passes through `secrets` before it is written.
  explicit event_log(std::ostream& out);
  // Replaces the set of secrets to redact (the configured API keys).
  void set_secrets(rollproof::redactor secrets);
  // Writes one "attempt" event line.
  void attempt(const attempt_event& event);
  // Writes one free-form event line {"event": name, "message": text}.
  void note(std::string_view name, std::string_view message);

 private:
  void write_line(std::string line);
  std::ostream& out_;
  std::mutex mutex_;
  rollproof::redactor secrets_;
};

}  // namespace rollproof::upload
