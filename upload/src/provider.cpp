#include "rollproof/upload/provider.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

namespace rollproof::upload {
namespace {

struct error_body {
  std::string type;
  std::string code;
  std::string message;
};

// Kimi answers {"error":{"type","message"}}, GLM {"error":{"code","message"}}; either may be absent
// when a proxy or a fault answered instead of the provider.
std::optional<error_body> parse_error_body(std::string_view body) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto* err = v.get_object().if_contains("error");
  if (!err || !err->is_object()) return std::nullopt;
  error_body out;
  const auto& o = err->get_object();
  auto text = [&](std::string_view key) -> std::string {
    const auto* f = o.if_contains(key);
    if (!f) return {};
    if (f->is_string()) return std::string{f->get_string()};
    if (f->is_int64()) return std::to_string(f->get_int64());
    return {};
  };
  out.type = text("type");
  out.code = text("code");
  out.message = text("message");
  return out;
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
  auto it = std::ranges::search(haystack, needle, [](char a, char b) {
              return std::tolower(static_cast<unsigned char>(a)) ==
                     std::tolower(static_cast<unsigned char>(b));
            }).begin();
  return it != haystack.end();
}

upload_error http_error(error_code code, long status, const std::optional<error_body>& body) {
  std::string detail;
  if (body) {
    detail = body->message;
    if (!body->type.empty())
      detail = fmt::format("{} ({})", detail, body->type);
    else if (!body->code.empty())
      detail = fmt::format("{} (code {})", detail, body->code);
  }
  return {code, detail.empty() ? fmt::format("HTTP {}", status)
                               : fmt::format("HTTP {}: {}", status, detail)};
}

}  // namespace

std::string_view to_string(provider_kind kind) {
  return kind == provider_kind::kimi ? "kimi" : "glm";
}

std::optional<provider_kind> parse_provider(std::string_view name) {
  if (name == "kimi") return provider_kind::kimi;
  if (name == "glm") return provider_kind::glm;
  return std::nullopt;
}

std::string default_base_url(provider_kind kind) {
  return kind == provider_kind::kimi ? "https://api.moonshot.cn/v1"
                                     : "https://open.bigmodel.cn/api/paas/v4";
}

std::string_view api_key_variable(provider_kind kind) {
  return kind == provider_kind::kimi ? "MOONSHOT_API_KEY" : "ZHIPUAI_API_KEY";
}

std::expected<provider_config, std::string> provider_from_environment(provider_kind kind,
                                                                      const env_lookup& env) {
  auto key = env(api_key_variable(kind));
  if (!key || key->empty())
    return std::unexpected(fmt::format("{} is not set", api_key_variable(kind)));
  return provider_config{kind, default_base_url(kind), *key};
}

std::string files_url(const provider_config& provider) {
  std::string url = provider.base_url;
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  return url + "/files";
}

std::expected<std::string, upload_error> classify(provider_kind kind, const http_outcome& outcome) {
  if (outcome.transport_error) return std::unexpected(*outcome.transport_error);
  const long status = outcome.status;
  if (status >= 200 && status < 300) {
    boost::system::error_code ec;
    const auto v = boost::json::parse(outcome.body, ec);
    const auto* obj = ec ? nullptr : v.if_object();
    const auto* id = obj ? obj->if_contains("id") : nullptr;
    if (!id || !id->is_string() || id->get_string().empty())
      return std::unexpected(upload_error{
          error_code::protocol,
          fmt::format("HTTP {}: the {} answer has no file id", status, to_string(kind))});
    return std::string{id->get_string()};
  }
  const auto body = parse_error_body(outcome.body);
  const std::string_view message = body ? std::string_view{body->message} : std::string_view{};
  error_code code = error_code::protocol;
  if (status == 401 || status == 403)
    code = error_code::auth;
  else if (status == 404)
    code = error_code::not_found;
  else if (status == 408)
    code = error_code::timeout;
  else if (status == 413 || (kind == provider_kind::glm && status == 435))
    code = error_code::too_large;
  else if (status == 429)
    code = error_code::rate_limited;
  else if (status >= 500 && status < 600)
    code = error_code::server_error;
  else if (status == 400 && (contains_ci(message, "too large") || contains_ci(message, "too big") ||
                             (contains_ci(message, "exceed") && contains_ci(message, "size")) ||
                             message.find("文件大小超过") != std::string_view::npos))
    code = error_code::too_large;
  else if (status >= 400 && status < 500)
    code = error_code::bad_request;
  return std::unexpected(http_error(code, status, body));
}

}  // namespace rollproof::upload
