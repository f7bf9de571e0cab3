#include "rollproof/reports/run_record.hpp"

namespace rollproof::reports {

std::string missing_shards_text(const std::vector<std::uint64_t>& missing, std::uint64_t total) {
  if (missing.empty()) return {};
  std::string list;
  for (const auto k : missing)
    list += (list.empty() ? "" : ", ") + std::to_string(k);
  return "shard(s) " + list + " of " + std::to_string(total) + " missing";
}

std::string commit_text(const git_info& g) {
  return g.work_tree ? g.commit : "not a git work tree";
}

const char* to_string(case_status s) {
  switch (s) {
    case case_status::passed:
      return "passed";
    case case_status::failed:
      return "failed";
    case case_status::error:
      return "error";
    case case_status::skipped:
      return "skipped";
  }
  return "error";
}

const char* to_string(verdict v) {
  switch (v) {
    case verdict::verified:
      return "verified";
    case verdict::refuted:
      return "refuted";
    case verdict::inconclusive:
      return "inconclusive";
    case verdict::error:
      return "error";
    case verdict::unverifiable:
      return "unverifiable";
  }
  return "error";
}

}  // namespace rollproof::reports
