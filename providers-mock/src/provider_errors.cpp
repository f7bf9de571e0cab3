#include <fmt/format.h>

#include <boost/json.hpp>

#include "rollproof/common/sha256.hpp"
#include "rollproof/mock/provider_api.hpp"

namespace rollproof::mock {

namespace json = boost::json;

namespace {

reply kimi_error(unsigned status, std::string_view type, std::string_view message) {
  return {status,
          json::serialize(json::object{{"error", {{"message", message}, {"type", type}}}}),
          "application/json",
          {}};
}

reply glm_error(unsigned status, std::string_view code, std::string_view message) {
  return {status,
          json::serialize(json::object{{"error", {{"code", code}, {"message", message}}}}),
          "application/json",
          {}};
}

}  // namespace

reply provider_api::error(api_error e, std::string_view detail) const {
  if (config_.kind == provider_kind::kimi) {
    constexpr std::string_view invalid = "invalid_request_error";
    switch (e) {
      case api_error::auth_missing:
      case api_error::auth_invalid:
      case api_error::auth_malformed:
      case api_error::auth_expired:
      case api_error::auth_signature:
        return kimi_error(401, "invalid_authentication_error", "Invalid Authentication");
      case api_error::not_found:
        return kimi_error(404, "resource_not_found_error",
                          fmt::format("Not found the file {} or Permission denied", detail));
      case api_error::unknown_path:
        return kimi_error(404, "resource_not_found_error",
                          fmt::format("Not found the path {}", detail));
      case api_error::too_large:
      case api_error::purpose_too_large:
        return kimi_error(400, invalid,
                          "File size is too large, max file size is 100MB, please confirm and "
                          "re-upload the file");
      case api_error::zero_size:
        return kimi_error(400, invalid, "File size is zero, please confirm and re-upload the file");
      case api_error::too_many_files:
      case api_error::purpose_too_many:
        return kimi_error(400, invalid,
                          fmt::format("The number of files you have uploaded exceeded the max file "
                                      "count {}, please delete previous uploaded files",
                                      config_.max_files));
      case api_error::bad_purpose:
        return kimi_error(400, invalid, "Invalid purpose: only 'file-extract' accepted");
      case api_error::missing_file:
        return kimi_error(400, invalid, "Invalid request: file is required");
      case api_error::missing_purpose:
        return kimi_error(400, invalid, "Invalid request: purpose is required");
      case api_error::bad_query:
      case api_error::bad_request:
        return kimi_error(400, invalid, fmt::format("Invalid request: {}", detail));
      case api_error::not_text:
        return kimi_error(400, invalid, "text extract error: 没有解析出内容");
      case api_error::server_error:
        return kimi_error(500, "server_error", fmt::format("Failed to extract file: {}", detail));
    }
  }
  switch (e) {
    case api_error::auth_missing:
      return glm_error(401, "1001", "Header 中未收到 Authentication 参数，无法进行身份验证");
    case api_error::auth_invalid:
      return glm_error(401, "1000", "身份验证失败。");
    case api_error::auth_malformed:
      return glm_error(401, "1002",
                       "Authentication Token非法，请确认Authentication Token正确传递。");
    case api_error::auth_expired:
      return glm_error(401, "1003", "Authentication Token已过期，请重新生成/获取。");
    case api_error::auth_signature:
      return glm_error(401, "1004", "通过Authentication Token的验证失败。");
    case api_error::not_found:
      return glm_error(404, "1214", fmt::format("file_id参数非法：文件 {} 不存在", detail));
    case api_error::unknown_path:
      return glm_error(404, "1222", fmt::format("API 不存在：{}", detail));
    case api_error::too_large:
      return glm_error(435, "1210", "文件大小超过限制，最大100MB");
    case api_error::purpose_too_large:
      return glm_error(
          400, "1210",
          fmt::format("文件大小超过用途 {} 的上限 {} 字节", detail, config_.extract_max_file_size));
    case api_error::zero_size:
      return glm_error(400, "1214", "file参数非法：文件内容为空");
    case api_error::too_many_files:
      return glm_error(400, "1210",
                       fmt::format("文件数量超过上限 {}，请删除已上传的文件", config_.max_files));
    case api_error::purpose_too_many:
      return glm_error(400, "1210",
                       fmt::format("用途 {} 的文件数量超过上限 {}，请删除已上传的文件", detail,
                                   config_.extract_max_files));
    case api_error::bad_purpose:
      return glm_error(400, "1214", "purpose参数非法");
    case api_error::missing_file:
      return glm_error(400, "1213", "未正常接收到file参数");
    case api_error::missing_purpose:
      return glm_error(400, "1213", "未正常接收到purpose参数");
    case api_error::bad_query:
      return glm_error(400, "1214", fmt::format("{}参数非法", detail));
    case api_error::bad_request:
      return glm_error(400, "1210", fmt::format("API 调用参数有误，请检查文档。{}", detail));
    case api_error::not_text:
      return glm_error(400, "1214", "文件内容无法解析");
    case api_error::server_error:
      return glm_error(500, "500", "内部错误");
  }
  return glm_error(500, "500", "内部错误");
}

std::string kimi_rate_limit_message(const rate_refusal& r, std::string_view key) {
  // The key itself must never be echoed; a short hash identifies it like Kimi's ak id does.
  const std::string ak = "ak-" + rollproof::sha256_hex(key).substr(0, 12);
  return r.concurrency ? fmt::format(
                             "Your account org-rollproof<{}> request reached organization max "
                             "concurrency: {}, please try again after {} seconds",
                             ak, r.limit, r.retry_after_s)
                       : fmt::format(
                             "Your account org-rollproof<{}> request reached organization max "
                             "RPM: {}, please try again after {} seconds",
                             ak, r.limit, r.retry_after_s);
}

reply provider_api::rate_limited(const rate_refusal& r, std::string_view key) const {
  if (config_.kind == provider_kind::glm) {
    return glm_error(429, "1302",
                     r.concurrency ? "您当前使用该API的并发数过高，请降低并发，或联系客服增加限额。"
                                   : "Rate limit reached for requests");
  }
  auto out = kimi_error(429, "rate_limit_reached_error", kimi_rate_limit_message(r, key));
  out.headers.emplace_back("Retry-After", std::to_string(r.retry_after_s));
  return out;
}

reply provider_api::fault_status(unsigned status, std::string_view rule) const {
  const std::string note = fmt::format("injected fault '{}'", rule);
  if (status < 400) return {status, "", "application/json", {}};
  if (config_.kind == provider_kind::kimi) {
    if (status == 401) return error(api_error::auth_invalid);
    if (status == 404) return kimi_error(404, "resource_not_found_error", note);
    if (status == 429)
      return kimi_error(429, "engine_overloaded_error",
                        "The engine is currently overloaded, please try again later");
    if (status >= 500) return kimi_error(status, "server_error", note);
    return kimi_error(status, "invalid_request_error", fmt::format("Invalid request: {}", note));
  }
  if (status == 401) return error(api_error::auth_invalid);
  if (status == 429) return glm_error(429, "1302", "您的账户已达到速率限制，请您控制请求频率");
  if (status >= 500) return glm_error(status, "500", fmt::format("内部错误 ({})", note));
  return glm_error(status, "1210", fmt::format("API 调用参数有误，请检查文档。({})", note));
}

}  // namespace rollproof::mock
