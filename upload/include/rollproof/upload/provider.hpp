#pragma once
// Kimi and GLM file APIs: endpoints, API keys and the mapping of their answers to upload errors.

#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rollproof/upload/error.hpp"
#include "rollproof/upload/flags.hpp"

namespace rollproof::upload {

// The providers this client speaks to.
enum class provider_kind { kimi, glm };

// "kimi" or "glm".
[[nodiscard]] std::string_view to_string(provider_kind kind);

// Parses "kimi" or "glm"; nullopt otherwise.
[[nodiscard]] std::optional<provider_kind> parse_provider(std::string_view name);

// Where and how to reach one provider; `api_key` is a secret and is never logged.
struct provider_config {
  provider_kind kind = provider_kind::kimi;
  std::string base_url;  // e.g. http://127.0.0.1:41234/v1 (no trailing slash needed)
  std::string api_key;
};

// The real service's base URL: https://api.moonshot.cn/v1 or https://open.bigmodel.cn/api/paas/v4.
[[nodiscard]] std::string default_base_url(provider_kind kind);

// The environment variable holding the key for standalone use: MOONSHOT_API_KEY or ZHIPUAI_API_KEY.
[[nodiscard]] std::string_view api_key_variable(provider_kind kind);

// A provider configured from the environment (default base URL, key from api_key_variable());
// the error names the missing variable.
[[nodiscard]] std::expected<provider_config, std::string> provider_from_environment(
    provider_kind kind, const env_lookup& env);

// The upload endpoint: base_url + "/files".
[[nodiscard]] std::string files_url(const provider_config& provider);

// What one HTTP attempt produced as the client saw it (status 0 when no response arrived).
struct http_outcome {
  long status = 0;
  std::string body;
  std::optional<std::string> retry_after;       // the raw Retry-After header value
  std::optional<upload_error> transport_error;  // set when no complete response arrived
  // Requests libcurl put on the wire and then resent by itself, because the reused keep-alive
  // connection they went out on closed before any answer: each one the server may have logged,
  // with the time from its request line to the next. Empty for almost every attempt.
  std::vector<std::chrono::microseconds> resent_requests;
};

// Maps an attempt's outcome to the file id (2xx with a JSON `id`) or to an upload error, following
// each provider's documented error bodies (Kimi 400 "File size is too large" and GLM 435 are
// too_large; 401/403 auth; 429 rate_limited; 5xx server_error; a 2xx without an id is protocol).
[[nodiscard]] std::expected<std::string, upload_error> classify(provider_kind kind,
                                                                const http_outcome& outcome);

}  // namespace rollproof::upload
