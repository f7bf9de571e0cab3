#pragma once
// report.html: one self-contained page (inline CSS and SVG, no script, no network) with the claims,
// the cases and charts: latency ECDFs baseline vs candidate, throughput and memory bars, bucket
// histograms with the expected band, rollout share per stage with Wilson intervals.

#include <string>

#include "rollproof/reports/run_record.hpp"

namespace rollproof::reports {

// The HTML report of the run.
[[nodiscard]] std::string render_html(const run_record& run);

}  // namespace rollproof::reports
