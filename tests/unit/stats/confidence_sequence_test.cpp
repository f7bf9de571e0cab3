#include "rollproof/stats/confidence_sequence.hpp"

#include <gtest/gtest.h>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <cmath>
#include <random>

#include "rollproof/stats/wilson.hpp"

namespace rollproof::stats {
namespace {

// M_n(p) by numerical integration of the likelihood ratio against the Beta prior's density: the
// definition the closed form must agree with.
double mixture_by_quadrature(double events, double n, double p, beta_prior prior) {
  const boost::math::beta_distribution<double> density(prior.a, prior.b);
  const auto ratio = [&](double q) {
    return std::exp(events * std::log(q / p) + (n - events) * std::log((1 - q) / (1 - p))) *
           boost::math::pdf(density, q);
  };
  return boost::math::quadrature::gauss_kronrod<double, 61>::integrate(ratio, 0.0, 1.0, 15);
}

TEST(bernoulli_mixture_log_e, equals_the_integral_of_the_likelihood_ratio_over_the_prior) {
  const beta_prior prior{2, 8};
  for (const auto& [events, n, p] : {std::tuple{3.0, 40.0, 0.05}, std::tuple{0.0, 25.0, 0.2},
                                     std::tuple{12.0, 30.0, 0.3}, std::tuple{5.0, 5.0, 0.6}}) {
    const double closed = std::exp(bernoulli_mixture_log_e(events, n, p, prior));
    EXPECT_NEAR(closed, mixture_by_quadrature(events, n, p, prior), 1e-6 * closed)
        << events << "/" << n << " at p = " << p;
  }
}

TEST(bernoulli_mixture_log_e, is_infinite_where_the_rate_cannot_explain_the_data) {
  EXPECT_EQ(bernoulli_mixture_log_e(1, 10, 0, {1, 1}), std::numeric_limits<double>::infinity());
  EXPECT_EQ(bernoulli_mixture_log_e(9, 10, 1, {1, 1}), std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isfinite(bernoulli_mixture_log_e(0, 10, 0, {1, 1})));
}

TEST(bernoulli_confidence_sequence, contains_the_estimate_and_narrows_as_observations_arrive) {
  const auto prior = prior_centred_on(0.1);
  EXPECT_EQ(bernoulli_confidence_sequence(0, 0, 0.05, prior).low, 0);
  EXPECT_EQ(bernoulli_confidence_sequence(0, 0, 0.05, prior).high, 1);
  double width = 1;
  for (std::uint64_t n : {20, 200, 2000, 20000}) {
    const auto ci = bernoulli_confidence_sequence(n / 10, n, 0.05, prior);
    EXPECT_LT(ci.low, 0.1);
    EXPECT_GT(ci.high, 0.1);
    EXPECT_LT(ci.high - ci.low, width) << "n = " << n;
    width = ci.high - ci.low;
  }
  EXPECT_EQ(bernoulli_confidence_sequence(0, 50, 0.05, prior).low, 0);
}

TEST(bernoulli_confidence_sequence, is_wider_than_a_fixed_n_interval_at_the_same_level) {
  // The price of looking at every n: at n = 1000 it is wider than Wilson's 95% interval.
  const auto cs = bernoulli_confidence_sequence(100, 1000, 0.05, prior_centred_on(0.1));
  const auto fixed = wilson_interval(100, 1000, 0.95);
  EXPECT_LT(cs.low, fixed.low);
  EXPECT_GT(cs.high, fixed.high);
}

// How many of `streams` seeded Bernoulli(p) streams of `length` are ever, after some
// observation, judged by `misses(events, n)` to exclude p.
template <typename Misses>
int streams_ever_missed(double p, int streams, int length, Misses misses) {
  std::mt19937_64 rng(20261202);
  std::bernoulli_distribution draw(p);
  int missed = 0;
  for (int r = 0; r < streams; ++r) {
    std::uint64_t events = 0;
    for (int n = 1; n <= length; ++n) {
      events += draw(rng) ? 1 : 0;
      if (misses(events, static_cast<std::uint64_t>(n))) {
        ++missed;
        break;
      }
    }
  }
  return missed;
}

TEST(bernoulli_confidence_sequence, covers_the_rate_at_every_n_at_once_where_wilson_does_not) {
  constexpr int streams = 300, length = 400;
  constexpr double p = 0.1;
  const auto prior = prior_centred_on(p);
  // p leaves C_n exactly when M_n(p) >= 1/alpha (cheaper than the endpoints at every n).
  const int sequence_missed = streams_ever_missed(p, streams, length, [&](auto s, auto n) {
    return bernoulli_mixture_log_e(static_cast<double>(s), static_cast<double>(n), p, prior) >=
           std::log(1 / 0.05);
  });
  const int wilson_missed = streams_ever_missed(p, streams, length, [](auto s, auto n) {
    const auto ci = wilson_interval(s, n, 0.95);
    return p < ci.low || p > ci.high;
  });
  EXPECT_LE(sequence_missed, streams * 5 / 100) << "time-uniform coverage is at least 95%";
  EXPECT_GT(wilson_missed, streams * 20 / 100)
      << "a 95% interval read after every observation misses far more often";
  // The endpoints agree with the definition: a stream's C_n at its last n.
  const auto ci = bernoulli_confidence_sequence(37, 400, 0.05, prior);
  EXPECT_NEAR(bernoulli_mixture_log_e(37, 400, ci.low, prior), std::log(1 / 0.05), 1e-6);
  EXPECT_NEAR(bernoulli_mixture_log_e(37, 400, ci.high, prior), std::log(1 / 0.05), 1e-6);
}

TEST(bernoulli_bound_monitor, decides_above_for_a_rate_clearly_over_the_bound_and_stays_decided) {
  bernoulli_bound_monitor m(0.05, 0.05);
  std::uint64_t n = 0;
  while (m.verdict() == bound_verdict::undecided && n < 1000)
    m.add(++n % 2 == 0);  // 50%
  EXPECT_EQ(m.verdict(), bound_verdict::above);
  EXPECT_EQ(m.decided_at(), n);
  EXPECT_GT(m.sequence().low, 0.05);
  EXPECT_EQ(m.add(false), bound_verdict::above) << "a decision is final";
  EXPECT_EQ(m.n(), n);
}

TEST(bernoulli_bound_monitor, decides_below_after_enough_non_events_and_predicts_when) {
  bernoulli_bound_monitor m(0.05, 0.05);
  for (int i = 0; i < 10; ++i)
    m.add(false);
  const auto more = m.more_needed();
  ASSERT_TRUE(more.has_value());
  for (std::uint64_t i = 1; i < *more; ++i)
    EXPECT_EQ(m.add(false), bound_verdict::undecided) << "one observation too early, at " << i;
  EXPECT_EQ(m.add(false), bound_verdict::below);
  EXPECT_LT(m.sequence().high, 0.05);
  EXPECT_FALSE(m.more_needed().has_value()) << "decided";
}

TEST(bernoulli_bound_monitor, a_batch_is_judged_once_at_its_end) {
  bernoulli_bound_monitor batch(0.05, 0.05);
  EXPECT_EQ(batch.add(std::uint64_t{20}, std::uint64_t{40}), bound_verdict::above);
  EXPECT_EQ(batch.decided_at(), 40U);
  bernoulli_bound_monitor one_by_one(0.05, 0.05);
  for (int i = 0; i < 40; ++i)
    one_by_one.add(i % 2 == 0);
  EXPECT_LT(one_by_one.decided_at(), 40U);
}

TEST(bernoulli_bound_monitor, has_no_projection_when_the_estimate_sits_on_the_bound) {
  bernoulli_bound_monitor m(0.25, 0.05);
  for (int i = 0; i < 8; ++i)
    m.add(i % 4 == 0);
  EXPECT_EQ(m.verdict(), bound_verdict::undecided);
  EXPECT_FALSE(m.more_needed().has_value());
  EXPECT_FALSE(bernoulli_bound_monitor(0.25, 0.05).more_needed().has_value()) << "no data yet";
}

TEST(bernoulli_bound_monitor, bounds_of_zero_and_one_decide_at_once) {
  bernoulli_bound_monitor zero(0, 0.05);
  EXPECT_EQ(zero.add(false), bound_verdict::undecided);
  EXPECT_EQ(zero.add(true), bound_verdict::above);
  bernoulli_bound_monitor one(1, 0.05);
  EXPECT_EQ(one.add(true), bound_verdict::below);
}

TEST(bernoulli_bound_monitor, at_the_bound_itself_decides_above_at_most_alpha_of_the_time) {
  std::mt19937_64 rng(7);
  std::bernoulli_distribution draw(0.05);
  constexpr int streams = 300;
  int above = 0;
  for (int r = 0; r < streams; ++r) {
    bernoulli_bound_monitor m(0.05, 0.05);
    for (int i = 0; i < 1000 && m.verdict() == bound_verdict::undecided; ++i)
      m.add(draw(rng));
    above += m.verdict() == bound_verdict::above ? 1 : 0;
  }
  EXPECT_LE(above, streams * 5 / 100);
}

}  // namespace
}  // namespace rollproof::stats
