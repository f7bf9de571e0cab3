#include "rollproof/reports/run_record.hpp"

#include <map>
#include <set>

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

double user_share::share() const {
  return users == 0 ? 0 : static_cast<double>(async) / static_cast<double>(users);
}

user_share async_share_of_users(const std::vector<upload_sample>& samples, upload_phase phase) {
  std::map<std::string, std::string> route_of;  // user -> route of their first routed upload
  user_share out;
  std::set<std::string> mixed;
  for (const auto& s : samples) {
    if (s.phase != phase || s.route.empty()) continue;
    // An upload without a user id cannot be matched to another: it counts as its own user.
    const auto [it, first] =
        s.user.empty() ? std::pair{route_of.end(), true} : route_of.emplace(s.user, s.route);
    if (first) {
      ++out.users;
      out.async += s.route == "async" ? 1 : 0;
    } else if (it->second != s.route && mixed.insert(s.user).second) {
      ++out.mixed;
      if (out.first_mixed.empty()) out.first_mixed = s.user;
    }
  }
  return out;
}

const char* to_string(upload_phase p) {
  return p == upload_phase::after_rollback ? "after_rollback" : "stage";
}

}  // namespace rollproof::reports
