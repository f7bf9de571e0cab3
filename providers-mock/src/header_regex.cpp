#include "header_regex.hpp"

#include <re2/re2.h>

namespace rollproof::mock::detail {

std::expected<std::shared_ptr<const re2::RE2>, std::string> compile_header_regex(
    std::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);  // the reason goes into the caller's diagnostic instead
  options.set_max_mem(1 << 20);
  auto compiled =
      std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!compiled->ok()) return std::unexpected(compiled->error());
  return compiled;
}

bool header_regex_finds(const re2::RE2& regex, std::string_view value) {
  return RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), regex);
}

}  // namespace rollproof::mock::detail
