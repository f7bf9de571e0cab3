#pragma once
// The rollback gates of [rollback] on a gated stage: the sequential gate (method = "sequential",
// the default: time-uniform confidence sequences judged as uploads complete, error-controlled)
// and Argo-style windows (method = "windows": a point estimate per window against the bound,
// with failure, inconclusive and consecutive-error limits; not error-controlled), the rollback
// target, and the checks of a gated stage.

#include <boost/json/array.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rollproof/framework/scenario.hpp"
#include "rollproof/reports/run_record.hpp"
#include "rollproof/stats/confidence_sequence.hpp"

namespace rollproof::framework::detail {

// One completed upload of a gated stage, as the gates see it.
struct gate_observation {
  bool seen = false;       // the server has the upload's first attempt
  bool async = false;      // that first attempt took the async route
  bool failed = false;     // that first attempt was not answered 200
  bool ok = false;         // the subject answered the upload ok
  double latency_ms = 0;   // the subject's latency for it
  bool timed_out = false;  // no answer in time
};

// The outcome of a stage's gates.
struct gate_analysis {
  std::string method = "sequential";  // rollback_spec::method
  // Roll back. Sequential: a gate showed its bound crossed, or the stage ended undecided with
  // on_inconclusive = "rollback". Windows: failed > failure_limit, inconclusive >
  // inconclusive_limit, or consecutive errors > consecutive_error_limit.
  bool tripped = false;
  // Sequential only.
  bool undecided = false;           // the stage ended before the gates decided
  std::uint64_t decided_after = 0;  // the stage's uploads the gates had seen at the decision
  std::uint64_t observed = 0;       // the stage's uploads the gates saw in all
  std::optional<std::uint64_t> uploads_needed;  // undecided: more uploads that would decide
  std::string detail;  // each gate: its estimate, confidence sequence and verdict
  // Windows only: one measurement per window (Argo's AnalysisRun).
  std::uint32_t successful = 0, failed = 0, inconclusive = 0, errors = 0;
  std::uint32_t worst_error_run = 0;
  std::string first_failure;  // which gate failed first, with its value
  [[nodiscard]] std::string describe() const;
};

// The sequential gates of one stage: error_rate (failed first async attempts among async-route
// uploads), latency_p95_ms (P(latency > bound) <= 0.05 among ok async-route uploads, Howard and
// Ramdas' quantile reduction) and timeout_rate (timed-out uploads among all), each a
// bernoulli_bound_monitor at `alpha` / (number of gates), so that a healthy stage is rolled back
// with probability <= `alpha` however often it is looked at; and error_rate_over_baseline, the
// comparative gate, one more gate in that split: p_c - p_b (failed first attempts among the
// stage's async-route uploads, minus among its sync-route ones) against the margin m. Each arm
// has a time-uniform confidence sequence (Robbins' mixture, Howard et al. 2021) at alpha_g / 2,
// so by the union bound p_c - p_b lies in [low_c - high_b, high_c - low_b] at every look at once
// with probability >= 1 - alpha_g; the gate trips when low_c - high_b > m (p_c - p_b > m) and
// holds when high_c - low_b <= m, each wrong with probability <= alpha_g. A stage without
// sync-route uploads (100%) never decides it.
class sequential_gates {
 public:
  sequential_gates(const rollback_spec& rb, double alpha);

  // Takes one completed upload; it counts at the next look.
  void add(const gate_observation& o);
  // Judges everything taken so far: true once decided (rollback or hold), and final.
  bool look();
  // The stage's outcome with the uploads taken so far; `on_inconclusive` applies when undecided.
  [[nodiscard]] gate_analysis result(const std::string& on_inconclusive) const;

 private:
  enum class kind { error_rate, latency, timeout };
  struct gate {
    kind what;
    std::string name;  // "error_rate", "latency_p95_ms", "timeout_rate"
    stats::bernoulli_bound_monitor monitor;
    std::uint64_t pending_n = 0, pending_events = 0;
  };
  // error_rate_over_baseline: one Beta-binomial confidence sequence per route.
  struct comparative_gate {
    double margin = 0, arm_alpha = 0;
    std::uint64_t canary_n = 0, canary_events = 0, baseline_n = 0, baseline_events = 0;
    std::uint64_t pending_cn = 0, pending_ce = 0, pending_bn = 0, pending_be = 0;
    stats::bound_verdict verdict = stats::bound_verdict::undecided;
  };
  std::vector<gate> gates_;
  std::optional<comparative_gate> comparative_;
  std::uint64_t taken_ = 0, decided_after_ = 0;
  std::optional<double> latency_bound_ms_;
  bool decided_ = false, tripped_ = false;
};

// The false-rollback rate each gated stage of `sc` may spend: [rollback] alpha over the number of
// stages above 0% (Bonferroni), so a healthy rollout is rolled back at most `alpha` of the time.
[[nodiscard]] double stage_alpha(const scenario& sc);

// Judges the first `count` of `samples` (answered uploads in send order) against the gates, with
// routes and first-attempt statuses from `ledger`: sequentially in completion order at `alpha`
// (stage_alpha) or in windows, by rb.method.
[[nodiscard]] gate_analysis analyse_gates(const rollback_spec& rb, double alpha,
                                          const std::vector<reports::upload_sample>& samples,
                                          std::size_t count, const boost::json::array& ledger);

// Adds `rollback_triggered` (the gates tripped exactly when the scenario expects a rollback) and,
// after a rollback to `to_percent`, `rollback_left_async` (the after_rollback uploads' users follow
// the rolled-back percent: add_share_check) and `rollback_no_loss` (every ok upload stored).
void add_rollback_checks(const rollback_spec& rb, const gate_analysis& gates, double to_percent,
                         reports::case_record& rec);

// The percent a stage at `percent` rolls back to: the stage before it in the matrix, or 0.
[[nodiscard]] double rollback_target(const scenario& sc, double percent);

}  // namespace rollproof::framework::detail
