#pragma once
// A strict reader of the Prometheus text exposition format (version 0.0.4), enough to compare a
// subject's counters with its JSON metrics and the mock's ledger.

#include <expected>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace rollproof::framework::detail {

// One sample line: `name{label="value",...} value [timestamp]`.
struct prometheus_sample {
  std::string name;
  std::map<std::string, std::string> labels;  // escapes (\\, \", \n) resolved
  double value = 0;
};

// Every sample of `text` in order. Fails with "line L:C: what is wrong" on the first line that is
// not a valid sample, HELP, TYPE or comment line; on a TYPE that is repeated, unknown or comes
// after its metric's samples; on a sample repeated with the same labels; on a negative counter.
[[nodiscard]] std::expected<std::vector<prometheus_sample>, std::string> parse_prometheus_text(
    std::string_view text);

// The sum of the values of the samples named `name` whose labels include all of `match`.
[[nodiscard]] double sum_of(const std::vector<prometheus_sample>& samples, std::string_view name,
                            const std::map<std::string, std::string>& match);

}  // namespace rollproof::framework::detail
