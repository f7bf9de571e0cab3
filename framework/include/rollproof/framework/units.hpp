#pragma once
// Byte sizes ("1MiB", "50MB", "100B") and durations ("60s", "500ms", "2m") as scenarios write them.

#include <chrono>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace rollproof::framework {

// The largest size a scenario may name (16 GiB): the runner generates, hashes and uploads files
// of every size it accepts, so a size beyond what a disk and a case can hold is refused.
inline constexpr std::uint64_t max_byte_size = std::uint64_t{16} << 30;

// The longest duration a scenario may name (24 h): deadlines computed from it cannot overflow.
inline constexpr std::chrono::milliseconds max_duration{24LL * 3600 * 1000};

// Parses `<digits>[.<digits>]<unit>` with unit B, KB, MB, GB (powers of 1000) or KiB, MiB, GiB
// (powers of 1024), written without spaces, at most `max_byte_size` bytes; the error message names
// the accepted units or the bound.
[[nodiscard]] std::expected<std::uint64_t, std::string> parse_byte_size(std::string_view text);

// A size written as an integer count of bytes: within 0..max_byte_size, else an error naming the
// bound.
[[nodiscard]] std::expected<std::uint64_t, std::string> byte_count(std::int64_t bytes);

// Parses `<digits>[.<digits>]<unit>` with unit ms, s, m or h, written without spaces, at most
// `max_duration`; the error names the accepted units or the bound.
[[nodiscard]] std::expected<std::chrono::milliseconds, std::string> parse_duration(
    std::string_view text);

}  // namespace rollproof::framework
