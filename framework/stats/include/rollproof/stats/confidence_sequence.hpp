#pragma once
// Time-uniform confidence sequence for a Bernoulli rate p, and a monitor that watches p against a
// bound with it: Robbins' conjugate Beta-binomial mixture (H. Robbins, "Statistical methods
// related to the law of the iterated logarithm", Ann. Math. Statist. 41(5), 1970; the mixture
// method of S. R. Howard, A. Ramdas, J. McAuliffe, J. Sekhon, "Time-uniform, nonparametric,
// nonasymptotic confidence sequences", Ann. Statist. 49(2), 2021, section 3).
//
// After n observations with s events, M_n(p) = B(a + s, b + n - s) / B(a, b) / (p^s (1-p)^(n-s))
// is a nonnegative martingale with mean 1 when p is the true rate, so by Ville's inequality
// P(exists n: M_n(p) >= 1/alpha) <= alpha, and C_n = {p : M_n(p) < 1/alpha} covers p at every n
// at once with probability >= 1 - alpha: it may be looked at after every observation, and
// stopped at any data-dependent time, without inflating alpha (unlike a fixed-n interval read
// repeatedly). It assumes independent observations with one rate p (no drift within a stream).
// Minimum n: none; at n = 0 the sequence is [0, 1] and it narrows as observations arrive.
// A quantile bound reduces to it (S. R. Howard, A. Ramdas, "Sequential estimation of quantiles
// with applications to A/B-testing and best-arm identification", Bernoulli 28(3), 2022): the
// q-quantile is at most L exactly when P(X > L) <= 1 - q, a Bernoulli rate of the events X > L.
// Beta functions are Boost.Math's lgamma; endpoints are found by Boost.Math's bisection.

#include <cstdint>
#include <optional>

#include "rollproof/stats/interval.hpp"

namespace rollproof::stats {

// The Beta(a, b) mixing distribution of the mixture; a, b > 0. Fixed before any data is seen.
struct beta_prior {
  double a = 1;
  double b = 1;
};

// Beta(k m, k (1 - m)) with m = `bound` clamped to [0.001, 0.999] and k = `strength` (> 0): its
// mass sits around the bound, where the decision is hard; a larger k narrows the sequence near
// the bound at large n and widens it for rates far from it.
[[nodiscard]] beta_prior prior_centred_on(double bound, double strength = 10);

// log M_n(p) for `events` events in `n` observations (0 <= events <= n; both may be fractional,
// for projections), p in [0, 1]; +infinity where p cannot have produced the data (p = 0 with an
// event, p = 1 with a non-event).
[[nodiscard]] double bernoulli_mixture_log_e(double events, double n, double p, beta_prior prior);

// C_n at `confidence` = 1 - alpha (0 < alpha < 1): the p with M_n(p) < 1/alpha, as [low, high];
// [0, 1] at n = 0; always contains events / n.
[[nodiscard]] interval bernoulli_confidence_sequence(std::uint64_t events, std::uint64_t n,
                                                     double alpha, beta_prior prior);

// What the evidence says of p against the bound so far.
enum class bound_verdict {
  undecided,  // the sequence still contains the bound
  above,      // the whole sequence lies above the bound: p > bound (wrong with prob. <= alpha)
  below,      // the whole sequence lies below the bound: p < bound (wrong with prob. <= alpha)
};

// Watches one Bernoulli rate against `bound`, observation by observation, and decides the first
// time the confidence sequence excludes the bound; a decision is final (later observations do
// not change it). Edge cases: bound <= 0 decides `above` at the first event and is never
// `below`; bound >= 1 holds for every rate and decides `below` at the first observation.
class bernoulli_bound_monitor {
 public:
  // alpha in (0, 1): the chance of a wrong decision over the whole, unbounded stream.
  bernoulli_bound_monitor(double bound, double alpha, beta_prior prior);
  // The same with prior_centred_on(bound).
  bernoulli_bound_monitor(double bound, double alpha);

  // Feeds one observation (true: the event, e.g. a failed upload) and returns the verdict.
  bound_verdict add(bool event) { return add(event ? 1 : 0, 1); }
  // Feeds `n` observations with `events` events (events <= n) and judges only after the last:
  // one look at the stream, as a gate that is read now and then rather than after each upload.
  bound_verdict add(std::uint64_t events, std::uint64_t n);

  [[nodiscard]] bound_verdict verdict() const { return verdict_; }
  [[nodiscard]] std::uint64_t n() const { return n_; }
  [[nodiscard]] std::uint64_t events() const { return events_; }
  // Observations seen when the verdict was reached; 0 while undecided.
  [[nodiscard]] std::uint64_t decided_at() const { return decided_at_; }
  [[nodiscard]] double bound() const { return bound_; }
  [[nodiscard]] double alpha() const { return alpha_; }
  // events / n, 0 at n = 0.
  [[nodiscard]] double estimate() const;
  // The confidence sequence at the current n (at the decision's n once decided).
  [[nodiscard]] interval sequence() const;
  // While undecided: the further observations after which the sequence would exclude the bound if
  // events kept arriving at the current estimate; nullopt when that never happens (no
  // observation yet, the estimate equals the bound, or the bound is outside (0, 1)).
  [[nodiscard]] std::optional<std::uint64_t> more_needed() const;

 private:
  bool excludes_bound(double events, double n) const;

  double bound_;
  double alpha_;
  beta_prior prior_;
  std::uint64_t n_ = 0;
  std::uint64_t events_ = 0;
  std::uint64_t decided_at_ = 0;
  bound_verdict verdict_ = bound_verdict::undecided;
};

}  // namespace rollproof::stats
