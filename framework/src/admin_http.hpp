#pragma once
// A small blocking HTTP client (libcurl easy) for the mock's admin API on loopback.

#include <chrono>
#include <expected>
#include <string>
#include <string_view>

namespace rollproof::framework::detail {

// Sends `method url` with `body` (JSON when not empty) and, when not empty, `admin_token` as
// X-Mock-Admin-Token; the response body on a 2xx status, otherwise "HTTP <status>: <body>" or
// curl's error text (never the token).
[[nodiscard]] std::expected<std::string, std::string> http_request(
    std::string_view method, const std::string& url, std::string_view admin_token,
    std::string_view body = {}, std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace rollproof::framework::detail
