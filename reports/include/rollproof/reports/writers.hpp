#pragma once
// Every report of a run, written together, and the way back from evidence JSON (for merge).

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

#include "rollproof/common/redact.hpp"
#include "rollproof/reports/run_record.hpp"

namespace rollproof::reports {

// Writes junit.xml, evidence.json, evidence.intoto.json, summary.md, report.html into out_dir
// (created if missing), each atomically (rollproof::write_file_atomically), every secret redacted.
[[nodiscard]] std::expected<void, std::string> write_reports(const run_record& run,
                                                             const std::filesystem::path& out_dir,
                                                             const rollproof::redactor& secrets);

// Reads an evidence.json that write_reports wrote, or says what is wrong with it.
[[nodiscard]] std::expected<run_record, std::string> read_evidence(
    const std::filesystem::path& evidence_json);

// Joins shard records into the record an unsharded run would give (apart from timings),
// re-evaluating every claim over the joined cases (claim specs travel in the evidence JSON).
[[nodiscard]] run_record merge_runs(std::vector<run_record> shards);

// A copy of `run` with every secret replaced by "[REDACTED]" in every string it holds.
[[nodiscard]] run_record redacted(const run_record& run, const rollproof::redactor& secrets);

}  // namespace rollproof::reports
