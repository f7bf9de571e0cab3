#pragma once
// What `rollproof` prints for a person watching: a line per finished case, heartbeats while a case
// runs long, the claims table, the closing line, and when to colour them.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "rollproof/reports/run_record.hpp"

namespace rollproof::framework {

// `--color`: `automatic` colours a terminal unless NO_COLOR is set and not empty; `always` colours
// (NO_COLOR notwithstanding: a flag overrides the environment); `never` does not.
enum class color_mode { automatic, always, never };

// Whether output written to file descriptor `fd` gets ANSI colours under `mode`.
[[nodiscard]] bool use_color(color_mode mode, int fd);

// "1 claim", "2 claims", "0 cases": `n` and `word`, with an "s" unless `n` is 1.
[[nodiscard]] std::string count_of(std::size_t n, std::string_view word);

// The run's last line, e.g. "rollproof: 35 cases (33 passed, 2 failed), 5 claims (3 verified, 1
// refuted, 1 inconclusive) in 12.4 s; exit 1": every outcome with a non-zero count, in the order
// of the report; `seconds` < 0 leaves out the " in ..." part.
[[nodiscard]] std::string closing_line(std::string_view program, const reports::run_record& run,
                                       double seconds, int exit_code);

// A duration as a person reads it: "0.4 s", "12.4 s", "1 min 24 s".
[[nodiscard]] std::string duration_text(double seconds);

// Why a claim has the verdict it has, for the claims table: the reason of an error, inconclusive
// or unverifiable claim (what would settle an inconclusive one), empty for the others.
[[nodiscard]] std::string claim_reason(const reports::claim_record& claim);

// Prints the claims table (claim, verdict, measured, expected, and reason when a claim has one) or
// "no claims"; verdicts coloured when `color`.
void print_claims_table(const reports::run_record& run, std::ostream& out, bool color = false);

// A heartbeat line: "[3/35] ID still running after 10 s, 12/50 uploads answered" (the uploads part
// only when `uploads` > 0).
[[nodiscard]] std::string heartbeat_line(std::size_t index, std::size_t total, std::string_view id,
                                         double seconds, std::size_t answered, std::size_t uploads);

// The heartbeat interval: ROLLPROOF_HEARTBEAT_SECONDS when it is a positive number (for tests),
// else 5 s.
[[nodiscard]] std::chrono::duration<double> heartbeat_interval();

// The progress of a run on `out`: a line per finished case with its status, real duration and
// ETA, and a heartbeat line every `heartbeat` while a case runs (so a CI job's no-output timeout
// never kills a healthy run). The heartbeat runs on its own thread; every write is under a mutex.
class progress_printer {
 public:
  progress_printer(std::ostream& out, std::size_t total, bool color,
                   std::chrono::duration<double> heartbeat);
  ~progress_printer();
  progress_printer(const progress_printer&) = delete;
  progress_printer& operator=(const progress_printer&) = delete;

  // Case `index` (1-based) starts; heartbeats count `uploads` and answered() from now on.
  void case_started(std::size_t index, std::string_view id, std::size_t uploads);
  // The counter the running case advances as its uploads are answered (reset by case_started).
  [[nodiscard]] std::atomic<std::size_t>& answered() { return answered_; }
  // The case ended: its line, with `seconds`, the time since case_started.
  void case_done(const reports::case_record& c, double seconds);

 private:
  void beat();

  std::ostream& out_;
  std::size_t total_;
  bool color_;
  std::chrono::duration<double> interval_;
  std::chrono::steady_clock::time_point run_started_;
  std::atomic<std::size_t> answered_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::size_t generation_ = 0;  // changes at every case start and end
  bool running_ = false;
  std::size_t index_ = 0;
  std::string id_;
  std::size_t uploads_ = 0;
  std::chrono::steady_clock::time_point case_started_;
  std::thread thread_;  // last: started once every member above exists
};

}  // namespace rollproof::framework
