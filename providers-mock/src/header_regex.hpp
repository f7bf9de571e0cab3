#pragma once
// Private: the one way a fault rule's header regex is compiled and matched. RE2 matches in time
// linear in the header and without recursion, so no pattern or header, however hostile, can hang
// the fault engine or overflow the stack (std::regex did both).

#include <expected>
#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace rollproof::mock::detail {

// `pattern` compiled (RE2 syntax, at most 1 MiB of program), or RE2's reason it is not a regex.
[[nodiscard]] std::expected<std::shared_ptr<const re2::RE2>, std::string> compile_header_regex(
    std::string_view pattern);

// True when `regex` matches somewhere in `value` (a search, not a full match).
[[nodiscard]] bool header_regex_finds(const re2::RE2& regex, std::string_view value);

}  // namespace rollproof::mock::detail
