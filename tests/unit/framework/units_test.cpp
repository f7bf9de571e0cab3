#include "rollproof/framework/units.hpp"

#include <gtest/gtest.h>

namespace rollproof::framework {
namespace {

TEST(parse_byte_size, reads_binary_and_decimal_units) {
  EXPECT_EQ(parse_byte_size("100B").value(), 100u);
  EXPECT_EQ(parse_byte_size("512KiB").value(), 512u * 1024);
  EXPECT_EQ(parse_byte_size("1MiB").value(), 1024u * 1024);
  EXPECT_EQ(parse_byte_size("50MB").value(), 50'000'000u);
  EXPECT_EQ(parse_byte_size("1.5KB").value(), 1500u);
  EXPECT_EQ(parse_byte_size("2GiB").value(), 2ull << 30);
}

TEST(parse_byte_size, rejects_an_unknown_unit_naming_the_accepted_ones) {
  const auto r = parse_byte_size("50XB");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "unknown size unit 'XB' (use B, KB, MB, GB, KiB, MiB or GiB)");
}

TEST(parse_byte_size, rejects_a_number_without_unit_and_fractions_of_a_byte) {
  EXPECT_FALSE(parse_byte_size("12"));
  EXPECT_FALSE(parse_byte_size("0.5B"));
  EXPECT_FALSE(parse_byte_size("MiB"));
}

TEST(parse_byte_size, rejects_a_space_between_number_and_unit_showing_the_spelling_to_use) {
  const auto r = parse_byte_size("1 MB");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "'1 MB' must be written without spaces (\"1MB\")");
  EXPECT_FALSE(parse_byte_size("1MB "));
  EXPECT_FALSE(parse_duration("30 s"));
}

TEST(parse_duration, reads_milliseconds_seconds_minutes_and_hours) {
  EXPECT_EQ(parse_duration("500ms").value().count(), 500);
  EXPECT_EQ(parse_duration("60s").value().count(), 60'000);
  EXPECT_EQ(parse_duration("2m").value().count(), 120'000);
  EXPECT_EQ(parse_duration("1.5h").value().count(), 5'400'000);
  EXPECT_FALSE(parse_duration("10 parsecs"));
}

TEST(parse_byte_size, accepts_16_gib_and_refuses_anything_larger_naming_the_bound) {
  EXPECT_EQ(parse_byte_size("16GiB").value(), 16ull << 30);
  const auto r = parse_byte_size("17179869185B");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "size '17179869185B' is above the largest size, 16GiB (17179869184 bytes)");
}

TEST(parse_byte_size, refuses_sizes_that_do_not_fit_in_64_bits_instead_of_wrapping) {
  EXPECT_FALSE(parse_byte_size("18446744073709551616B"));  // 2^64: was cast to 0 or garbage
  EXPECT_FALSE(parse_byte_size("1000000GB"));
  EXPECT_FALSE(parse_byte_size("99999999999999999999999999999999GiB"));
  EXPECT_FALSE(parse_byte_size("1e30GB"));
}

TEST(parse_duration, accepts_24_hours_and_refuses_longer_instead_of_overflowing) {
  EXPECT_EQ(parse_duration("24h").value().count(), 86'400'000);
  const auto r = parse_duration("25h");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), "duration '25h' is above the longest duration, 24h");
  EXPECT_FALSE(parse_duration("99999999999999999999999h"));  // llround of it was undefined
}

}  // namespace
}  // namespace rollproof::framework
