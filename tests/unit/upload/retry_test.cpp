#include "rollproof/upload/retry.hpp"

#include <gtest/gtest.h>

namespace rollproof::upload {
namespace {

using std::chrono::milliseconds;

retry_policy policy(int retries = 3, int base = 100, int max = 1000, int total = 10000) {
  return {retries, milliseconds{base}, milliseconds{max}, milliseconds{total}};
}

TEST(backoff_delay, doubles_per_retry_between_half_and_full_step) {
  EXPECT_EQ(backoff_delay(policy(), 0, 0.0), milliseconds{50});
  EXPECT_EQ(backoff_delay(policy(), 0, 1.0), milliseconds{100});
  EXPECT_EQ(backoff_delay(policy(), 2, 0.0), milliseconds{200});
  EXPECT_EQ(backoff_delay(policy(), 2, 1.0), milliseconds{400});
}

TEST(backoff_delay, never_exceeds_the_cap) {
  for (int retry = 0; retry < 100; ++retry)
    EXPECT_LE(backoff_delay(policy(), retry, 1.0), milliseconds{1000});
}

TEST(next_retry_delay, stops_after_max_retries) {
  EXPECT_TRUE(next_retry_delay(policy(2), 1, error_code::server_error, {}, milliseconds{0}, 0.5));
  EXPECT_FALSE(next_retry_delay(policy(2), 2, error_code::server_error, {}, milliseconds{0}, 0.5));
}

TEST(next_retry_delay, never_retries_client_errors) {
  for (auto c : {error_code::auth, error_code::too_large, error_code::bad_request,
                 error_code::not_found, error_code::io, error_code::protocol})
    EXPECT_FALSE(next_retry_delay(policy(), 0, c, {}, milliseconds{0}, 0.5)) << to_string(c);
}

TEST(next_retry_delay, waits_what_retry_after_says) {
  EXPECT_EQ(next_retry_delay(policy(), 0, error_code::rate_limited, milliseconds{2000},
                             milliseconds{0}, 0.5),
            milliseconds{2000});
}

TEST(next_retry_delay, gives_up_when_the_wait_would_pass_the_total_timeout) {
  EXPECT_FALSE(next_retry_delay(policy(3, 100, 1000, 1000), 0, error_code::rate_limited,
                                milliseconds{2000}, milliseconds{0}, 0.5));
  EXPECT_FALSE(next_retry_delay(policy(3, 100, 1000, 1000), 0, error_code::timeout, {},
                                milliseconds{990}, 0.5));
}

TEST(parse_retry_after, reads_seconds_decimals_and_http_dates) {
  const auto now =
      std::chrono::system_clock::from_time_t(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(parse_retry_after("3", now), milliseconds{3000});
  EXPECT_EQ(parse_retry_after(" 1.5 ", now), milliseconds{1500});
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now), milliseconds{10000});
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now), milliseconds{0});
  EXPECT_FALSE(parse_retry_after("soon", now).has_value());
  EXPECT_FALSE(parse_retry_after("-4", now).has_value());
}

// Found by `make fuzz` (regressions/subject_request/retry_after_in_the_year_4030.bin): a date that
// far ahead overflowed the clock's nanoseconds (undefined behaviour), as did 1e300 seconds.
TEST(parse_retry_after, reads_a_wait_beyond_one_day_or_a_date_centuries_ahead_as_one_day) {
  const auto now = std::chrono::system_clock::from_time_t(1445412480);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 4030 07:28:00 GMT", now), max_retry_after);
  EXPECT_EQ(parse_retry_after("1e300", now), max_retry_after);
  EXPECT_EQ(parse_retry_after("86401", now), max_retry_after);
  EXPECT_EQ(parse_retry_after("86399", now), milliseconds{86399000});
  EXPECT_EQ(parse_retry_after("Thu, 22 Oct 2015 07:27:59 GMT", now), milliseconds{86399000});
}

}  // namespace
}  // namespace rollproof::upload
