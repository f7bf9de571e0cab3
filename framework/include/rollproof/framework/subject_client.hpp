#pragma once
// The runner's side of the subject protocol (docs/subject-protocol.md): newline-delimited
// JSON requests on the subject's stdin, answers in any order on its stdout.

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
  std::string raw;              // the line as received, for leak scanning
};

// A running subject after a successful hello.
class subject_client {
 public:
  // Starts `command` and says hello within `timeout`; the error includes the stderr tail.
  [[nodiscard]] static std::expected<std::unique_ptr<subject_client>, std::string> start(
      const std::vector<std::string>& command, std::chrono::milliseconds timeout);

  // Sends a request line; false when the subject no longer reads.
  bool send(const boost::json::object& request);
  // Sends `request` (given a fresh id) and waits for its answer; answers to other requests that
  // arrive meanwhile are kept for next(). The error says what went wrong.
  [[nodiscard]] std::expected<boost::json::object, std::string> call(
      boost::json::object request, std::chrono::steady_clock::time_point deadline);
  // The next answer (kept ones first), waiting until `deadline`.
  subject_answer next(std::chrono::steady_clock::time_point deadline);
  // Sends shutdown, closes stdin, and reaps the subject (killing it after `deadline`).
  exit_info finish(std::chrono::steady_clock::time_point deadline);

  // The hello answer (subject name, version, capabilities).
  [[nodiscard]] const boost::json::object& hello() const { return hello_; }
  // True when the subject listed `capability` in its hello answer.
  [[nodiscard]] bool has_capability(std::string_view capability) const;
  // Every raw stdout line seen so far is also scanned by the caller; this is the process.
  [[nodiscard]] child_process& process() { return *process_; }

 private:
  std::unique_ptr<child_process> process_;
  boost::json::object hello_;
  std::deque<subject_answer> kept_;
  unsigned next_id_ = 0;
};

}  // namespace rollproof::framework
