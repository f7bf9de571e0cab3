#include "rollproof/upload/retry.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace rollproof::upload {

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
    value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r'))
    value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  double seconds = 0;
  const auto* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, seconds);
  const double most = static_cast<double>(max_retry_after.count());
  if (ec == std::errc{} && ptr == end) {
    if (!std::isfinite(seconds) || seconds < 0) return std::nullopt;
    return std::chrono::milliseconds{
        static_cast<std::int64_t>(std::llround(std::min(seconds * 1000.0, most)))};
  }
  // libcurl's date parser accepts the three HTTP-date forms of RFC 9110. The difference is taken
  // in whole seconds first: a date thousands of years ahead overflows the clock's nanoseconds.
  const time_t when = curl_getdate(std::string{value}.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  const double ahead_s =
      static_cast<double>(when) - static_cast<double>(std::chrono::system_clock::to_time_t(now));
  if (ahead_s * 1000.0 >= most) return max_retry_after;
  const auto delta = std::chrono::system_clock::from_time_t(when) - now;
  return std::max(std::chrono::milliseconds{0},
                  std::chrono::duration_cast<std::chrono::milliseconds>(delta));
}

std::chrono::milliseconds backoff_delay(const retry_policy& policy, int retry, double unit_random) {
  const double base = static_cast<double>(policy.backoff_base.count());
  const double cap = std::min(static_cast<double>(policy.backoff_max.count()),
                              base * std::ldexp(1.0, std::min(retry, 60)));
  // Half fixed, half random ("equal jitter"): retries of many clients spread out, yet each one
  // still waits at least half of the exponential step.
  const double wait = cap / 2.0 + cap / 2.0 * std::clamp(unit_random, 0.0, 1.0);
  return std::chrono::milliseconds{static_cast<std::int64_t>(wait)};
}

std::optional<std::chrono::milliseconds> next_retry_delay(
    const retry_policy& policy, int retries_done, error_code code,
    std::optional<std::chrono::milliseconds> retry_after, std::chrono::milliseconds elapsed,
    double unit_random) {
  if (!is_retriable(code) || retries_done >= policy.max_retries) return std::nullopt;
  const auto delay = retry_after ? *retry_after : backoff_delay(policy, retries_done, unit_random);
  if (elapsed + delay >= policy.total_timeout) return std::nullopt;
  return delay;
}

}  // namespace rollproof::upload
