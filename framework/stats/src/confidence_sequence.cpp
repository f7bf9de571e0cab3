#include "rollproof/stats/confidence_sequence.hpp"

#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <limits>

namespace rollproof::stats {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

double log_beta(double x, double y) {
  return boost::math::lgamma(x) + boost::math::lgamma(y) - boost::math::lgamma(x + y);
}

// s log p with the convention 0 log 0 = 0 (a rate of 0 explains zero events perfectly).
double x_log_y(double x, double y) {
  if (x == 0) return 0;
  return y == 0 ? -infinity : x * std::log(y);
}

// The p in [lo, hi] where log M_n(p) crosses log(1/alpha); `f` changes sign on [lo, hi].
double crossing(double events, double n, double alpha, beta_prior prior, double lo, double hi) {
  const double threshold = std::log(1 / alpha);
  const auto f = [&](double p) { return bernoulli_mixture_log_e(events, n, p, prior) - threshold; };
  boost::math::tools::eps_tolerance<double> tol(40);
  std::uintmax_t iterations = 200;
  const auto [a, b] = boost::math::tools::bisect(f, lo, hi, tol, iterations);
  return (a + b) / 2;
}

}  // namespace

beta_prior prior_centred_on(double bound, double strength) {
  const double m = std::clamp(bound, 0.001, 0.999);
  return {strength * m, strength * (1 - m)};
}

double bernoulli_mixture_log_e(double events, double n, double p, beta_prior prior) {
  const double misses = n - events;
  const double log_likelihood = x_log_y(events, p) + x_log_y(misses, 1 - p);
  if (log_likelihood == -infinity) return infinity;
  return log_beta(prior.a + events, prior.b + misses) - log_beta(prior.a, prior.b) - log_likelihood;
}

interval bernoulli_confidence_sequence(std::uint64_t events, std::uint64_t n, double alpha,
                                       beta_prior prior) {
  interval out{0, 1, 1 - alpha};
  if (n == 0) return out;
  const double s = static_cast<double>(events), m = static_cast<double>(n);
  const double estimate = s / m;
  // log M_n is convex in p with its minimum (<= 0 < log(1/alpha)) at the estimate, so each side
  // has one crossing; a side whose end is still inside (p = 0 with no event) stays at that end.
  const double threshold = std::log(1 / alpha);
  if (events > 0 && bernoulli_mixture_log_e(s, m, 0, prior) >= threshold)
    out.low = crossing(s, m, alpha, prior, 0, estimate);
  if (events < n && bernoulli_mixture_log_e(s, m, 1, prior) >= threshold)
    out.high = crossing(s, m, alpha, prior, estimate, 1);
  return out;
}

bernoulli_bound_monitor::bernoulli_bound_monitor(double bound, double alpha, beta_prior prior)
    : bound_(bound), alpha_(alpha), prior_(prior) {}

bernoulli_bound_monitor::bernoulli_bound_monitor(double bound, double alpha)
    : bernoulli_bound_monitor(bound, alpha, prior_centred_on(bound)) {}

bool bernoulli_bound_monitor::excludes_bound(double events, double n) const {
  return bernoulli_mixture_log_e(events, n, bound_, prior_) >= std::log(1 / alpha_);
}

bound_verdict bernoulli_bound_monitor::add(std::uint64_t events, std::uint64_t n) {
  if (verdict_ != bound_verdict::undecided || n == 0) return verdict_;
  n_ += n;
  events_ += std::min(events, n);
  if (bound_ >= 1) {
    verdict_ = bound_verdict::below;
  } else if (bound_ <= 0) {
    if (events_ > 0) verdict_ = bound_verdict::above;
  } else if (excludes_bound(static_cast<double>(events_), static_cast<double>(n_))) {
    verdict_ = estimate() > bound_ ? bound_verdict::above : bound_verdict::below;
  }
  if (verdict_ != bound_verdict::undecided) decided_at_ = n_;
  return verdict_;
}

double bernoulli_bound_monitor::estimate() const {
  return n_ == 0 ? 0 : static_cast<double>(events_) / static_cast<double>(n_);
}

interval bernoulli_bound_monitor::sequence() const {
  return bernoulli_confidence_sequence(events_, n_, alpha_, prior_);
}

std::optional<std::uint64_t> bernoulli_bound_monitor::more_needed() const {
  if (verdict_ != bound_verdict::undecided || n_ == 0 || bound_ <= 0 || bound_ >= 1)
    return std::nullopt;
  const double rate = estimate();
  if (rate == bound_) return std::nullopt;
  // log M at a fixed rate grows like m KL(rate || bound) - log(m) / 2, so past its first
  // crossing it stays above: double until it crosses, then bisect for the first m that does.
  const auto decides = [&](std::uint64_t m) {
    const double md = static_cast<double>(m);
    return excludes_bound(rate * md, md);
  };
  std::uint64_t lo = n_, hi = std::max<std::uint64_t>(2 * n_, n_ + 1);
  constexpr std::uint64_t limit = std::uint64_t{1} << 40;
  while (!decides(hi)) {
    if (hi >= limit) return std::nullopt;
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    (decides(mid) ? hi : lo) = mid;
  }
  return hi - n_;
}

}  // namespace rollproof::stats
