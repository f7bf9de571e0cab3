#pragma once
// The charts of report.html: per scenario the latency ECDFs by fault profile, throughput, memory
// and faults per case, bucket histograms and rollout stages; and the claims against their ranges.

#include <string>
#include <utility>

#include "rollproof/reports/run_record.hpp"

namespace rollproof::reports::detail {

// The "Charts" section: one subsection per scenario that has something to chart.
[[nodiscard]] std::string charts_section(const run_record& run);

// Each measured claim's interval drawn against its claimed range (from the claim's spec), in the
// verdict's colour; empty when no claim has a measured value.
[[nodiscard]] std::string claim_ranges(const run_record& run);

// The shares a rollout_share check at `n` users accepts for `target` (a share in [0, 1]): those
// whose exact 99.9% interval contains it; exactly the target at 0 and 1.
[[nodiscard]] std::pair<double, double> accepted_shares(double target, std::uint64_t n);

}  // namespace rollproof::reports::detail
