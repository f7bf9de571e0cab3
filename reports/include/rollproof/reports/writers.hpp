#pragma once
// Every report of a run, written together, and the way back from evidence JSON (for merge).

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

#include "rollproof/common/redact.hpp"
#include "rollproof/reports/run_record.hpp"

namespace rollproof::reports {

// The files of one report set, in the order write_reports writes them.
inline constexpr const char* report_file_names[] = {
    "junit.xml", "evidence.json", "evidence.intoto.json", "summary.md", "report.html"};

// Writes the report set (report_file_names) into out_dir (created if missing; refused when it is a
// symbolic link), every secret redacted, every file carrying run.prov.run_id (a fresh random one
// when it is empty). The set is one unit: all files are written to unpredictable temporary names
// (O_EXCL|O_NOFOLLOW under the directory's descriptor) and fsynced before any is renamed into
// place, so a link planted in out_dir is replaced, never followed. On any failure (a full disk
// included) the temporaries and every file of the set, old or new, are removed, so that no mixed
// set remains, and the error says so.
[[nodiscard]] std::expected<void, std::string> write_reports(const run_record& run,
                                                             const std::filesystem::path& out_dir,
                                                             const rollproof::redactor& secrets);

// Reads an evidence.json that write_reports wrote, or says what is wrong with it.
[[nodiscard]] std::expected<run_record, std::string> read_evidence(
    const std::filesystem::path& evidence_json);

// One shard record to merge and where it came from (named in merge's messages).
struct merge_input {
  std::string source;  // e.g. the shard's output directory
  run_record run;
};

// How strict merge_runs is.
struct merge_options {
  bool allow_partial = false;  // merge a set with missing shard indices (the result is partial)
};

// Joins the shard records of one plan into the record an unsharded run would give (apart from
// timings; prov.shards keeps each shard's host, command line and times), re-evaluating every claim
// over the joined cases (claim specs travel in the evidence JSON). Refuses, with every reason at
// once, inputs that are not one consistent set: a record without shard index and total, different
// totals, plans (case count, filter, repeat), scenario digests, seeds, commits, rollproof versions
// or subjects, a repeated shard index or case, and (unless allow_partial) a missing shard index.
// A partial result lists the missing indices in prov.missing_shards.
[[nodiscard]] std::expected<run_record, std::vector<std::string>> merge_runs(
    std::vector<merge_input> shards, merge_options options = {});

// A copy of `run` with every secret replaced by "[REDACTED]" in every string it holds.
[[nodiscard]] run_record redacted(const run_record& run, const rollproof::redactor& secrets);

}  // namespace rollproof::reports
