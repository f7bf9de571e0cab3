#pragma once
// Per-API-key rate model: a concurrency limit and a requests-per-minute sliding window.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace rollproof::mock {

// Limits per key; 0 means "no limit" for each.
struct rate_limits {
  std::uint64_t max_concurrency = 0;
  std::uint64_t rpm = 0;
  bool operator==(const rate_limits&) const = default;
};

// The Kimi tier limits of providers-mock/API.md's source K4 ("tier0" .. "tier5"), or nullopt.
[[nodiscard]] std::optional<rate_limits> kimi_tier(std::string_view name);

// Why a request was refused.
struct rate_refusal {
  bool concurrency = false;         // true: concurrency limit, false: RPM
  std::uint64_t limit = 0;          // the limit that was hit
  std::uint64_t retry_after_s = 0;  // when a retry may succeed
};

// Thread-safe. Every admitted request holds a slot until release().
class rate_limiter {
 public:
  using clock = std::chrono::steady_clock;
  // A limiter with the given limits (all zero: admits everything).
  explicit rate_limiter(rate_limits limits);
  // Admits the request (taking a slot) or says why not.
  [[nodiscard]] std::optional<rate_refusal> acquire(const std::string& key, clock::time_point now);
  // Gives back the slot of an admitted request.
  void release(const std::string& key);
  // Forgets all windows and slots.
  void reset();
  // True when any limit is set.
  [[nodiscard]] bool enabled() const { return limits_.max_concurrency != 0 || limits_.rpm != 0; }

 private:
  struct key_state {
    std::uint64_t in_flight = 0;
    std::deque<clock::time_point> recent;
  };
  rate_limits limits_;
  std::mutex mutex_;
  std::map<std::string, key_state, std::less<>> keys_;
};

}  // namespace rollproof::mock
