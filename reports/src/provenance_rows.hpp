#pragma once
// The provenance of a run as labelled rows, the one wording summary.md and report.html share.

#include <string>
#include <utility>
#include <vector>

#include "rollproof/reports/run_record.hpp"

namespace rollproof::reports::detail {

// (label, text) rows: partial (only when partial), commit, branch, describe, host (unless merged),
// command line, each tool version, time, seed, shard, one row per merged shard (host, command,
// times), and one per scenario (file, sha256, the seed its cases ran with, subject command, hello
// and sha256).
[[nodiscard]] std::vector<std::pair<std::string, std::string>> provenance_rows(
    const run_record& run);

// The subject in one line: `command` (name version from hello, program sha256).
[[nodiscard]] std::string subject_text(const subject_info& s);

// reports::missing_shards_text of the record's provenance: empty unless it is partial.
[[nodiscard]] std::string missing_shards_text(const run_record& run);

}  // namespace rollproof::reports::detail
