// Rollback gates on simulated rollouts (issue 15): the sequential gate (ours, method =
// "sequential") against today's window rule (peer, method = "windows"), on the same seeded
// uploads. A rollout has stages 10/25/50/100% of `uploads` uploads each; an upload takes the async
// route with the stage's probability and its first async attempt fails at the canary's error
// rate; the gate is error_rate <= 5%, alpha = 0.05 over the rollout. The gate looks 4, 12, 20 or
// 50 times per stage: the sequential gate judges at that many equally spaced points, the window
// rule uses windows of uploads / looks (20 looks of 1000 uploads are the default window of 50).
// Both are the runner's own code (rollback_gates.hpp). Prints one JSON line per figure: {name,
// ours, peer, unit, note}. Not a ctest test: the figures are for BENCHMARKS.md.
//
// usage: rollproof-gates-bench [--quick] [--runs N] [--uploads N]

#include <boost/json.hpp>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "rollback_gates.hpp"

namespace {

namespace fw = rollproof::framework;
namespace dt = rollproof::framework::detail;

constexpr double bound = 0.05;
const std::vector<double> stages = {10, 25, 50, 100};

// One stage's uploads: whether each took the async route and whether that first attempt failed.
struct stage_draw {
  std::vector<bool> async, failed;
  std::uint64_t async_count = 0;
};

stage_draw draw_stage(std::mt19937_64& rng, double percent, double error_rate, int uploads) {
  std::bernoulli_distribution on_async(percent / 100), fails(error_rate);
  stage_draw d;
  for (int i = 0; i < uploads; ++i) {
    const bool a = on_async(rng);
    d.async.push_back(a);
    d.failed.push_back(a && fails(rng));
    d.async_count += a ? 1 : 0;
  }
  return d;
}

// What one rule did with one stage.
struct stage_outcome {
  bool tripped = false;
  bool undecided = false;
  std::uint64_t async_at_decision = 0;  // async uploads seen when the rule decided
};

stage_outcome sequential_rule(const fw::rollback_spec& rb, double alpha, const stage_draw& d,
                              int looks) {
  dt::sequential_gates gates(rb, alpha);
  const auto n = static_cast<int>(d.async.size());
  std::uint64_t async_seen = 0, at_decision = 0;
  int next_look = 1;
  for (int i = 1; i <= n; ++i) {
    gates.add({.seen = true, .async = d.async[i - 1], .failed = d.failed[i - 1], .ok = true});
    async_seen += d.async[i - 1] ? 1 : 0;
    if (i != next_look * n / looks) continue;
    ++next_look;
    if (gates.look()) {
      at_decision = async_seen;
      break;
    }
  }
  const auto r = gates.result(rb.on_inconclusive);
  return {r.tripped, r.undecided, r.undecided ? d.async_count : at_decision};
}

// Today's rule as the runner applies it: after the stage, so it decides on all its uploads.
stage_outcome window_rule(const fw::rollback_spec& rb, const stage_draw& d) {
  std::vector<rollproof::reports::upload_sample> samples;
  boost::json::array ledger;
  for (std::size_t i = 0; i < d.async.size(); ++i) {
    rollproof::reports::upload_sample s;
    s.request_id = "u-" + std::to_string(i);
    s.ok = true;
    s.latency_ms = 10;
    ledger.push_back(boost::json::object{{"method", "POST"},
                                         {"path", "/v1/files"},
                                         {"request_id", s.request_id},
                                         {"route", d.async[i] ? "async" : "sync"},
                                         {"status", d.failed[i] ? 500 : 200}});
    samples.push_back(std::move(s));
  }
  const auto g = dt::analyse_gates(rb, 0, samples, samples.size(), ledger);
  return {g.tripped, false, d.async_count};
}

struct figures {
  int runs = 0, rolled_back = 0, stages_judged = 0, stages_undecided = 0;
  double async_to_decision = 0, async_to_rollback = 0;
  void add_run(const std::vector<stage_outcome>& judged) {
    ++runs;
    std::uint64_t before = 0;
    for (const auto& o : judged) {
      ++stages_judged;
      stages_undecided += o.undecided ? 1 : 0;
      async_to_decision += static_cast<double>(o.async_at_decision);
      if (o.tripped) {
        ++rolled_back;
        async_to_rollback += static_cast<double>(before + o.async_at_decision);
        return;
      }
      before += o.async_at_decision;
    }
  }
};

void print(const std::string& name, double ours, double peer, const std::string& unit,
           const std::string& note) {
  std::cout << boost::json::serialize(boost::json::object{
                   {"name", name}, {"ours", ours}, {"peer", peer}, {"unit", unit}, {"note", note}})
            << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 1000, uploads = 1000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) runs = 200;
    if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = std::stoi(argv[++i]);
    if (std::strcmp(argv[i], "--uploads") == 0 && i + 1 < argc) uploads = std::stoi(argv[++i]);
  }
  fw::scenario sc;
  sc.matrix.stages = {{0, 0, 0}};
  for (double p : stages)
    sc.matrix.stages.push_back({p, 0, static_cast<std::uint32_t>(uploads)});
  sc.rollback.emplace();
  sc.rollback->error_rate_at_most = bound;
  const double alpha = dt::stage_alpha(sc);
  for (const double rate : {0.03, 0.05, 0.15}) {
    for (const int looks : {4, 12, 20, 50}) {
      fw::rollback_spec windows = *sc.rollback;
      windows.method = "windows";
      windows.window = static_cast<std::uint32_t>(uploads / looks);
      figures ours, peer;
      std::mt19937_64 rng(20261202 + static_cast<std::uint64_t>(rate * 1000) * 100 + looks);
      for (int r = 0; r < runs; ++r) {
        std::vector<stage_outcome> seq, win;
        bool seq_done = false, win_done = false;
        for (const double percent : stages) {
          const auto d = draw_stage(rng, percent, rate, uploads);
          if (!seq_done) seq.push_back(sequential_rule(*sc.rollback, alpha, d, looks));
          if (!win_done) win.push_back(window_rule(windows, d));
          seq_done = seq_done || seq.back().tripped;
          win_done = win_done || win.back().tripped;
        }
        ours.add_run(seq);
        peer.add_run(win);
      }
      const std::string tag = "errors_" + std::to_string(static_cast<int>(rate * 100)) +
                              "pct.looks_" + std::to_string(looks);
      const std::string setup =
          std::to_string(runs) + " seeded rollouts of stages 10/25/50/100% x " +
          std::to_string(uploads) + " uploads, async error rate " + std::to_string(rate) +
          ", gate error_rate <= 0.05, " + std::to_string(looks) + " looks per stage (windows of " +
          std::to_string(uploads / looks) + " uploads)";
      print("gates.rollback_rate." + tag, static_cast<double>(ours.rolled_back) / runs,
            static_cast<double>(peer.rolled_back) / runs, "share of runs",
            "sequential (ours) vs window rule (peer); " + setup);
      print("gates.async_uploads_to_decision." + tag, ours.async_to_decision / ours.stages_judged,
            peer.async_to_decision / peer.stages_judged, "async uploads per judged stage",
            "the window rule decides after the stage, as the runner applies it; " + setup);
      print("gates.async_uploads_to_rollback." + tag,
            ours.rolled_back ? ours.async_to_rollback / ours.rolled_back : 0,
            peer.rolled_back ? peer.async_to_rollback / peer.rolled_back : 0, "async uploads",
            "mean over rolled-back runs, from the first stage to the trip; " + setup);
      print("gates.inconclusive_stages." + tag,
            static_cast<double>(ours.stages_undecided) / ours.stages_judged, 0,
            "share of judged stages",
            "sequential stages that ended undecided (held); the window rule has no such "
            "outcome; " +
                setup);
    }
  }
  // The comparative gate (error_rate_over_baseline <= 0.02) alone, on one stage at 50% of
  // 2 x `uploads` uploads, looked at 20 times: async and sync routes fail at their own rates.
  for (const auto& [canary, baseline] :
       std::vector<std::pair<double, double>>{{0.03, 0.03}, {0.15, 0.03}, {0.20, 0.20}}) {
    fw::rollback_spec rb;
    rb.error_rate_over_baseline_at_most = 0.02;
    std::mt19937_64 rng(20261203 + static_cast<std::uint64_t>(canary * 1000) * 1000 +
                        static_cast<std::uint64_t>(baseline * 1000));
    std::bernoulli_distribution on_async(0.5), c_fails(canary), b_fails(baseline);
    const int n = 2 * uploads, looks = 20;
    int rolled_back = 0, undecided = 0;
    double to_decision = 0;
    for (int r = 0; r < runs; ++r) {
      dt::sequential_gates gates(rb, alpha);
      int next_look = 1, at = n;
      for (int i = 1; i <= n; ++i) {
        const bool a = on_async(rng);
        gates.add({.seen = true, .async = a, .failed = a ? c_fails(rng) : b_fails(rng)});
        if (i != next_look * n / looks) continue;
        ++next_look;
        if (gates.look()) {
          at = i;
          break;
        }
      }
      const auto g = gates.result("hold");
      rolled_back += g.tripped ? 1 : 0;
      undecided += g.undecided ? 1 : 0;
      to_decision += at;
    }
    const std::string tag = "canary_" + std::to_string(static_cast<int>(canary * 100)) +
                            "pct.baseline_" + std::to_string(static_cast<int>(baseline * 100)) +
                            "pct";
    const std::string setup =
        std::to_string(runs) + " seeded stages at 50% x " + std::to_string(n) +
        " uploads, gate error_rate_over_baseline <= 0.02, 20 looks, alpha " + std::to_string(alpha);
    print("gates.comparative.rollback_rate." + tag, static_cast<double>(rolled_back) / runs, 0,
          "share of runs", "comparative gate only (no peer); " + setup);
    print("gates.comparative.uploads_to_decision." + tag, to_decision / runs, 0,
          "uploads (both routes) per stage", "the stage's total when undecided; " + setup);
    print("gates.comparative.inconclusive_stages." + tag, static_cast<double>(undecided) / runs, 0,
          "share of stages", setup);
  }
  return 0;
}
