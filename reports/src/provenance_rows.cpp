#include "provenance_rows.hpp"

#include <fmt/format.h>

namespace rollproof::reports::detail {
namespace {

std::string words(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& w : v)
    out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string host_text(const host_info& h) {
  return fmt::format("{}: {}, {} cores, {} MiB, {}", h.hostname, h.cpu_model, h.cores,
                     h.memory_bytes / 1048576, h.os);
}

}  // namespace

std::string subject_text(const subject_info& s) {
  const std::string hello = s.name.empty() ? "no hello answer" : s.name + " " + s.version;
  const std::string digest =
      s.program_sha256.empty() ? "program is not a file" : "sha256 " + s.program_sha256;
  return fmt::format("`{}` ({}, {})", words(s.command), hello, digest);
}

std::string missing_shards_text(const run_record& run) {
  return reports::missing_shards_text(run.prov.missing_shards, run.prov.shard_total);
}

std::vector<std::pair<std::string, std::string>> provenance_rows(const run_record& run) {
  const provenance& p = run.prov;
  std::vector<std::pair<std::string, std::string>> rows;
  if (is_partial(run))
    rows.emplace_back("partial", "PARTIAL: " + missing_shards_text(run) +
                                     "; cases and claims cover only the shards given");
  rows.emplace_back("commit",
                    commit_text(p.git) + (p.git.dirty ? " (with uncommitted changes)" : ""));
  rows.emplace_back("branch", p.git.branch);
  rows.emplace_back("describe", p.git.describe);
  if (p.shards.empty()) rows.emplace_back("host", host_text(p.host));  // else one per shard
  rows.emplace_back("command line", words(p.command_line));
  for (const auto& [k, v] : p.versions)
    rows.emplace_back("version " + k, v);
  rows.emplace_back("time", p.started_at + " to " + p.finished_at);
  rows.emplace_back("run id", p.run_id);
  rows.emplace_back("seed", p.seed ? fmt::format("{} (--seed, for every scenario)", *p.seed)
                                   : std::string("each scenario's own (see its row)"));
  if (p.shards.empty())
    rows.emplace_back("shard", fmt::format("{} of {}", p.shard_index, p.shard_total));
  else
    rows.emplace_back("shard",
                      fmt::format("merged from {} of {} shards", p.shards.size(), p.shard_total));
  for (const auto& s : p.shards)
    rows.emplace_back(fmt::format("shard {}/{}", s.index, s.total),
                      fmt::format("{}; `{}`; {} to {}", host_text(s.host), words(s.command_line),
                                  s.started_at, s.finished_at));
  for (const auto& s : run.scenarios)
    rows.emplace_back("scenario " + s.name, fmt::format("{} sha256 {}, seed {}, subject {}", s.file,
                                                        s.sha256, s.seed, subject_text(s.subject)));
  if (run.aborted) rows.emplace_back("aborted", run.abort_reason);
  return rows;
}

}  // namespace rollproof::reports::detail
