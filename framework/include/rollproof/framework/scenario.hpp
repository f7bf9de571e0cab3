#pragma once
// The scenario model: what one TOML scenario file asks the runner to do (see scenarios/FORMAT.md).

#include <toml++/toml.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rollproof/common/diagnostic.hpp"

namespace rollproof::framework {

// The kinds of corpus file a case can upload.
enum class file_type { text, json, csv, markdown, python, binary };

// How uploads are offered: C in flight (closed) or at a fixed arrival rate (open, wrk2-style).
enum class arrival_model { closed, open };

// One rollout stage: the async flag at `percent`, `uploads` uploads spread over `users` users.
struct stage {
  double percent = 0;
  std::uint32_t users = 0;
  std::uint32_t uploads = 0;
};

// A mock provider's settings; a provider named in the matrix without a table gets these defaults.
struct provider_config {
  std::string name;     // "kimi" or "glm"
  std::string api_key;  // default "sk-rollproof-<name>"; a secret, never printed
  std::optional<std::uint64_t> max_file_size;
  std::optional<std::uint32_t> max_files;
  std::optional<std::string> rate_tier;  // "tier0".."tier5"
  std::optional<std::uint32_t> max_concurrency;
  std::optional<std::uint32_t> rpm;
  std::string store = "none";  // "none" | "memory" | a directory under --out
};

// Per-case expectations of [expect]. Strict by default: every upload succeeds (success_rate >= 1)
// and every ok upload is intact; a scenario relaxes either only by setting it. An absent latency
// or timeout bound is not checked.
struct expectations {
  std::optional<double> success_rate_at_least = 1.0;
  std::optional<double> success_rate_at_most;  // set: a negative test, zero ok uploads may pass
  bool success_rate_default = true;            // true: the scenario left success_rate unset
  bool integrity_all = true;
  bool integrity_default = true;  // true: the scenario left integrity unset
  std::optional<double> latency_p50_ms_at_most;
  std::optional<double> latency_p95_ms_at_most;
  std::optional<double> latency_p99_ms_at_most;
  std::optional<double> timeout_rate_at_most;
};

// The keys of one [expect] or [[expect.when]] table; a key it does not set leaves the value it
// would override alone.
struct expectations_patch {
  std::optional<double> success_rate_at_least;  // with at_most: one table, both sides replaced
  std::optional<double> success_rate_at_most;
  std::optional<bool> integrity_all;
  std::optional<double> latency_p50_ms_at_most;
  std::optional<double> latency_p95_ms_at_most;
  std::optional<double> latency_p99_ms_at_most;
  std::optional<double> timeout_rate_at_most;

