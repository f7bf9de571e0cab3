#include "rollout_checks.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "json_number.hpp"
#include "rollproof/stats/chi_square.hpp"
#include "rollproof/stats/clopper_pearson.hpp"

namespace rollproof::framework::detail {
namespace {

// The share matches `percent`: exactly at 0 and 100%, else inside the exact 99.9% interval;
// never with no users, or with a user who started on both routes.
bool share_matches(const reports::user_share& u, double percent) {
  const double expected = percent / 100.0;
  if (u.users == 0 || u.mixed > 0) return false;
  if (percent == 0 || percent == 100) return u.share() == expected;
  const auto ci = stats::clopper_pearson_interval(u.async, u.users, 0.999);
  return ci.low <= expected && expected <= ci.high;
}

}  // namespace

void add_share_check(reports::case_record& rec, const std::string& name, double percent,
                     reports::upload_phase phase, const std::string& when) {
  const reports::user_share u = reports::async_share_of_users(rec.uploads, phase);
  const auto ci = stats::clopper_pearson_interval(u.async, u.users, 0.999);
  const bool exact = percent == 0 || percent == 100;
  rec.values[name] = u.share();
  rec.values[name + ".n"] = static_cast<double>(u.users);
  rec.checks.push_back(
      {name, share_matches(u, percent),
       fmt::format("{}, the share of users whose first attempts are on the async route is {}, and "
                   "no user starts on both routes",
                   when,
                   exact ? fmt::format("exactly {}", percent / 100)
                         : fmt::format("{} inside the exact 99.9% (Clopper-Pearson) interval",
                                       percent / 100)),
       fmt::format("{:.4f} [{:.4f}, {:.4f}] n={} distinct users (ledger){}", u.share(), ci.low,
                   ci.high, u.users,
                   u.mixed == 0 ? std::string()
                                : fmt::format("; {} users on both routes, first: {}", u.mixed,
                                              u.first_mixed))});
}

void add_srm_check(reports::case_record& rec, double percent) {
  const reports::user_share u =
      reports::async_share_of_users(rec.uploads, reports::upload_phase::stage);
  const std::uint64_t sync = u.users - u.async;
  const std::string expected = fmt::format(
      "no sample ratio mismatch: the stage's async and sync users fit the configured {}/{} split "
      "(Pearson chi-square, p >= {})",
      percent, 100 - percent, srm_alpha);
  const std::string counts =
      fmt::format("{} async / {} sync users (expected {:.1f} / {:.1f})", u.async, sync,
                  static_cast<double>(u.users) * percent / 100,
                  static_cast<double>(u.users) * (100 - percent) / 100);
  if (percent <= 0 || percent >= 100 || u.users == 0) {
    reports::check_result c{"sample_ratio_mismatch", false, expected,
                            u.users == 0 ? std::string("not checked: the stage has no routed users")
                                         : fmt::format("not checked: a {}% split has one arm "
                                                       "(rollout_share checks it exactly); {}",
                                                       percent, counts)};
    c.not_run = true;
    rec.checks.push_back(std::move(c));
    return;
  }
  const std::uint64_t observed[] = {u.async, sync};
  const double shares[] = {percent / 100, 1 - percent / 100};
  const auto r = stats::chi_square_goodness_of_fit(observed, shares);
  rec.values["sample_ratio_mismatch.p"] = r->p_value;
  rec.checks.push_back(
      {"sample_ratio_mismatch", r->p_value >= srm_alpha, expected,
       fmt::format("{}: X2 = {:.3g}, df = 1, p = {:.3g}", counts, r->statistic, r->p_value)});
}

void add_rollout_sticky_check(const case_spec& spec, std::map<std::string, double>& async_users,
                              reports::case_record& rec) {
  if (!spec.rollout) return;
  const double percent = spec.rollout->percent;
  std::uint64_t earlier = 0, left = 0;
  std::string first_left;
  std::set<std::string> seen;
  for (const auto& s : rec.uploads) {
    if (!in_own_phase(s) || s.route.empty() || !seen.insert(s.user + "|" + s.route).second)
      continue;
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
  for (const auto& s : rec.uploads) {
    if (!in_own_phase(s) || s.route != "async") continue;
    auto [it, inserted] = async_users.emplace(s.user, percent);
    if (!inserted) it->second = std::min(it->second, percent);
  }
  rec.checks.push_back({"rollout_sticky", left == 0,
                        "users on the async route at an earlier, smaller stage stay on it",
                        fmt::format("{} of {} earlier async users left the async route (ledger){}",
                                    left, earlier, first_left)});
}

}  // namespace rollproof::framework::detail
