#include "rollout_checks.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "json_number.hpp"
#include "rollproof/stats/wilson.hpp"

namespace rollproof::framework::detail {
namespace {

std::uint64_t count_of(const boost::json::value* v) {
  if (v == nullptr || !v->is_number()) return 0;
  const double d = v->to_number<double>();
  return d <= 0 ? 0 : static_cast<std::uint64_t>(std::llround(d));
}

}  // namespace

void add_rollout_sticky_check(const case_spec& spec, std::map<std::string, double>& async_users,
                              reports::case_record& rec, std::size_t count) {
  if (!spec.rollout) return;
  const double percent = spec.rollout->percent;
  std::uint64_t earlier = 0, left = 0;
  std::string first_left;
  std::set<std::string> seen;
  count = std::min(count, rec.uploads.size());
  for (std::size_t i = 0; i < count; ++i) {
    const auto& s = rec.uploads[i];
    if (s.route.empty() || !seen.insert(s.user + "|" + s.route).second) continue;
    const auto it = async_users.find(s.user);
    // Only users put on async at a stage no larger than this one must still be there.
    if (it == async_users.end() || it->second > percent) continue;
    ++earlier;
    if (s.route != "async") {
      ++left;
      if (first_left.empty())
        first_left = fmt::format(", first: {} (async at {}%)", s.user, it->second);
    }
  }
  for (std::size_t i = 0; i < count; ++i) {
    const auto& s = rec.uploads[i];
    if (s.route != "async") continue;
    auto [it, inserted] = async_users.emplace(s.user, percent);
    if (!inserted) it->second = std::min(it->second, percent);
  }
  rec.checks.push_back({"rollout_sticky", left == 0,
                        "users on the async route at an earlier, smaller stage stay on it",
                        fmt::format("{} of {} earlier async users left the async route (ledger){}",
                                    left, earlier, first_left)});
}

void add_fallback_check(const boost::json::array& ledger, const std::string& provider,
                        const boost::json::object& metrics, reports::case_record& rec) {
  // request id -> (an async attempt failed, a sync attempt was made)
  std::map<std::string, std::pair<bool, bool>> by_request;
  for (const auto& v : ledger) {
    if (!v.is_object()) continue;
    const auto& e = v.as_object();
    const std::string path = text_of(e, "path");
    if (text_of(e, "method") != "POST" || !path.ends_with("/files")) continue;
    auto& [async_failed, sync_tried] = by_request[text_of(e, "request_id")];
    // Only a fallback moves an upload from async to sync, whatever the failed attempt's status
    // was at the server (a client timeout can follow a late 200).
    if (text_of(e, "route") == "async") async_failed = true;
    if (text_of(e, "route") == "sync" && async_failed) sync_tried = true;
  }
  std::uint64_t seen = 0;
  for (const auto& [id, f] : by_request)
    seen += f.first && f.second ? 1 : 0;
  std::uint64_t reported = 0;
  const auto* totals = metrics.if_contains("totals");
  const auto* mine = totals != nullptr && totals->is_object()
                         ? totals->as_object().if_contains(provider)
                         : nullptr;
  if (mine != nullptr && mine->is_object()) {
    for (const auto& [route, t] : mine->as_object())
      if (t.is_object()) reported += count_of(t.as_object().if_contains("fallbacks"));
  }
  rec.values["fallbacks"] = static_cast<double>(seen);
  rec.checks.push_back(
      {"fallback_count", reported == seen,
       "the subject's fallback count equals the ledger's uploads with an async attempt followed "
       "by a sync attempt",
       fmt::format("subject {}, ledger {}", reported, seen)});
}

void add_rollback_checks(const rollback_spec& rb, const gate_analysis& gates, double to_percent,
                         std::size_t stage_uploads, reports::case_record& rec) {
  rec.values["rollback.failed_measurements"] = gates.failed;
  rec.values["rollback.inconclusive_measurements"] = gates.inconclusive;
  rec.checks.push_back(
      {"rollback_triggered", gates.tripped == rb.expect_rollback,
       rb.expect_rollback
           ? fmt::format("the gates trip (failure_limit {}, inconclusive_limit {}, "
                         "consecutive_error_limit {}) and the stage rolls back",
                         rb.failure_limit, rb.inconclusive_limit, rb.consecutive_error_limit)
           : "the gates hold (no rollback)",
       (gates.tripped ? "tripped: " : "held: ") + gates.describe()});
  if (!gates.tripped) return;
  std::uint64_t after = 0, on_async = 0, ok = 0, intact = 0;
  for (std::size_t i = 0; i < rec.uploads.size(); ++i) {
    const auto& s = rec.uploads[i];
    if (s.ok) ++ok, intact += s.integrity_ok ? 1 : 0;
    if (i < stage_uploads || s.route.empty()) continue;
    ++after;
    on_async += s.route == "async" ? 1 : 0;
  }
  const double share = after == 0 ? 0 : static_cast<double>(on_async) / static_cast<double>(after);
  const auto ci = stats::wilson_interval(on_async, after, 0.999);
  const double expected = to_percent / 100;
  const bool exact = to_percent == 0 || to_percent == 100;
  rec.values["rollback.async_share_after"] = share;
  rec.checks.push_back(
      {"rollback_left_async",
       after > 0 && (exact ? share == expected : ci.low <= expected && expected <= ci.high),
       fmt::format("after the rollback to {}%, {} of first attempts on the async route", to_percent,
                   exact ? fmt::format("exactly {}", expected)
                         : fmt::format("{} (99.9% Wilson)", expected)),
       fmt::format("{:.4f} [{:.4f}, {:.4f}] n={} (ledger)", share, ci.low, ci.high, after)});
  rec.checks.push_back({"rollback_no_loss", intact == ok,
                        "every upload answered ok before or after the rollback is stored intact",
                        fmt::format("{}/{} intact (ledger sha256 and size)", intact, ok)});
}

}  // namespace rollproof::framework::detail