  // Writes every key this table sets into `base`.
  void apply_to(expectations& base) const;
};

// An [[expect.when]] table: for the cases its cell matches, its keys replace [expect]'s.
struct expectation_override {
  std::map<std::string, std::string> cell;  // dimension -> value, as an `exclude` cell
  expectations_patch patch;
};

// The matrix of [matrix]: its cartesian product, minus `exclude`, plus `include`, makes the cases.
struct matrix_spec {
  std::vector<file_type> file_types{file_type::text};
  std::vector<std::uint64_t> sizes{1024 * 1024};
  std::vector<std::string> size_labels{"1MiB"};  // as written, used in case ids
  std::vector<std::string> providers{"kimi"};
  std::vector<std::uint32_t> concurrency{4};
  std::vector<std::string> routes{"async"};  // "sync" | "async"; empty when stages are given
  std::vector<stage> stages;
  std::vector<std::string> faults{"none"};
  arrival_model model = arrival_model::closed;
  double arrival_rate = 0;                                  // uploads per second, open model only
  std::uint32_t uploads = 20;                               // per case (route cases)
  std::vector<std::map<std::string, std::string>> exclude;  // partial cells, dimension -> value
  std::vector<std::map<std::string, std::string>> include;  // extra cells
};

// A named set of fault rules, already in the JSON shape PUT /_mock/faults takes.
struct fault_profile {
  std::string name;
  boost::json::value plan;  // {"rules":[...]}
};

// The bucketing-property case of [bucketing]: the subject's `bucket` op over user ids of real
// shapes.
struct bucketing_spec {
  std::vector<std::string> shapes{"sequential", "uuid",  "email",
                                  "prefixed",   "short", "non_ascii"};  // user id shapes
  std::uint32_t users = 20000;                                          // distinct users per shape
  std::vector<double> percents{1, 10, 50, 100};  // rollout percents checked, in increasing order
  std::string scheme = "rollproof";              // the flag's bucketing scheme
  std::string salt = "async_upload";             // the flag's salt
  std::string second_salt = "async_upload_b";    // the independent flag's salt
  double alpha = 0.001;  // family-wise false-alarm rate, split over the statistical checks
};

// Rollback gates of [rollback], judged at every stage above 0%: sequentially as uploads complete
// (time-uniform confidence sequences, error-controlled) or in windows of uploads (one window is
// one analysis measurement, as in Argo Rollouts' AnalysisRun; not error-controlled).
struct rollback_spec {
  std::string to = "previous";               // "previous" stage's percent, or "zero"
  std::string method = "sequential";         // "sequential" or "windows"
  double alpha = 0.05;                       // sequential: false-rollback rate over all stages
  std::string on_inconclusive = "hold";      // sequential, undecided stage: hold|rollback|promote
  std::uint32_t window = 50;                 // uploads per measurement, in send order
  std::uint32_t min_samples = 10;            // fewer async-route uploads in a window: inconclusive
  std::optional<double> error_rate_at_most;  // failed first async attempts / async uploads
  std::optional<double> latency_p95_ms_at_most;  // ok async-route uploads
  std::optional<double> timeout_rate_at_most;    // timed-out uploads / uploads of the window
  // sequential: canary (async) error rate minus the same stage's baseline (sync) error rate
  std::optional<double> error_rate_over_baseline_at_most;
  std::uint32_t failure_limit = 0;            // failed measurements tolerated
  std::uint32_t inconclusive_limit = 0;       // inconclusive measurements tolerated
  std::uint32_t consecutive_error_limit = 4;  // unmeasurable windows in a row tolerated
  std::uint32_t verify_uploads = 100;         // uploads sent after a rollback
  bool expect_rollback = false;               // true: the gates must trip ("rollback"), else "hold"
};

// The subject to run and the settings passed through to its `configure`.
struct subject_spec {
  std::vector<std::string> command;  // empty: the built rollproof-upload beside rollproof
  boost::json::object settings;
};

// [claims]: how the claims of a run control their errors as one family (scenarios/FORMAT.md).
struct claims_settings {
  std::string error_control = "holm";  // "holm" (family-wise), "bh" (false discovery rate), "none"
  double alpha = 0.05;                 // the family's error rate, in (0, 0.5]
  bool stated = false;                 // the file has a [claims] table
};

// One loaded, validated scenario file.
struct scenario {
  std::string file;  // path as given
  std::string sha256;
  std::string name;
  rollproof::source_position name_where;  // where `name` is written (for duplicate names)
  std::string description;
  std::uint64_t seed = 1;
  std::chrono::milliseconds time_limit{60'000};  // deadline of each case
  std::uint32_t repeat = 1;  // [scenario] repeat: runs of each cell (--repeat overrides it)
  subject_spec subject;
  std::map<std::string, provider_config> providers;  // every provider the matrix uses
  matrix_spec matrix;
  expectations expect;                            // [expect]: every case
  std::vector<expectation_override> expect_when;  // [[expect.when]], in file order
  std::map<std::string, fault_profile> faults;    // "none" is built in and never listed here
  std::vector<toml::table> claims;          // [[claim]] tables, validated by the claims library
  std::optional<bucketing_spec> bucketing;  // [bucketing]: adds the case "<name>/bucketing"
  std::optional<rollback_spec> rollback;    // [rollback]: gates on stage cases
  claims_settings claim_family;             // [claims]
  bool has_matrix = true;  // false: no [matrix] table (with [bucketing], only the bucketing case)
  diagnostics warnings;    // problems that do not stop a run, as "file:line:col: warning: ..."
};

// Stable lowercase name of a file type ("text", "json", ...).
[[nodiscard]] const char* to_string(file_type t);
// Parses a file type name; nullopt for anything else.
[[nodiscard]] std::optional<file_type> parse_file_type(std::string_view name);

}  // namespace rollproof::framework
