#pragma once
// Text from files, subjects and mocks made safe to print on a terminal.

#include <string>
#include <string_view>

namespace rollproof {

// `text` with every control character (C0 and DEL, except \n and \t; C1 U+0080..U+009F) and every
// byte that is not part of valid UTF-8 replaced by a visible `\xHH` escape (one per byte), so that
// no escape sequence from an input ever reaches the terminal. Valid printable UTF-8 is unchanged.
[[nodiscard]] std::string terminal_text(std::string_view text);

}  // namespace rollproof
