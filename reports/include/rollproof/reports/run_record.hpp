#pragma once
// The record of one run: what the framework measured and decided, and what every report writer
// (JUnit, evidence JSON, in-toto, Markdown, HTML) and `rollproof merge` read. Plain data only.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rollproof::reports {

// The commit the run is bound to.
struct git_info {
  std::string commit;     // 40 hex digits, or empty outside a git work tree
  std::string branch;     // empty when detached
  bool dirty = false;     // uncommitted changes to tracked files
  std::string describe;   // `git describe --always --dirty`
  bool work_tree = true;  // false: the run was not in a git work tree (commit, branch empty)
};

// What reports show for the commit: the 40 hex digits, or "not a git work tree".
[[nodiscard]] std::string commit_text(const git_info& g);

// The machine the run measured on.
struct host_info {
  std::string hostname;
  std::string cpu_model;
  unsigned cores = 0;
  std::uint64_t memory_bytes = 0;
  std::string os;  // uname sysname + release
};

// One shard's own run, as a merged record keeps it.
struct shard_origin {
  std::uint64_t index = 1;  // 1-based, as in --shard K/N
  std::uint64_t total = 1;
  host_info host;
  std::vector<std::string> command_line;  // secrets redacted
  std::string started_at;                 // RFC 3339 UTC
  std::string finished_at;                // RFC 3339 UTC
};

// Where the run came from: commit, machine, tools, command line, time, and which part of the plan.
struct provenance {
  git_info git;
  host_info host;
  std::map<std::string, std::string> versions;  // "rollproof", "compiler", "boost", "curl", ...
  std::vector<std::string> command_line;        // secrets redacted
  std::string started_at;                       // RFC 3339 UTC
  std::string finished_at;                      // RFC 3339 UTC
  std::optional<std::uint64_t> seed;  // --seed; nullopt when each scenario's own seed applied
  std::uint64_t shard_index = 1;      // 1-based, as in --shard K/N; 0 in a record that predates it
  std::uint64_t shard_total = 1;      // 1 for an unsharded run; 0 in a record that predates it
  std::uint64_t plan_cases = 0;       // cases of the whole (unsharded, filtered) plan
  std::string filter;                 // --filter, empty for none
  std::uint32_t repeat = 0;           // --repeat, 0 when each scenario kept its own repeat
  std::vector<shard_origin> shards;   // a merged record: every shard's origin, by index
  std::vector<std::uint64_t> missing_shards;  // merged with --allow-partial: indices not given
  std::string run_id;  // 32 random hex digits, the same in every file of one report set
};

// The subject a scenario's cases ran against.
struct subject_info {
  std::vector<std::string> command;  // as started, secrets redacted
  std::string program_sha256;        // of the file command[0] names; empty when it is no file
  std::string name;                  // from the subject's hello answer; empty without one
  std::string version;               // from the subject's hello answer; empty without one
};

// One scenario file of the run.
struct scenario_record {
  std::string name;
  std::string file;    // path as given on the command line
  std::string sha256;  // of the file's bytes
  std::string description;
  std::uint64_t seed = 0;  // the seed the scenario's cases ran with (its own, or --seed)
  subject_info subject;
};

// Outcome of a case (one cell of a scenario's matrix, or one verification step).
enum class case_status { passed, failed, error, skipped };

// The configuration an upload was sent under: the case's own (a stage's percent, a route), or the
// rolled-back one after a stage's gates tripped. Shares, claims and charts of a stage count only
// its `stage` uploads; `after_rollback` uploads are a phase of their own.
enum class upload_phase { stage, after_rollback };

// One upload as the runner saw it, joined with the mock's ledger.
struct upload_sample {
  std::string request_id;
  std::string user;
  std::string provider;
  std::string route;           // from the ledger (the wire), not the subject's word
  std::string reported_route;  // what the subject answered
  bool ok = false;
  bool fallback = false;
  int attempts = 0;         // as the subject reported
  int ledger_attempts = 0;  // requests the mock recorded with this request id
  int status = 0;           // last HTTP status, 0 when none
  std::string error_code;   // protocol error code when !ok
  std::uint64_t bytes = 0;
  double latency_ms = 0;     // from the intended start (open model) or the send (closed)
  double start_s = 0;        // seconds since the case began
  bool integrity_ok = true;  // false: an ok upload the server did not store with the corpus
                             // file's sha256 and size (or never saw)
  bool timed_out = false;    // error code `timeout`, or no answer within the case deadline
  upload_phase phase = upload_phase::stage;
  // Non-empty: what became of the upload cannot be known, and why ("the mock died"): the ledger
  // that judges it is lost. Such an upload is no integrity failure and no timeout (integrity_ok
  // true, timed_out false) and counts in no upload metric.
  std::string unknown;
};

// True when the upload's outcome is known (see upload_sample::unknown).
[[nodiscard]] inline bool is_known(const upload_sample& u) {
  return u.unknown.empty();
}

