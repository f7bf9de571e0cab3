#include "rollproof/mock/utf8.hpp"

namespace rollproof::mock {

namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";

bool continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// How many bytes after the lead byte `c` a sequence has, and the range its second byte must fall
// in (which excludes overlong forms, surrogates and values over U+10FFFF); 0 for no lead byte.
struct lead_info {
  std::size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
};

lead_info lead_of(unsigned char c) {
  if (c < 0x80) return {1};
  if (c >= 0xC2 && c <= 0xDF) return {2};
  if (c == 0xE0) return {3, 0xA0, 0xBF};
  if (c == 0xED) return {3, 0x80, 0x9F};
  if (c >= 0xE1 && c <= 0xEF) return {3};
  if (c == 0xF0) return {4, 0x90, 0xBF};
  if (c >= 0xF1 && c <= 0xF3) return {4};
  if (c == 0xF4) return {4, 0x80, 0x8F};
  return {};
}

// Bytes of the longest start of `s` that begins a well-formed sequence (the "maximal subpart"
// of Unicode 3.9 that is replaced by one U+FFFD); at least 1 when `s` is not empty.
std::size_t ill_formed_length(std::string_view s) {
  const auto info = lead_of(static_cast<unsigned char>(s[0]));
  if (info.length < 2 || s.size() < 2) return 1;
  const auto second = static_cast<unsigned char>(s[1]);
  if (second < info.second_min || second > info.second_max) return 1;
  std::size_t n = 2;
  while (n < info.length && n < s.size() && continuation(static_cast<unsigned char>(s[n])))
    ++n;
  return n;
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view s) {
  if (s.empty()) return 0;
  const auto info = lead_of(static_cast<unsigned char>(s[0]));
  if (info.length == 0 || s.size() < info.length) return 0;
  if (info.length == 1) return 1;
  const auto second = static_cast<unsigned char>(s[1]);
  if (second < info.second_min || second > info.second_max) return 0;
  for (std::size_t k = 2; k < info.length; ++k)
    if (!continuation(static_cast<unsigned char>(s[k]))) return 0;
  return info.length;
}

std::size_t utf8_valid_prefix(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t n = utf8_sequence_length(s.substr(i));
    if (n == 0) break;
    i += n;
  }
  return i;
}

bool is_utf8(std::string_view s) {
  return utf8_valid_prefix(s) == s.size();
}

bool is_utf8_prefix(std::string_view s) {
  const std::string_view rest = s.substr(utf8_valid_prefix(s));
  if (rest.empty()) return true;
  return lead_of(static_cast<unsigned char>(rest[0])).length > rest.size() &&
         ill_formed_length(rest) == rest.size();
}

std::string to_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    const std::size_t valid = utf8_valid_prefix(s);
    out.append(s.substr(0, valid));
    s.remove_prefix(valid);
    if (s.empty()) break;
    out.append(replacement);
    s.remove_prefix(ill_formed_length(s));
  }
  return out;
}

}  // namespace rollproof::mock
