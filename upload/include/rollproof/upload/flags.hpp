#pragma once
// The async_upload feature flag: its configuration from configure JSON or from the environment.

#include <boost/json/value.hpp>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "rollproof/upload/bucketing.hpp"

namespace rollproof::upload {

// One feature flag: nobody has it unless `enabled`; then the scheme decides per user.
struct flag_config {
  bool enabled = false;
  double rollout_percent = 0.0;  // 0..100, fractional allowed
  std::string salt = "async_upload";
  bucketing_scheme scheme = bucketing_scheme::rollproof;
};

// Reads a flag from configure's `flags.<name>` object; `salt` defaults to `name`; the error names
// the offending key, e.g. "flags.async_upload.rollout_percent: must be a number in [0, 100]".
[[nodiscard]] std::expected<flag_config, std::string> flag_from_json(const boost::json::value& v,
                                                                     std::string_view name);

// Looks up an environment variable; nullopt when unset.
using env_lookup = std::function<std::optional<std::string>(std::string_view)>;

// The process environment (std::getenv).
[[nodiscard]] env_lookup process_environment();

// Reads ASYNC_UPLOAD_ENABLED (true/false/1/0/yes/no/on/off), ASYNC_UPLOAD_ROLLOUT_PERCENT (0..100)
// and ASYNC_UPLOAD_SALT; unset variables keep the defaults; a bad value is refused with a message
// naming the variable.
[[nodiscard]] std::expected<flag_config, std::string> flag_from_environment(const env_lookup& env);

// True when `user` gets the flag: enabled and inside the rollout under the flag's scheme.
[[nodiscard]] bool flag_enabled_for(const flag_config& flag, std::string_view user);

}  // namespace rollproof::upload
