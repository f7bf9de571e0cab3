#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <string>

#include "rollproof/upload/bucketing.hpp"
#include "rollproof/upload/flags.hpp"

namespace rollproof::upload {
namespace {

const bucketing_scheme all_schemes[] = {bucketing_scheme::rollproof, bucketing_scheme::unleash,
                                        bucketing_scheme::growthbook, bucketing_scheme::flagd,
                                        bucketing_scheme::launchdarkly};

flag_config rolled_out(bucketing_scheme scheme, double percent, std::string salt) {
  return flag_config{true, percent, std::move(salt), scheme};
}

rc::Gen<double> percentages() {
  // Whole, fractional and boundary percentages alike.
  return rc::gen::oneOf(rc::gen::map(rc::gen::inRange(0, 10001), [](int v) { return v / 100.0; }),
                        rc::gen::element(0.0, 0.001, 1.0, 10.0, 50.0, 99.999, 100.0));
}

RC_GTEST_PROP(bucketing, is_deterministic_and_inside_the_scale_under_every_scheme,
              (const std::string& salt, const std::string& user)) {
  for (auto scheme : all_schemes) {
    const auto b = bucket_of(scheme, salt, user);
    RC_ASSERT(b == bucket_of(scheme, salt, user));
    RC_ASSERT(b < bucket_scale(scheme));
  }
}

RC_GTEST_PROP(bucketing, expansion_is_monotonic_under_every_scheme,
              (const std::string& salt, const std::string& user)) {
  const double p = *percentages();
  const double q = *rc::gen::map(percentages(), [p](double x) { return std::max(p, x); });
  for (auto scheme : all_schemes) {
    if (flag_enabled_for(rolled_out(scheme, p, salt), user))
      RC_ASSERT(flag_enabled_for(rolled_out(scheme, q, salt), user));
  }
}

RC_GTEST_PROP(bucketing, zero_percent_is_nobody_and_hundred_is_everybody,
              (const std::string& salt, const std::string& user)) {
  for (auto scheme : all_schemes) {
    RC_ASSERT(!flag_enabled_for(rolled_out(scheme, 0.0, salt), user));
    RC_ASSERT(flag_enabled_for(rolled_out(scheme, 100.0, salt), user));
  }
}

RC_GTEST_PROP(bucketing, enabled_share_is_within_five_sigma_of_the_percentage,
              (const std::string& salt)) {
  // Whole percentages: every scheme's granularity (1% for unleash/flagd) represents them exactly.
  const double p = *rc::gen::inRange(1, 100);
  constexpr int users = 20000;
  for (auto scheme : all_schemes) {
    const auto flag = rolled_out(scheme, p, salt);
    int enabled = 0;
    for (int i = 0; i < users; ++i)
      enabled += flag_enabled_for(flag, "user-" + std::to_string(i));
    const double share = p / 100.0;
    const double sigma = std::sqrt(share * (1 - share) / users);
    RC_ASSERT(std::abs(static_cast<double>(enabled) / users - share) <= 5 * sigma);
  }
}

}  // namespace
}  // namespace rollproof::upload
