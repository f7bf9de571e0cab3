#include "rollproof/mock/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace rollproof::mock {
namespace {

using namespace std::chrono_literals;

TEST(kimi_tier, knows_the_documented_tiers) {
  EXPECT_EQ(kimi_tier("tier0"), (rate_limits{1, 3}));
  EXPECT_EQ(kimi_tier("tier5"), (rate_limits{1000, 10000}));
  EXPECT_EQ(kimi_tier("tier9"), std::nullopt);
}

TEST(rate_limiter, refuses_beyond_the_concurrency_until_a_slot_is_released) {
  rate_limiter limiter({2, 0});
  const auto now = rate_limiter::clock::now();
  EXPECT_FALSE(limiter.acquire("k", now));
  EXPECT_FALSE(limiter.acquire("k", now));
  const auto refused = limiter.acquire("k", now);
  ASSERT_TRUE(refused);
  EXPECT_TRUE(refused->concurrency);
  EXPECT_EQ(refused->limit, 2u);
  EXPECT_FALSE(limiter.acquire("other-key", now)) << "limits are per key";
  limiter.release("k");
  EXPECT_FALSE(limiter.acquire("k", now));
}

TEST(rate_limiter, refuses_beyond_the_rpm_and_says_when_to_retry) {
  rate_limiter limiter({0, 3});
  const auto t0 = rate_limiter::clock::now();
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(limiter.acquire("k", t0 + std::chrono::seconds(i)));
    limiter.release("k");
  }
  const auto refused = limiter.acquire("k", t0 + 10s);
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->concurrency);
  EXPECT_EQ(refused->limit, 3u);
  EXPECT_EQ(refused->retry_after_s, 50u);
  EXPECT_FALSE(limiter.acquire("k", t0 + 61s)) << "the oldest request left the window";
}

TEST(rate_limiter, admits_everything_without_limits) {
  rate_limiter limiter({});
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 100; ++i)
    EXPECT_FALSE(limiter.acquire("k", rate_limiter::clock::now()));
}

}  // namespace
}  // namespace rollproof::mock
