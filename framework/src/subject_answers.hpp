#pragma once
// What the runner reads from a subject's answers: upload answers into a case's samples, bucket
// answers into per-user decisions. Answers come from the program under test: nothing in them is
// trusted (ids, types, numbers, lengths), and nothing in them can make these functions throw.

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "rollproof/reports/run_record.hpp"

namespace rollproof::framework::detail {

// The uploads of one case while they are offered and answered; sample i is request "u-<i>".
struct upload_run {
  std::vector<reports::upload_sample> samples;
  std::vector<std::string> file_ids;
  std::vector<std::chrono::steady_clock::time_point> started;  // intended or actual send time
  std::vector<bool> answered;
  std::size_t in_flight = 0;
  std::size_t done = 0;
  bool leaked = false;

  // Room for `n` uploads, none sent.
  explicit upload_run(std::size_t n = 0);
};

// Records answer `a` to upload "u-<i>" in sample i (ok, fallback, attempts, status, route, error
// code, file id, latency up to `now`); returns false, changing nothing, for any other id, a
// second answer to the same upload, or an id past the run's uploads.
bool take_upload_answer(const boost::json::object& a, upload_run& run,
                        std::chrono::steady_clock::time_point now);

// What a subject answered for a list of users under one configuration.
struct bucket_decisions {
  std::vector<bool> enabled;
  std::vector<std::int64_t> buckets;  // empty when the subject omits them or any answer lacks them
  std::int64_t scale = 0;
};

// Appends the answer to a `bucket` op over `users` users: `enabled` must be an array of that
// length (a non-boolean counts as disabled); `buckets` and `scale` are kept when well formed, a
// bucket that is not an integer becomes -1. The error says what the answer lacks.
std::expected<void, std::string> append_bucket_answer(const boost::json::object& a,
                                                      std::size_t users, bucket_decisions& out);

}  // namespace rollproof::framework::detail