// One expectation of a case, checked.
struct check_result {
  std::string name;  // e.g. "success_rate", "integrity", "latency_p99_ms", "metrics_agree"
  bool passed = false;
  std::string expected;  // e.g. ">= 0.999"
  std::string measured;  // e.g. "0.9985 [0.9951, 0.9995] n=2000"
  bool not_run = false;  // the check could not run (`measured` says why); it neither passes nor
                         // fails the case, and every report shows it as "not checked"
};

// One case: its parameters, raw samples, aggregates and checks.
struct case_record {
  std::string id;  // unique in the run, e.g. "phase3-file-variants/csv-1MiB-kimi-c10-async-none"
  std::string scenario;  // scenario name
  case_status status = case_status::skipped;
  std::string message;  // why it failed or errored
  std::map<std::string, std::string>
      parameters;  // file_type, size, provider, concurrency, route, stage, faults
  std::vector<upload_sample> uploads;
  double wall_seconds = 0;
  double throughput_bytes_per_s = 0;
  double uploads_per_s = 0;
  std::optional<std::uint64_t> peak_rss_bytes;  // subject's, from wait4
  std::optional<double> cpu_seconds;            // subject's user + system, from wait4
  std::map<std::string, double> values;         // further named measurements (bucket shares, ...)
  std::vector<check_result> checks;
  std::string subject_stderr_tail;  // secrets redacted
  std::uint64_t plan_index = 0;     // position in the unsharded plan; merge_runs orders cases by it
};

// The verdict on a claim.
enum class verdict { verified, refuted, inconclusive, error, unverifiable };

// A confidence interval.
struct interval {
  double low = 0;
  double high = 0;
  double confidence = 0.95;
};

// What was measured for a claim, with how.
struct measured_value {
  std::optional<double> value;
  std::optional<interval> ci;      // at the claim's level after the run's error control
  std::optional<interval> raw_ci;  // at the claim's own (unadjusted) level; equal to ci for none
  std::uint64_t n = 0;
  std::string method;  // e.g. "wilson", "bootstrap ratio of medians (2000 resamples, seed 7)"
};

// A claim with its verdict and the numbers behind it.
struct claim_record {
  std::string id;
  std::string text;      // the wording being checked
  std::string source;    // where it stands in the checked document
  std::string scenario;  // scenario name
  std::string metric;
  verdict result = verdict::inconclusive;
  std::string expected;  // the claimed relation in words, e.g. "ratio in [5, 10]"
  measured_value measured;
  std::string explanation;                      // one sentence
  std::optional<std::uint64_t> samples_needed;  // for inconclusive: how many would settle it
  std::string reason;                           // for unverifiable / error
  std::string spec_json;   // the claim's spec (rollproof::claims::to_json), so merge can re-judge
  std::uint64_t seed = 0;  // the seed the claim's bootstrap used
};

// How the claims of a run controlled their errors as one family ([claims] in scenarios/FORMAT.md).
struct error_control {
  std::string method = "none";    // "holm" (family-wise), "bh" (false discovery rate) or "none"
  double alpha = 0.05;            // the family's error rate; each claim's raw level is 1 - alpha
  std::uint64_t family_size = 0;  // claims with an interval, judged together
};

// A whole run.
struct run_record {
  provenance prov;
  std::vector<scenario_record> scenarios;
  std::vector<case_record> cases;
  std::vector<claim_record> claims;
  reports::error_control error_control;  // a record that predates it reads as none
  bool aborted = false;
  std::string abort_reason;  // e.g. "SIGTERM"
};

// "shard(s) 2, 3 of 3 missing" for the missing indices of a shard set of `total`; empty for none.
[[nodiscard]] std::string missing_shards_text(const std::vector<std::uint64_t>& missing,
                                              std::uint64_t total);

// True when the record is a merge of an incomplete shard set (`merge --allow-partial`).
[[nodiscard]] inline bool is_partial(const run_record& run) {
  return !run.prov.missing_shards.empty();
}

// Stable lowercase names used in every report.
[[nodiscard]] const char* to_string(case_status s);
[[nodiscard]] const char* to_string(verdict v);
[[nodiscard]] const char* to_string(upload_phase p);

// True when `u` was sent under its case's own configuration (not after a rollback).
[[nodiscard]] inline bool in_own_phase(const upload_sample& u) {
  return u.phase == upload_phase::stage;
}

// Users, not uploads, are the independent draws of a sticky rollout: a user's uploads all take
// the route of their bucket. The share counts each user once, by their first routed upload.
struct user_share {
  std::uint64_t users = 0;  // distinct users with a routed upload in the phase
  std::uint64_t async = 0;  // of them, those whose first upload started on the async route
  std::uint64_t mixed = 0;  // users whose uploads in the phase started on both routes
  std::string first_mixed;
  [[nodiscard]] double share() const;  // async / users, 0 without users
};

// The async share over the distinct users of `uploads` sent in `phase` (routes from the ledger;
// uploads without a route are left out, each upload without a user id counts as one user).
[[nodiscard]] user_share async_share_of_users(const std::vector<upload_sample>& uploads,
                                              upload_phase phase);

}  // namespace rollproof::reports
