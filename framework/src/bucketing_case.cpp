#include "rollproof/framework/bucketing_case.hpp"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <cmath>

#include "case_checks.hpp"
#include "rollproof/framework/subject_client.hpp"
#include "rollproof/stats/chi_square.hpp"
#include "rollproof/stats/wilson.hpp"
#include "subject_answers.hpp"

namespace rollproof::framework {
namespace {

using clock = std::chrono::steady_clock;
constexpr auto op_timeout = std::chrono::seconds(30);
constexpr std::size_t batch = 5000;  // users per bucket request: keeps each line a few hundred KB

// What the subject answered for every user under one configuration.
using evaluation = detail::bucket_decisions;

struct session {
  const case_context& cx;
  std::unique_ptr<subject_client> subject;
  std::string leaked_in;  // where an API key showed up, if anywhere

  std::expected<void, std::string> configure(double percent, const std::string& salt) {
    const auto& b = *cx.sc.bucketing;
    boost::json::object providers;
    for (const auto& [name, m] : cx.mocks)
      providers[name] = {{"base_url", m->base_url()},
                         {"api_key", cx.sc.providers.at(name).api_key}};
    auto answer = subject->call({{"op", "configure"},
                                 {"providers", providers},
                                 {"flags",
                                  {{"async_upload",
                                    {{"enabled", percent > 0},
                                     {"rollout_percent", percent},
                                     {"salt", salt},
                                     {"scheme", b.scheme}}}}},
                                 {"settings", cx.sc.subject.settings}},
                                clock::now() + op_timeout);
    if (!answer) return std::unexpected("configure: " + answer.error());
    if (const auto* ok = answer->if_contains("ok");
        ok == nullptr || !ok->is_bool() || !ok->as_bool())
      return std::unexpected("configure refused: " + boost::json::serialize(*answer));
    return {};
  }

  std::expected<evaluation, std::string> evaluate(const std::vector<std::string>& users) {
    evaluation out;
    for (std::size_t from = 0; from < users.size(); from += batch) {
      boost::json::array list;
      for (std::size_t i = from; i < std::min(users.size(), from + batch); ++i)
        list.emplace_back(users[i]);
      auto answer = subject->call({{"op", "bucket"}, {"flag", "async_upload"}, {"users", list}},
                                  clock::now() + op_timeout);
      if (!answer) return std::unexpected("bucket: " + answer.error());
      if (auto taken = detail::append_bucket_answer(*answer, list.size(), out); !taken)
        return std::unexpected("bucket: " + taken.error());
    }
    if (out.buckets.size() != users.size()) out.buckets.clear();
    return out;
  }

