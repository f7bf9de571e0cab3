#pragma once
// The runner's side of the subject protocol (docs/subject-protocol.md): newline-delimited
// JSON requests on the subject's stdin, answers in any order on its stdout. Every byte the subject
// writes (stdout and stderr) and every answer is scanned for the secrets it is given.

#include <atomic>
#include <boost/json/object.hpp>
#include <chrono>
#include <deque>
#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "rollproof/framework/child_process.hpp"

namespace rollproof::framework {

// What a read of the next answer gave.
struct subject_answer {
  read_status status = read_status::timeout;
  boost::json::object message;  // when status is line (lines that are not JSON objects are skipped)
  std::string raw;              // the line as received
};

// A running subject after a successful hello.
class subject_client {
 public:
  // Starts `command` and says hello within `timeout`; the error includes the stderr tail. Every
  // byte of its stdout and stderr and every answer is scanned for each of `secrets` (leak_seen_in);
  // writes give up once `*stop` (when given) is non-zero.
  [[nodiscard]] static std::expected<std::unique_ptr<subject_client>, std::string> start(
      const std::vector<std::string>& command, std::chrono::milliseconds timeout,
      std::vector<std::string> secrets = {}, const std::atomic<int>* stop = nullptr);

  // Sends a request line by `deadline`; the error says why not: "the subject stopped reading its
  // input (...)", "stopped by a signal", "stdin closed".
  [[nodiscard]] std::expected<void, std::string> send(
      const boost::json::object& request, std::chrono::steady_clock::time_point deadline);
  // Sends a request line within 10 s; false when it was not sent.
  bool send(const boost::json::object& request);
  // Sends `request` (given a fresh id) and waits for its answer; answers to other requests that
  // arrive meanwhile are kept for next(). The error says what went wrong.
  [[nodiscard]] std::expected<boost::json::object, std::string> call(
      boost::json::object request, std::chrono::steady_clock::time_point deadline);
  // The next answer (kept ones first), waiting until `deadline`.
  subject_answer next(std::chrono::steady_clock::time_point deadline);
  // Sends shutdown, closes stdin, and reaps the subject (killing it after `deadline`, or at once
  // when it stopped reading its input), with every descendant it left.
  exit_info finish(std::chrono::steady_clock::time_point deadline);

  // The hello answer (subject name, version, capabilities).
  [[nodiscard]] const boost::json::object& hello() const { return hello_; }
  // True when the subject listed `capability` in its hello answer.
  [[nodiscard]] bool has_capability(std::string_view capability) const;
  // Where a secret first appeared ("the subject's stdout", "the subject's stderr", "an answer of
  // the subject" for one only its parsed JSON shows), or empty when nowhere so far.
  [[nodiscard]] std::string leak_seen_in() const;
  // The process.
  [[nodiscard]] child_process& process() { return *process_; }

 private:
  // Parses `a.raw` into `a.message` and scans the answer; false when it is not a JSON object.
  bool take(subject_answer& a);

  std::unique_ptr<child_process> process_;
  boost::json::object hello_;
  std::deque<subject_answer> kept_;
  unsigned next_id_ = 0;
  std::vector<std::string> secrets_;
  const std::atomic<int>* stop_ = nullptr;
  bool answer_leaked_ = false;
};

}  // namespace rollproof::framework
