#pragma once
// UTF-8 checks for client-supplied text: every string the mock stores, records or answers with
// goes through these, so the ledger and every JSON answer stay valid JSON (RFC 8259 section 8.1).

#include <cstddef>
#include <string>
#include <string_view>

namespace rollproof::mock {

// Bytes of the well-formed UTF-8 sequence `s` starts with (1 to 4), or 0 when it starts with none;
// overlong forms, surrogates and code points above U+10FFFF are not well formed (RFC 3629).
[[nodiscard]] std::size_t utf8_sequence_length(std::string_view s);

// Bytes of the longest prefix of `s` that is well-formed UTF-8.
[[nodiscard]] std::size_t utf8_valid_prefix(std::string_view s);

// True when all of `s` is well-formed UTF-8.
[[nodiscard]] bool is_utf8(std::string_view s);

// True when `s` is well-formed UTF-8 or would be with more bytes (a cap may cut the last sequence).
[[nodiscard]] bool is_utf8_prefix(std::string_view s);

// `s` with each maximal ill-formed subsequence replaced by U+FFFD; well-formed text is unchanged.
[[nodiscard]] std::string to_utf8(std::string_view s);

}  // namespace rollproof::mock
