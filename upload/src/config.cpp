#include "rollproof/upload/config.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

namespace rollproof::upload {
namespace {

std::expected<provider_config, std::string> provider_from_json(provider_kind kind,
                                                               const boost::json::value& v,
                                                               const env_lookup& env) {
  const std::string where = fmt::format("providers.{}", to_string(kind));
  const auto* obj = v.if_object();
  if (!obj) return std::unexpected(fmt::format("{}: must be an object", where));
  provider_config p{kind, default_base_url(kind), {}};
  for (const auto& [key, value] : *obj) {
    if (key == "base_url") {
      const auto* s = value.if_string();
      const bool valid = s && boost::urls::parse_absolute_uri(*s).has_value() &&
                         (s->starts_with("http://") || s->starts_with("https://"));
      if (!valid) return std::unexpected(fmt::format("{}.base_url: must be an http(s) URL", where));
      p.base_url = std::string{*s};
    } else if (key == "api_key") {
      if (!value.is_string())
        return std::unexpected(fmt::format("{}.api_key: must be a string", where));
      p.api_key = std::string{value.get_string()};
    } else {
      return std::unexpected(fmt::format("{}.{}: unknown key", where, std::string_view{key}));
    }
  }
  if (p.api_key.empty()) {
    if (auto key = env(api_key_variable(kind)); key && !key->empty()) p.api_key = *key;
  }
  return p;
}

}  // namespace

std::expected<client_config, std::string> config_from_configure(const boost::json::object& request,
                                                                const env_lookup& env) {
  client_config config;
  for (const auto& [key, value] : request) {
    if (key == "id" || key == "op") continue;
    if (key == "providers") {
      const auto* obj = value.if_object();
      if (!obj) return std::unexpected(std::string{"providers: must be an object"});
      for (const auto& [name, pv] : *obj) {
        const auto kind = parse_provider(name);
        if (!kind)
          return std::unexpected(
              fmt::format("providers.{}: unknown provider (kimi, glm)", std::string_view{name}));
        auto p = provider_from_json(*kind, pv, env);
        if (!p) return std::unexpected(p.error());
        config.providers[*kind] = std::move(*p);
      }
    } else if (key == "flags") {
      const auto* obj = value.if_object();
      if (!obj) return std::unexpected(std::string{"flags: must be an object"});
      for (const auto& [name, fv] : *obj) {
        if (name != "async_upload")
          return std::unexpected(
              fmt::format("flags.{}: unknown flag (async_upload)", std::string_view{name}));
        auto flag = flag_from_json(fv, name);
        if (!flag) return std::unexpected(flag.error());
        config.async_upload = std::move(*flag);
      }
    } else if (key == "settings") {
      auto settings = settings_from_json(value);
      if (!settings) return std::unexpected(settings.error());
      config.settings = *settings;
    } else {
      return std::unexpected(fmt::format("{}: unknown configure field", std::string_view{key}));
    }
  }
  // Standalone use: a provider not named in configure still works when its key is in the
  // environment.
  for (auto kind : {provider_kind::kimi, provider_kind::glm}) {
    if (config.providers.contains(kind)) continue;
    if (auto p = provider_from_environment(kind, env)) config.providers[kind] = *p;
  }
  return config;
}

}  // namespace rollproof::upload
