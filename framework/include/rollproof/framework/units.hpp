#pragma once
// Byte sizes ("1MiB", "50MB", "100B") and durations ("60s", "500ms", "2m") as scenarios write them.

#include <chrono>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace rollproof::framework {

// Parses `<digits>[.<digits>]<unit>` with unit B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB
// (powers of 1024), written without spaces; the error message names the accepted units.
[[nodiscard]] std::expected<std::uint64_t, std::string> parse_byte_size(std::string_view text);

// Parses `<digits>[.<digits>]<unit>` with unit ms, s, m or h, written without spaces; the error
// names the accepted units.
[[nodiscard]] std::expected<std::chrono::milliseconds, std::string> parse_duration(
    std::string_view text);

}  // namespace rollproof::framework
