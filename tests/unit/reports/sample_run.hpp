#pragma once
// A fixed run record with every kind of case and every verdict, for the report tests and goldens.
// It plants a secret in a command-line argument and in a subject's stderr tail, and control
// characters and markup in texts, so each writer's escaping and redaction is exercised.

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

#include "rollproof/claims/claim.hpp"
#include "rollproof/claims/family.hpp"
#include "rollproof/common/redact.hpp"
#include "rollproof/reports/run_record.hpp"

namespace rollproof::reports::testing {

inline constexpr const char* planted_secret = "sk-rollproof-planted-0123456789";
inline constexpr const char* run_started = "2026-11-29T15:00:00Z";
inline constexpr const char* run_finished = "2026-11-29T15:04:05Z";
inline constexpr const char* run_host = "build-host-17";
inline constexpr std::uint64_t sample_claim_seed = 20251029;  // the seed the claims' bootstraps use

// The redactor that knows the planted secret.
inline rollproof::redactor sample_secrets() {
  rollproof::redactor r;
  r.add(planted_secret);
  return r;
}

// Latencies from a fixed formula (no random numbers, so every platform renders the same bytes).
inline std::vector<double> latencies(double base, int n, int phase) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i)
    v.push_back(base * (0.6 + 0.8 * std::fmod((i * 37 + phase) * 0.61803, 1.0)));
  return v;
}

inline std::string fmt_id(const std::string& route, int rep, int k) {
  return fmt::format("u-{}-{}-{}", route, rep, k);
}

inline case_record perf_case(const std::string& route, int rep, double base_ms, double rss_mib,
                             double mbps) {
  case_record c;
  c.id = fmt::format("performance/1MiB-kimi-c10-{}-r{}", route, rep);
  c.scenario = "performance";
  c.status = case_status::passed;
  c.parameters = {{"route", route},
                  {"provider", "kimi"},
                  {"size", "1MiB"},
                  {"concurrency", "10"},
                  {"rep", std::to_string(rep)},
                  {"faults", rep < 4 ? "none" : "slow-tail"}};
  int k = 0;
  for (const double ms : latencies(base_ms, 20, rep)) {
    upload_sample u;
    u.request_id = fmt_id(route, rep, k++);
    u.user = fmt::format("user-{}", k);
    u.provider = "kimi";
    u.route = u.reported_route = route;
    u.ok = true;
    u.attempts = u.ledger_attempts = 1;
    u.status = 200;
    u.bytes = 1048576;
    u.latency_ms = ms;
    u.start_s = k * 0.05;
    c.uploads.push_back(u);
  }
  c.wall_seconds = 2.0 + 0.125 * rep;
  c.throughput_bytes_per_s = mbps * 1e6 * (1 + 0.02 * rep);
  c.uploads_per_s = 20.0 + rep;
  c.peak_rss_bytes = static_cast<std::uint64_t>(rss_mib * (1 + 0.03 * rep) * 1048576);
  c.cpu_seconds = 0.5 + 0.01 * rep;
  c.checks.push_back({"success_rate", true, ">= 0.999", "1 [0.8389, 1] n=20"});
  // What the runner reads from the mock's stats: the requests each fault rule answered.
  const int late = rep < 4 ? 0 : 1 + rep % 2, unavailable = rep < 4 ? 0 : 1;
  if (late) c.values["faults_by_rule.slow-tail-late"] = late;
  if (unavailable) c.values["faults_by_rule.slow-tail-503"] = unavailable;
  c.values["faults_injected"] = late + unavailable;
  c.plan_index = static_cast<std::uint64_t>(rep * 2 + (route == "async" ? 1 : 0));
  return c;
}

