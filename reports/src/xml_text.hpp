#pragma once
// Text made safe for XML and HTML: valid UTF-8 only, no control characters, markup escaped.

#include <string>
#include <string_view>

namespace rollproof::reports::detail {

// Drops ANSI escape sequences (ESC [ ... final byte), replaces invalid UTF-8 and other control
// characters except tab and newline (C0, DEL, C1) with U+FFFD; carriage returns become newlines.
std::string clean_text(std::string_view text);

// clean_text, then &, < and > escaped; when `attribute`, also " and ', and newlines and tabs as
// character references (attribute value normalisation would otherwise turn them into spaces).
std::string escape(std::string_view text, bool attribute);

}  // namespace rollproof::reports::detail
