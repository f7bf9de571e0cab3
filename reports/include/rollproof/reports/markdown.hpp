#pragma once
// summary.md for CI job summaries: the claims table first, then the cases, then a legend.

#include <string>

#include "rollproof/reports/run_record.hpp"

namespace rollproof::reports {

// The Markdown summary of the run (GitHub-flavoured tables, `|` and newlines in cells escaped).
[[nodiscard]] std::string render_markdown(const run_record& run);

}  // namespace rollproof::reports