inline std::vector<case_record> sample_cases() {
  std::vector<case_record> cases;
  // 8 repeats per route: the fewest a per-case bootstrap claim is judged on.
  for (int rep = 0; rep < 8; ++rep) {
    cases.push_back(perf_case("sync", rep, 220, 410, 40));
    cases.push_back(perf_case("async", rep, 130, 60, 95));
  }
  // Stages of a rollout, routes from the ledger; one stage failed its check.
  std::uint64_t index = 100;
  for (const int stage : {1, 10, 50}) {
    case_record c;
    c.id = fmt::format("rollout/stage-{}", stage);
    c.scenario = "rollout";
    c.status = stage == 50 ? case_status::failed : case_status::passed;
    c.parameters = {{"stage", std::to_string(stage)}, {"provider", "glm"}};
    for (int i = 0; i < 100; ++i) {
      upload_sample u;
      u.request_id = fmt::format("r{}-{}", stage, i);
      u.ok = !(stage == 50 && i % 50 == 0);
      u.timed_out = stage == 50 && i % 100 == 0;
      u.error_code = u.ok ? "" : (u.timed_out ? "timeout" : "server_error");
      u.route = i < stage ? "async" : "sync";
      u.latency_ms = 80 + (i % 17) * 3;
      u.bytes = 65536;
      c.uploads.push_back(u);
    }
    // What the stage's rollout_share check records: the share of its 100 routed uploads.
    c.values["rollout_share"] = stage / 100.0;
    c.values["rollout_share.n"] = 100;
    c.wall_seconds = 4.5;
    c.throughput_bytes_per_s = 100 * 65536 / 4.5;
    c.uploads_per_s = 100 / 4.5;
    c.plan_index = index++;
    c.values["faults_injected"] = stage == 50 ? 2 : 0;
    if (stage == 50) {
      c.values["faults_by_rule.glm-503"] = 2;
      // The gates tripped: rolled back to 10%, 20 uploads of fresh users verify it (2 async).
      for (int i = 0; i < 20; ++i) {
        upload_sample u;
        u.request_id = fmt::format("r50-back-{}", i);
        u.user = fmt::format("back-{}", i);
        u.ok = true;
        u.route = i < 2 ? "async" : "sync";
        u.latency_ms = 90 + i;
        u.bytes = 65536;
        u.phase = upload_phase::after_rollback;
        c.uploads.push_back(u);
      }
      c.values["rollback.to_percent"] = 10;
      c.values["rollback_left_async"] = 0.1;
      c.values["rollback_left_async.n"] = 20;
      c.checks.push_back({"error_rate", false, "<= 0.01", "0.02 [0.0055, 0.0700] n=100"});
      c.message = "gate error_rate failed at stage 50";
      c.subject_stderr_tail = std::string("retrying with key ") + planted_secret +
                              "\n\x1b[31mHTTP 503\x1b[0m <body> & \"quotes\"\n";
    }
    cases.push_back(c);
  }
  case_record buckets;
  buckets.id = "rollout/bucket-uniformity";
  buckets.scenario = "rollout";
  buckets.status = case_status::passed;
  buckets.plan_index = index++;
  for (int i = 0; i < 10; ++i)
    buckets.values[fmt::format("bucket_count.{}", i)] = 1000 + (i % 3) * 20 - 20;
  buckets.values["enabled_share"] = 0.1003;
  buckets.values["enabled_share.n"] = 10000;
  cases.push_back(buckets);
  case_record broken;
  broken.id = "rollout/restart-stickiness";
  broken.scenario = "rollout";
  broken.status = case_status::error;
  broken.message = "subject exited with status 134 before answering";
  broken.plan_index = index++;
  cases.push_back(broken);
  case_record skipped;
  skipped.id = "rollout/glm-100MB";
  skipped.scenario = "rollout";
  skipped.status = case_status::skipped;
  skipped.message = "GLM file-extract takes at most 50 MB per file";
  skipped.plan_index = index++;
  cases.push_back(skipped);
  return cases;
}

