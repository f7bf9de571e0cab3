#pragma once
// The configure operation: providers, flags and settings, validated into a client_config.

#include <boost/json/object.hpp>
#include <expected>
#include <string>

#include "rollproof/upload/flags.hpp"
#include "rollproof/upload/uploader.hpp"

namespace rollproof::upload {

// Builds a client_config from a configure request; providers without `api_key` take it from
// MOONSHOT_API_KEY / ZHIPUAI_API_KEY; the error message names the offending key.
[[nodiscard]] std::expected<client_config, std::string> config_from_configure(
    const boost::json::object& request, const env_lookup& env);

}  // namespace rollproof::upload
