// Rollout properties of the C++ bucketer that the runner also checks through the `bucket` op:
// independence of two flags with different salts, uniform buckets, and stickiness across
// separately built flag configurations (instances).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <boost/math/distributions/chi_squared.hpp>
#include <string>
#include <vector>

#include "rollproof/upload/bucketing.hpp"
#include "rollproof/upload/flags.hpp"

namespace rollproof::upload {
namespace {

const bucketing_scheme all_schemes[] = {bucketing_scheme::rollproof, bucketing_scheme::unleash,
                                        bucketing_scheme::growthbook, bucketing_scheme::flagd,
                                        bucketing_scheme::launchdarkly};

constexpr int users = 10000;

std::string user_number(int i) {
  return "user-" + std::to_string(100000 + i);
}

double upper_tail(double statistic, double df) {
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared(df), statistic));
}

rc::Gen<std::string> salts() {
  return rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::inRange('a', 'z')));
}

RC_GTEST_PROP(bucketing_rollout, two_salts_decide_independently_under_every_scheme, ()) {
  const auto salt1 = *salts();
  const auto salt2 = *rc::gen::suchThat(salts(), [&](const std::string& s) { return s != salt1; });
  const double p1 = *rc::gen::inRange(10, 91), p2 = *rc::gen::inRange(10, 91);
  for (auto scheme : all_schemes) {
    const flag_config a{true, p1, salt1, scheme}, b{true, p2, salt2, scheme};
    double n[2][2] = {{0, 0}, {0, 0}};
    for (int i = 0; i < users; ++i)
      ++n[flag_enabled_for(a, user_number(i)) ? 1 : 0][flag_enabled_for(b, user_number(i)) ? 1 : 0];
    double stat = 0;
    for (int x = 0; x < 2; ++x) {
      for (int y = 0; y < 2; ++y) {
        const double expected = (n[x][0] + n[x][1]) * (n[0][y] + n[1][y]) / users;
        RC_ASSERT(expected > 0);
        stat += (n[x][y] - expected) * (n[x][y] - expected) / expected;
      }
    }
    // 1e-6: a hundred cases times five schemes stay far from a false alarm.
    RC_ASSERT(upper_tail(stat, 1) > 1e-6);
  }
}

RC_GTEST_PROP(bucketing_rollout, buckets_are_uniform_under_every_scheme, ()) {
  const auto salt = *salts();
  for (auto scheme : all_schemes) {
    std::vector<double> bins(20, 0);
    const auto scale = bucket_scale(scheme);
    for (int i = 0; i < users; ++i)
      ++bins[bucket_of(scheme, salt, user_number(i)) * 20 / scale];
    double stat = 0;
    const double expected = users / 20.0;
    for (double b : bins)
      stat += (b - expected) * (b - expected) / expected;
    RC_ASSERT(upper_tail(stat, 19) > 1e-6);
  }
}

RC_GTEST_PROP(bucketing_rollout, separate_instances_agree_on_every_user,
              (const std::string& user)) {
  const auto salt = *salts();
  const double p = *rc::gen::inRange(0, 101);
  for (auto scheme : all_schemes) {
    // Two configurations built apart, as two subject processes would build them.
    const flag_config first{true, p, std::string(salt), scheme};
    const flag_config second{true, p, salt.substr(0) + std::string(), scheme};
    RC_ASSERT(flag_enabled_for(first, user) == flag_enabled_for(second, user));
    RC_ASSERT(bucket_of(scheme, first.salt, user) == bucket_of(scheme, second.salt, user));
  }
}

}  // namespace
}  // namespace rollproof::upload