// The claims of the sample: one of each verdict, judged by the claims engine.
inline std::vector<rollproof::claims::claim_spec> sample_claim_specs() {
  using rollproof::claims::claim_spec;
  using rollproof::claims::relation_kind;
  std::vector<claim_spec> specs;
  claim_spec throughput;
  throughput.id = "perf.throughput";
  throughput.text = "Throughput | 5-10x improvement";
  throughput.source = "Performance Improvements (Expected) table, row Throughput";
  throughput.scenario = "performance";
  throughput.metric = "throughput_bytes_per_s";
  throughput.baseline = {{"route", "sync"}};
  throughput.candidate = {{"route", "async"}};
  throughput.relation = relation_kind::ratio;
  throughput.min = 5;
  throughput.max = 10;
  specs.push_back(throughput);
  claim_spec memory = throughput;
  memory.id = "perf.memory";
  memory.text = "Memory Usage | 80-90% reduction";
  memory.source = "Performance Improvements (Expected) table, row Memory Usage";
  memory.metric = "peak_rss_bytes";
  memory.relation = relation_kind::reduction;
  memory.min = 0.8;
  memory.max = 0.9;
  specs.push_back(memory);
  claim_spec share;
  share.id = "rollout.share-10";
  share.text = "Stage 2 | 10% | 10/100 | 100% accuracy";
  share.source = "Rollout Distribution Accuracy table, row Stage 2";
  share.scenario = "rollout";
  share.metric = "enabled_share";
  share.cases = {{"id", "rollout/bucket-uniformity"}};
  share.relation = relation_kind::proportion;
  share.equals = 0.10;
  share.tolerance = 0.0005;
  share.min = 0.0995;
  share.max = 0.1005;
  specs.push_back(share);
  claim_spec missing;
  missing.id = "phase3.providers";
  missing.text = "Tested all providers (Kimi, GLM)";
  missing.source = "Phase 3";
  missing.scenario = "rollout";
  missing.metric = "success_rate";
  missing.cases = {{"provider", "openai"}};
  missing.relation = relation_kind::bound;
  missing.min = 0.999;
  specs.push_back(missing);
  claim_spec approved;
  approved.id = "exai.approved";
  approved.text = "EXAI Validation: <APPROVED> & signed";
  approved.source = "Success Criteria Met table";
  approved.scenario = "rollout";
  approved.unverifiable = "an approval by a reviewer is not a property of the code";
  specs.push_back(approved);
  return specs;
}

// The whole sample run, its claims judged over `cases` (all of sample_cases() by default).
inline run_record sample_run(std::vector<case_record> cases = sample_cases()) {
  run_record run;
  run.prov.git = {"0123456789abcdef0123456789abcdef01234567", "main", false, "v0.1.0-3-g0123456",
                  true};
  run.prov.host = {run_host, "Test CPU @ 2.0GHz", 2, 4ull << 30, "Linux 6.1.0"};
  run.prov.versions = {{"rollproof", "0.1.0"}, {"compiler", "GCC 12.2.0"}, {"boost", "1.81"}};
  run.prov.command_line = {"rollproof", "run", "scenarios/seed", "--api-key", planted_secret};
  run.prov.started_at = run_started;
  run.prov.finished_at = run_finished;
  run.prov.run_id = "00112233445566778899aabbccddeeff";
  // No --seed: each scenario ran with its own seed (7 and 11); the claims' bootstraps use one.
  run.scenarios = {{"performance",
                    "scenarios/seed/performance.toml",
                    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    "The performance table: sync baseline against async candidate",
                    7,
                    {}},
                   {"rollout",
                    "scenarios/seed/rollout.toml",
                    "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752",
                    "Stages 1, 10, 50",
                    11,
                    {}}};
  const subject_info subject{{"build/bin/rollproof-upload"},
                             "5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592",
                             "rollproof-upload",
                             "0.1.0"};
  for (auto& s : run.scenarios)
    s.subject = subject;
  run.cases = std::move(cases);
  run.prov.plan_cases = run.cases.size();
  // Judged as `rollproof run` judges them: as one family (error_control "none" here, so each at
  // its own level, with its raw interval beside it).
  std::vector<rollproof::claims::family_member> members;
  for (const auto& spec : sample_claim_specs())
    members.push_back({spec, run.cases, sample_claim_seed});
  run.claims = rollproof::claims::evaluate_family(members, run.error_control);
  return run;
}

// The sample run as a plain `rollproof run` of one scenario seeded 42 (no --seed) would record it.
inline run_record run_of_a_scenario_seeded_42() {
  run_record run = sample_run();
  run.prov.seed.reset();
  run.scenarios.resize(1);
  run.scenarios[0].seed = 42;
  return run;
}

// The sample run as a merge that lacked shards 2 and 3 of 3 records it.
inline run_record partial_merge() {
  run_record run = sample_run();
  run.prov.shard_total = 3;
  run.prov.shards = {{1, 3, run.prov.host, run.prov.command_line, "", ""}};
  run.prov.missing_shards = {2, 3};
  return run;
}

}  // namespace rollproof::reports::testing
