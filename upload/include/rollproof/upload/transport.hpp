#pragma once
// The seam between upload decisions and the network: one HTTP attempt at a time, completed by a
// callback, so retries and fallback are testable without sockets.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "rollproof/upload/provider.hpp"

namespace rollproof::upload {

// The two upload routes: sync (legacy, whole file in memory) and async (streaming).
enum class route { sync, async };

// "sync" or "async".
[[nodiscard]] std::string_view to_string(route r);

// The User-Agent of every attempt: "rollproof-upload/<version> (route=<route>)".
[[nodiscard]] std::string user_agent(route r);

// Everything one multipart POST needs; the transport adds the headers from these fields.
struct attempt_request {
  std::string url;
  std::string api_key;     // sent as "Authorization: Bearer <key>", never logged
  std::string request_id;  // sent as X-Client-Request-Id
  std::string purpose;
  std::filesystem::path file;
  std::string filename;
  route via = route::sync;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{60000};  // sync only: one bound for the whole attempt
  std::int64_t low_speed_limit_bytes = 1024;         // async only: abort below this rate ...
  std::chrono::seconds low_speed_time{30};           // ... sustained this long
};

// Sends multipart POSTs; implementations: the sync pool, the async curl multi loop, test mocks.
class transport {
 public:
  virtual ~transport() = default;
  // Starts one attempt; `done` is called exactly once, from any thread, with what came back.
  virtual void send(attempt_request request, std::function<void(http_outcome)> done) = 0;
};

// Runs a callback later; the uploader's backoff waits go through it (tests run them at once).
class delay_scheduler {
 public:
  virtual ~delay_scheduler() = default;
  // Calls `action` once after `delay`, from any thread.
  virtual void after(std::chrono::milliseconds delay, std::function<void()> action) = 0;
};

}  // namespace rollproof::upload
