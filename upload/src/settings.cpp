#include "rollproof/upload/settings.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <functional>
#include <map>

namespace rollproof::upload {
namespace {

using setter =
    std::function<std::optional<std::string>(const boost::json::value&, upload_settings&)>;

// JSON numbers arrive as int64, uint64 or double; a double with a fraction is not an integer.
std::optional<std::int64_t> as_integer(const boost::json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v.get_uint64());
  if (v.is_double()) {
    const double d = v.get_double();
    if (d == static_cast<double>(static_cast<std::int64_t>(d))) return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

template <typename T>
setter integer(T upload_settings::*field, std::int64_t min, std::int64_t max) {
  return [=](const boost::json::value& v, upload_settings& s) -> std::optional<std::string> {
    const auto i = as_integer(v);
    if (!i || *i < min || *i > max) return fmt::format("must be an integer in [{}, {}]", min, max);
    s.*field = static_cast<T>(*i);
    return std::nullopt;
  };
}

const std::map<std::string, setter, std::less<>>& setters() {
  static const std::map<std::string, setter, std::less<>> all{
      {"sync_workers", integer(&upload_settings::sync_workers, 1, 1024)},
      {"async_max_in_flight", integer(&upload_settings::async_max_in_flight, 1, 100000)},
      {"max_retries", integer(&upload_settings::max_retries, 0, 100)},
      {"backoff_base_ms", integer(&upload_settings::backoff_base_ms, 0, 600000)},
      {"backoff_max_ms", integer(&upload_settings::backoff_max_ms, 0, 3600000)},
      {"total_timeout_ms", integer(&upload_settings::total_timeout_ms, 1, 86400000)},
      {"connect_timeout_ms", integer(&upload_settings::connect_timeout_ms, 1, 3600000)},
      {"low_speed_limit_bytes", integer(&upload_settings::low_speed_limit_bytes, 0, INT64_MAX)},
      {"low_speed_time_s", integer(&upload_settings::low_speed_time_s, 0, 86400)},
      {"request_timeout_ms", integer(&upload_settings::request_timeout_ms, 1, 86400000)},
      {"fallback",
       [](const boost::json::value& v, upload_settings& s) -> std::optional<std::string> {
         if (!v.is_bool()) return "must be a boolean";
         s.fallback = v.get_bool();
         return std::nullopt;
       }},
  };
  return all;
}

}  // namespace

std::expected<upload_settings, std::string> settings_from_json(const boost::json::value& v) {
  upload_settings settings;
  if (v.is_null()) return settings;
  const auto* obj = v.if_object();
  if (!obj) return std::unexpected(std::string{"settings: must be an object"});
  for (const auto& [key, value] : *obj) {
    const auto it = setters().find(std::string_view{key});
    if (it == setters().end())
      return std::unexpected(fmt::format("settings.{}: unknown setting", std::string_view{key}));
    if (auto problem = it->second(value, settings))
      return std::unexpected(fmt::format("settings.{}: {}", std::string_view{key}, *problem));
  }
  if (settings.backoff_max_ms < settings.backoff_base_ms)
    return std::unexpected(std::string{"settings.backoff_max_ms: must be >= backoff_base_ms"});
  return settings;
}

}  // namespace rollproof::upload
