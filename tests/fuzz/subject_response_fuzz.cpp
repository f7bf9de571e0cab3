// libFuzzer target: the runner's side of the protocol (framework/): a subject's answer line as
// subject_client reads it, joined with a mock ledger the way the driver joins a case's samples.
// Input: the answer line, a newline, then the ledger JSON.

#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "case_checks.hpp"
#include "rollproof/reports/run_record.hpp"

namespace {

boost::json::value parse_or_null(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  return ec ? boost::json::value{} : v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto newline = input.find('\n');
  const auto answer = parse_or_null(input.substr(0, newline));
  const auto ledger = parse_or_null(newline == std::string_view::npos ? std::string_view{}
                                                                      : input.substr(newline + 1));
  std::vector<rollproof::reports::upload_sample> samples(2);
  std::vector<std::string> file_ids(2);
  if (answer.is_object()) {
    if (const auto* f = answer.as_object().if_contains("file_id"); f != nullptr && f->is_string())
      file_ids[0] = std::string(f->as_string());
  }
  if (ledger.is_array())
    rollproof::framework::detail::join_ledger(samples, file_ids, ledger.as_array(),
                                              std::string(64, '0'), 1024);
  return 0;
}
