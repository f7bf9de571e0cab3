// libFuzzer target: the runner's side of the protocol (framework/): a subject's answer line read
// as the driver reads an upload answer and as the bucketing case reads a bucket answer, then
// joined with a mock ledger the way the driver joins a case's samples.
// Input: the answer line, a newline, then the ledger JSON.

#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "case_checks.hpp"
#include "subject_answers.hpp"

namespace {

boost::json::value parse_or_null(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  return ec ? boost::json::value{} : v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace detail = rollproof::framework::detail;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const auto answer = parse_or_null(input.substr(0, newline));
  const auto ledger = parse_or_null(newline == std::string_view::npos ? std::string_view{}
                                                                      : input.substr(newline + 1));
  detail::upload_run run{2};
  if (answer.is_object()) {
    // The same answer twice: the second must be refused whatever the first did.
    const auto now = std::chrono::steady_clock::now();
    const bool first = detail::take_upload_answer(answer.as_object(), run, now);
    if (first && detail::take_upload_answer(answer.as_object(), run, now)) __builtin_trap();
    if (run.done > 1) __builtin_trap();
    detail::bucket_decisions decisions;
    for (std::size_t users : {0, 1, 2, 3}) {
      const auto before = decisions.enabled.size();
      const auto taken = detail::append_bucket_answer(answer.as_object(), users, decisions);
      if (taken && decisions.enabled.size() != before + users) __builtin_trap();
    }
  }
  if (ledger.is_array())
    detail::join_ledger(run.samples, run.file_ids, ledger.as_array(), std::string(64, '0'), 1024);
  return 0;
}
