#pragma once
// The join of a case's answers with the mock's ledger, and the case's checks.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rollproof/framework/mock_server.hpp"
#include "rollproof/framework/plan.hpp"
#include "rollproof/framework/scenario.hpp"
#include "rollproof/reports/run_record.hpp"

namespace rollproof::framework::detail {

// Fills route, ledger_attempts and integrity_ok of every sample from the ledger; `file_ids[i]` is
// the id the subject reported for sample i; `sha256`/`size` describe the uploaded corpus file.
void join_ledger(std::vector<reports::upload_sample>& samples,
                 const std::vector<std::string>& file_ids, const boost::json::array& ledger,
                 const std::string& sha256, std::uint64_t size);

// Marks every sample unknown with `reason` (e.g. "the mock died"), for a case whose ledger is
// lost: none is then an integrity failure or a timeout, none has a ledger route or attempt.
void mark_unknown(std::vector<reports::upload_sample>& samples, const std::string& reason);

// Appends the "success_rate" check of `ok` of `n` uploads against the case's bounds (none: no
// check). It fails when no upload was sent, and when no upload is ok unless the bounds give an
// upper side (a negative test); its expected text ends in " (default)" for the default bound.
void add_success_rate_check(reports::case_record& rec, const expectations& expect, std::uint64_t ok,
                            std::uint64_t n);

// Appends the case's checks (expectations, integrity, attempts, route or the stage's rollout share
// over its own uploads' users) and its named values, over the uploads whose outcome is known; when
// any is unknown, every one of these checks is not run and says how many and why. The metrics
// checks are metrics_checks.hpp's.
void add_checks(const scenario& sc, const case_spec& spec, reports::case_record& rec);

// Appends the "harness_untouched" check: it fails when any of `mocks` refused an admin request
// (PUT /_mock/faults, POST /_mock/reset, ...) since it was last asked, which only the subject can
// have sent (the runner holds the token), and when a mock cannot say ("not measured: ...").
void add_harness_check(const std::map<std::string, mock_server*>& mocks, reports::case_record& rec);

}  // namespace rollproof::framework::detail
