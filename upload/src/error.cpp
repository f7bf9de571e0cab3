#include "rollproof/upload/error.hpp"

#include <array>
#include <utility>

namespace rollproof::upload {
namespace {

constexpr std::array<std::pair<error_code, std::string_view>, 11> names{{
    {error_code::timeout, "timeout"},
    {error_code::connection, "connection"},
    {error_code::rate_limited, "rate_limited"},
    {error_code::server_error, "server_error"},
    {error_code::auth, "auth"},
    {error_code::too_large, "too_large"},
    {error_code::bad_request, "bad_request"},
    {error_code::not_found, "not_found"},
    {error_code::protocol, "protocol"},
    {error_code::io, "io"},
    {error_code::internal, "internal"},
}};

}  // namespace

std::string_view to_string(error_code code) {
  for (const auto& [c, name] : names)
    if (c == code) return name;
  return "internal";
}

std::optional<error_code> parse_error_code(std::string_view name) {
  for (const auto& [c, n] : names)
    if (n == name) return c;
  return std::nullopt;
}

bool is_retriable(error_code code) {
  return code == error_code::timeout || code == error_code::connection ||
         code == error_code::rate_limited || code == error_code::server_error;
}

bool falls_back_to_sync(error_code code) {
  return is_retriable(code) || code == error_code::protocol;
}

}  // namespace rollproof::upload
