#pragma once
// Values read from JSON that a subject or the mock wrote: never trusted to have the right type.

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace rollproof::framework::detail {

// The integer `v` holds exactly, or `fallback` when v is null, not a number, fractional or out of
// range (Boost.JSON's to_number<int64_t> would throw on 1.5 or 1e30).
inline std::int64_t integer_or(const boost::json::value* v, std::int64_t fallback) {
  if (v == nullptr || !v->is_number()) return fallback;
  boost::system::error_code ec;
  const auto n = v->to_number<std::int64_t>(ec);
  return ec ? fallback : n;
}

// The string under `key` in `o`, or "" when it is missing or not a string.
inline std::string text_of(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace rollproof::framework::detail
