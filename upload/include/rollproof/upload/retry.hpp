#pragma once
// When to try again: exponential backoff with jitter, Retry-After, caps on retries and total time.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "rollproof/upload/error.hpp"

namespace rollproof::upload {

// Limits of the retry loop of one route.
struct retry_policy {
  int max_retries = 3;  // attempts = 1 + retries at most
  std::chrono::milliseconds backoff_base{100};
  std::chrono::milliseconds backoff_max{5000};
  std::chrono::milliseconds total_timeout{120000};  // no retry may start after this much time
};

// The longest wait a Retry-After value is read as: one day. A longer one (or a date centuries
// ahead) is read as this, and then ends the retries, since it passes any total_timeout.
inline constexpr std::chrono::milliseconds max_retry_after{24 * 60 * 60 * 1000};

// Parses a Retry-After value: delay seconds (integer or decimal) or an HTTP-date relative to `now`,
// at most max_retry_after; nullopt when unparsable.
[[nodiscard]] std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

// The backoff before retry number `retry` (0 for the first retry): a uniformly jittered delay in
// [cap/2, cap] where cap = min(backoff_max, backoff_base * 2^retry); `unit_random` is in [0, 1).
[[nodiscard]] std::chrono::milliseconds backoff_delay(const retry_policy& policy, int retry,
                                                      double unit_random);

// The wait before the next attempt of the same route, or nullopt to stop: stops for
// non-retriable codes, after max_retries retries, or when the wait would end past total_timeout;
// a Retry-After wait replaces the backoff when present.
[[nodiscard]] std::optional<std::chrono::milliseconds> next_retry_delay(
    const retry_policy& policy, int retries_done, error_code code,
    std::optional<std::chrono::milliseconds> retry_after, std::chrono::milliseconds elapsed,
    double unit_random);

}  // namespace rollproof::upload
