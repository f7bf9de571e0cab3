#pragma once
// Runs one case: faults and reset on the mock, a fresh subject configured for the route or stage,
// the uploads offered (closed or open model), answers joined with the mock's ledger, checks.

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rollproof/common/redact.hpp"
#include "rollproof/framework/corpus.hpp"
#include "rollproof/framework/mock_server.hpp"
#include "rollproof/framework/plan.hpp"
#include "rollproof/framework/scenario.hpp"
#include "rollproof/reports/run_record.hpp"

namespace rollproof::framework {

// Everything a case needs from the run.
struct case_context {
  const scenario& sc;
  const case_spec& spec;
  corpus& files;
  std::map<std::string, mock_server*> mocks;  // every running mock of the scenario, by provider
  std::vector<std::string> subject_command;
  std::uint64_t seed = 0;  // the scenario's seed, or --seed
  const redactor& secrets;
  const std::atomic<int>& stop_signal;  // non-zero: stop now (the signal number)
  // Stage cases: user -> lowest stage percent at which the ledger saw the user on the async route,
  // shared by the stage cases of one scenario (checked and extended by each); null: not checked.
  std::map<std::string, double>* async_users = nullptr;
  // When set, advanced to the number of answered uploads as they come in (the runner's heartbeat).
  std::atomic<std::size_t>* answered = nullptr;
};

// Runs the case and returns its record: passed/failed by its checks, error with the cause when
// the infrastructure (subject, mock, corpus) failed, every string redacted.
[[nodiscard]] reports::case_record run_case(const case_context& cx);

// Where the users of the uploads after a rollback start, past every stage's users.
inline constexpr std::uint64_t fresh_users_from = 500000;

// The user id of upload `i` of a case: "user-NNNNNN", distinct per upload for route cases and
// cycling over the stage's users for stage cases; uploads past the stage's own (`i >=
// spec.uploads`, sent after a rollback) each get a fresh user no stage has. The same seed gives
// the same users.
[[nodiscard]] std::string user_for_upload(std::uint64_t seed, const case_spec& spec,
                                          std::uint64_t i);

}  // namespace rollproof::framework
