#pragma once
// The subject's knobs (configure's `settings`): pools, retries, backoff and timeouts.

#include <boost/json/value.hpp>
#include <cstdint>
#include <expected>
#include <string>

namespace rollproof::upload {

// Every setting with its default; names match configure's `settings` keys.
struct upload_settings {
  int sync_workers = 8;
  int async_max_in_flight = 64;
  int max_retries = 3;
  std::int64_t backoff_base_ms = 100;
  std::int64_t backoff_max_ms = 5000;
  std::int64_t total_timeout_ms = 120000;
  std::int64_t connect_timeout_ms = 5000;
  std::int64_t low_speed_limit_bytes = 1024;
  std::int64_t low_speed_time_s = 30;
  bool fallback = true;
  std::int64_t request_timeout_ms = 60000;
};

// Applies a configure `settings` object over the defaults; an unknown key or an invalid value is
// refused with a message naming the key, e.g. "settings.sync_workers: must be an integer in [1,
// 1024]".
[[nodiscard]] std::expected<upload_settings, std::string> settings_from_json(
    const boost::json::value& v);

}  // namespace rollproof::upload
