#include "json_exact.hpp"

#include <charconv>
#include <vector>

namespace rollproof::reports::detail {
namespace {

// The number tokens of `text` in document order (strings skipped).
std::vector<std::string_view> number_tokens(std::string_view text) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
      ++i;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      const std::size_t start = i;
      while (i < text.size() &&
             std::string_view("0123456789+-.eE").find(text[i]) != std::string_view::npos)
        ++i;
      out.push_back(text.substr(start, i - start));
    } else {
      ++i;
    }
  }
  return out;
}

// Walks `v` depth first in document order, replacing doubles; false when tokens run out.
bool repair(boost::json::value& v, const std::vector<std::string_view>& tokens, std::size_t& next) {
  if (auto* o = v.if_object()) {
    for (auto& [k, x] : *o)
      if (!repair(x, tokens, next)) return false;
  } else if (auto* a = v.if_array()) {
    for (auto& x : *a)
      if (!repair(x, tokens, next)) return false;
  } else if (v.is_number()) {
    if (next >= tokens.size()) return false;
    const std::string_view t = tokens[next++];
    if (v.is_double()) {
      double d = 0;
      const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
      if (ec == std::errc() && p == t.data() + t.size()) v = d;
    }
  }
  return true;
}

}  // namespace

boost::json::value parse_json_exact(std::string_view text, boost::system::error_code& ec) {
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return v;
  const auto tokens = number_tokens(text);
  std::size_t next = 0;
  boost::json::value repaired = v;
  // Duplicate keys would misalign tokens and values: keep Boost's reading then.
  if (repair(repaired, tokens, next) && next == tokens.size()) return repaired;
  return v;
}

}  // namespace rollproof::reports::detail
