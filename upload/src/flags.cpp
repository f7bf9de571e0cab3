#include "rollproof/upload/flags.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace rollproof::upload {
namespace {

std::string lower(std::string_view s) {
  std::string out{s};
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::optional<double> parse_percent(std::string_view text) {
  double v = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc{} || ptr != end || !std::isfinite(v) || v < 0 || v > 100) return std::nullopt;
  return v;
}

}  // namespace

std::expected<flag_config, std::string> flag_from_json(const boost::json::value& v,
                                                       std::string_view name) {
  const std::string where = fmt::format("flags.{}", name);
  const auto* obj = v.if_object();
  if (!obj) return std::unexpected(fmt::format("{}: must be an object", where));
  flag_config flag;
  flag.salt = std::string{name};
  for (const auto& [key, value] : *obj) {
    if (key == "enabled") {
      if (!value.is_bool())
        return std::unexpected(fmt::format("{}.enabled: must be a boolean", where));
      flag.enabled = value.get_bool();
    } else if (key == "rollout_percent") {
      const bool number = value.is_number();
      const double p = number ? value.to_number<double>() : -1.0;
      if (!number || !std::isfinite(p) || p < 0 || p > 100)
        return std::unexpected(
            fmt::format("{}.rollout_percent: must be a number in [0, 100]", where));
      flag.rollout_percent = p;
    } else if (key == "salt") {
      if (!value.is_string())
        return std::unexpected(fmt::format("{}.salt: must be a string", where));
      flag.salt = std::string{value.get_string()};
    } else if (key == "scheme") {
      const auto scheme = value.is_string() ? parse_scheme(value.get_string()) : std::nullopt;
      if (!scheme)
        return std::unexpected(fmt::format(
            "{}.scheme: must be one of rollproof, unleash, growthbook, flagd, launchdarkly",
            where));
      flag.scheme = *scheme;
    } else {
      return std::unexpected(fmt::format("{}.{}: unknown key", where, std::string_view{key}));
    }
  }
  return flag;
}

env_lookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string{name}.c_str());
    if (!v) return std::nullopt;
    return std::string{v};
  };
}

std::expected<flag_config, std::string> flag_from_environment(const env_lookup& env) {
  flag_config flag;
  if (auto v = env("ASYNC_UPLOAD_ENABLED")) {
    const auto s = lower(*v);
    if (s == "true" || s == "1" || s == "yes" || s == "on")
      flag.enabled = true;
    else if (s == "false" || s == "0" || s == "no" || s == "off" || s.empty())
      flag.enabled = false;
    else
      return std::unexpected(fmt::format(
          "ASYNC_UPLOAD_ENABLED: '{}' is not a boolean (true/false/1/0/yes/no/on/off)", *v));
  }
  if (auto v = env("ASYNC_UPLOAD_ROLLOUT_PERCENT")) {
    const auto p = parse_percent(*v);
    if (!p)
      return std::unexpected(
          fmt::format("ASYNC_UPLOAD_ROLLOUT_PERCENT: '{}' is not a number in [0, 100]", *v));
    flag.rollout_percent = *p;
  }
  if (auto v = env("ASYNC_UPLOAD_SALT")) {
    if (v->empty()) return std::unexpected(std::string{"ASYNC_UPLOAD_SALT: must not be empty"});
    flag.salt = *v;
  }
  return flag;
}

bool flag_enabled_for(const flag_config& flag, std::string_view user) {
  if (!flag.enabled) return false;
  return bucket_included(flag.scheme, bucket_of(flag.scheme, flag.salt, user),
                         flag.rollout_percent);
}

}  // namespace rollproof::upload
