#pragma once
// The subject's own metrics reconciled with the mock's ledger and the subject's answers, in every
// upload case (route, stage, rollback, fallback): its JSON totals, its Prometheus text, its
// fallback count.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "rollproof/reports/run_record.hpp"

namespace rollproof::framework::detail {

// What a case got from the subject's `metrics` op, or why it has nothing to check.
struct metrics_answer {
  std::optional<boost::json::object> json;  // the answer's "metrics" object
  std::optional<std::string> prometheus;    // the answer's "prometheus" text
  std::string not_checked;  // why the op was not asked ("the subject offers no metrics"); reports
                            // show it after "not checked, "
  std::string failure;      // why the answer of a subject that offers metrics is unusable
};

// Reads the answer to a `metrics` op (or the error of asking it); a missing or malformed
// "metrics" object is a failure, a missing "prometheus" text leaves `prometheus` empty.
[[nodiscard]] metrics_answer read_metrics_answer(const boost::json::object& answer);

// Appends the metrics checks of one case on `provider`: `metrics_agree` (JSON totals: attempts
// per route equal the ledger's upload requests, ok uploads equal the answers), `fallback_count`
// (JSON fallbacks equal the ledger's async-then-sync uploads) and `metrics_prometheus` (the text
// parses, and its attempts, ok-upload and fallback counters per route equal the JSON totals and
// the ledger). With `not_checked` set, one `metrics` check marked not run says why; with
// `failure` set, a failed `metrics_agree` says what is wrong.
void add_metrics_checks(const metrics_answer& m, const std::string& provider,
                        const boost::json::array& ledger, reports::case_record& rec);

}  // namespace rollproof::framework::detail