  void finish() {
    subject->finish(clock::now() + std::chrono::seconds(5));
    // Every byte of stdout and stderr and every answer (configure's too) was scanned as it came.
    leaked_in = subject->leak_seen_in();
  }
};

std::expected<std::unique_ptr<session>, std::string> start(const case_context& cx) {
  auto subject = subject_client::start(cx.subject_command, std::chrono::seconds(10),
                                       cx.secrets.secrets(), &cx.stop_signal);
  if (!subject) return std::unexpected(subject.error());
  return std::make_unique<session>(session{cx, std::move(*subject), {}});
}

}  // namespace

reports::case_record run_bucketing_case(const case_context& cx) {
  const auto& b = *cx.sc.bucketing;
  reports::case_record rec;
  rec.id = cx.spec.id;
  rec.scenario = cx.sc.name;
  rec.parameters = {{"route", "bucketing"},
                    {"scheme", b.scheme},
                    {"users", std::to_string(b.users)},
                    {"provider", cx.spec.provider}};
  rec.status = reports::case_status::error;
  const auto fail = [&](const std::string& why) {
    rec.message = cx.secrets.redact(why);
    rec.status = reports::case_status::error;
    return rec;
  };
  const auto check = [&](std::string name, bool passed, std::string expected,
                         std::string measured) {
    rec.checks.push_back({std::move(name), passed, std::move(expected), std::move(measured)});
  };
  const auto t0 = clock::now();

  std::vector<std::string> users;
  std::vector<std::pair<std::string, std::size_t>> shape_ranges;  // shape -> first index
  for (const auto& shape : b.shapes) {
    shape_ranges.emplace_back(shape, users.size());
    auto ids = user_ids_of_shape(shape, b.users, cx.seed);
    users.insert(users.end(), ids.begin(), ids.end());
  }
  const auto range_of = [&](std::size_t k) {
    const std::size_t end = k + 1 < shape_ranges.size() ? shape_ranges[k + 1].second : users.size();
    return std::pair{shape_ranges[k].second, end};
  };
  std::size_t interior = 0;
  for (double p : b.percents)
    interior += p > 0 && p < 100 ? 1 : 0;
  // Bonferroni: every statistical check gets an equal share of the family-wise alpha.
  const double tests = static_cast<double>(b.shapes.size() * (interior + 1) + 1);
  const double confidence = 1 - b.alpha / tests;

  auto first = start(cx);
  if (!first) return fail(first.error());
  std::vector<evaluation> at;  // one evaluation per percent
  for (double p : b.percents) {
    if (auto r = (*first)->configure(p, b.salt); !r) return (*first)->finish(), fail(r.error());
    auto e = (*first)->evaluate(users);
    if (!e) return (*first)->finish(), fail(e.error());
    at.push_back(std::move(*e));
  }
  (*first)->finish();

  // Share of enabled users per shape and percent.
  for (std::size_t k = 0; k < shape_ranges.size(); ++k) {
    const auto [from, to] = range_of(k);
    for (std::size_t pi = 0; pi < b.percents.size(); ++pi) {
      const double p = b.percents[pi];
      std::uint64_t on = 0;
      for (std::size_t i = from; i < to; ++i)
        on += at[pi].enabled[i] ? 1 : 0;
      const std::uint64_t n = to - from;
      const auto ci = stats::wilson_interval(on, n, confidence);
      const double share = n == 0 ? 0 : static_cast<double>(on) / static_cast<double>(n);
      const bool exact = p == 0 || p == 100;
      const std::string name = fmt::format("bucketing_share.{}.p{}", shape_ranges[k].first, p);
      rec.values[name] = share;
      check(name, n > 0 && (exact ? share == p / 100 : ci.low <= p / 100 && p / 100 <= ci.high),
            exact ? fmt::format("exactly {}", p / 100)
                  : fmt::format("{} inside the {:.5f} Wilson interval", p / 100, confidence),
            fmt::format("{:.5f} [{:.5f}, {:.5f}] n={}", share, ci.low, ci.high, n));
    }
  }

  // Uniformity of the reported buckets, 100 equal bins per shape.
  for (std::size_t k = 0; k < shape_ranges.size(); ++k) {
    const std::string name = fmt::format("bucketing_uniformity.{}", shape_ranges[k].first);
    const auto& e = at.front();
    if (e.buckets.empty() || e.scale < 100) {
      check(name, true, "uniform buckets (chi-square)", "not tested: the subject omits buckets");
      continue;
    }
    const auto [from, to] = range_of(k);
    std::vector<std::uint64_t> bins(100, 0);
    std::uint64_t out_of_range = 0;
    for (std::size_t i = from; i < to; ++i) {
      const auto v = e.buckets[i];
      if (v < 0 || v >= e.scale)
        ++out_of_range;
      else
        ++bins[static_cast<std::size_t>(v * 100 / e.scale)];
    }
    const auto chi = stats::chi_square_goodness_of_fit(bins);
    const double p_value = chi ? chi->p_value : 0;
    rec.values[name + ".p_value"] = p_value;
    check(name, chi && out_of_range == 0 && p_value >= 1 - confidence,
          fmt::format("p-value >= {:.2e} over 100 bins, every bucket in [0, {})", 1 - confidence,
                      e.scale),
          fmt::format("chi2={:.1f} df={:.0f} p={:.3e}, {} out of range", chi ? chi->statistic : 0,
                      chi ? chi->df : 0, p_value, out_of_range));
  }

  // Monotonic expansion: enabled at p stays enabled at every larger q.
  std::uint64_t dropped = 0;
  std::string first_drop;
  for (std::size_t i = 0; i < users.size(); ++i) {
    for (std::size_t pi = 0; pi + 1 < at.size(); ++pi) {
      if (at[pi].enabled[i] && !at[pi + 1].enabled[i]) {
        ++dropped;
        if (first_drop.empty())
          first_drop =
              fmt::format(", first: user #{} at {}% -> {}%", i, b.percents[pi], b.percents[pi + 1]);
      }
    }
  }
  check("bucketing_monotonic", dropped == 0,
        "every user enabled at p% is enabled at every larger percent",
        fmt::format("{} drops over {} users and {} percents{}", dropped, users.size(),
                    b.percents.size(), first_drop));

  // Stickiness and independence, from a fresh subject process.
  std::size_t mid = 0;
  for (std::size_t pi = 0; pi < b.percents.size(); ++pi)
    if (b.percents[pi] > 0 && b.percents[pi] < 100 && mid == 0) mid = pi;
  auto second = start(cx);
  if (!second) return fail(second.error());
  if (auto r = (*second)->configure(b.percents[mid], b.salt); !r)
    return (*second)->finish(), fail(r.error());
  auto again = (*second)->evaluate(users);
  if (!again) return (*second)->finish(), fail(again.error());
  if (auto r = (*second)->configure(b.percents[mid], b.second_salt); !r)
    return (*second)->finish(), fail(r.error());
  auto other = (*second)->evaluate(users);
  (*second)->finish();
  if (!other) return fail(other.error());
  std::uint64_t changed = 0;
  for (std::size_t i = 0; i < users.size(); ++i) {
    const bool bucket_differs = !again->buckets.empty() && !at[mid].buckets.empty() &&
                                again->buckets[i] != at[mid].buckets[i];
    changed += again->enabled[i] != at[mid].enabled[i] || bucket_differs ? 1 : 0;
  }
  check("bucketing_sticky", changed == 0,
        fmt::format("a fresh subject gives every user the same decision and bucket at {}%",
                    b.percents[mid]),
        fmt::format("{} of {} users changed", changed, users.size()));

  std::uint64_t table[2][2] = {{0, 0}, {0, 0}};
  for (std::size_t i = 0; i < users.size(); ++i)
    ++table[at[mid].enabled[i] ? 1 : 0][other->enabled[i] ? 1 : 0];
  // A flag that enables all or none of the users under one salt leaves a margin empty, where
  // independence holds trivially.
  const auto independence = stats::chi_square_independence(table);
  const double p_value = independence ? independence->p_value : 1;
  const double n = static_cast<double>(users.size());
  const double p1 = static_cast<double>(table[1][0] + table[1][1]) / n;
  const double p2 = static_cast<double>(table[0][1] + table[1][1]) / n;
  const double agreement = static_cast<double>(table[0][0] + table[1][1]) / n;
  rec.values["bucketing_independence.p_value"] = p_value;
  check("bucketing_independence", p_value >= 1 - confidence,
        fmt::format("salts '{}' and '{}' independent: chi-square 2x2 p-value >= {:.2e}", b.salt,
                    b.second_salt, 1 - confidence),
        fmt::format("p={:.3e}; agreement {:.4f} vs {:.4f} expected (p1={:.4f}, p2={:.4f})", p_value,
                    agreement, p1 * p2 + (1 - p1) * (1 - p2), p1, p2));

  const std::string leak =
      !(*first)->leaked_in.empty() ? (*first)->leaked_in : (*second)->leaked_in;
  detail::add_harness_check(cx.mocks, rec);
  check("no_secret_leak", leak.empty(), "no API key in the subject's output",
        leak.empty() ? "none found" : "an API key appeared in " + leak);
  rec.wall_seconds = std::chrono::duration<double>(clock::now() - t0).count();
  rec.status = reports::case_status::passed;
  for (const auto& c : rec.checks) {
    if (!c.passed) {
      rec.status = reports::case_status::failed;
      rec.message += (rec.message.empty() ? "" : "; ") + c.name + ": expected " + c.expected +
                     ", measured " + c.measured;
    }
  }
  rec.message = cx.secrets.redact(rec.message);
  return rec;
}

}  // namespace rollproof::framework
