#include "case_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "json_number.hpp"
#include "ledger_entry_view.hpp"
#include "rollout_checks.hpp"
#include "rollproof/stats/percentile.hpp"
#include "rollproof/stats/wilson.hpp"

namespace rollproof::framework::detail {
namespace {

std::string proportion_text(std::uint64_t k, std::uint64_t n) {
  const auto ci = stats::wilson_interval(k, n);
  return fmt::format("{:.4f} [{:.4f}, {:.4f}] n={}", n == 0 ? 0.0 : static_cast<double>(k) / n,
                     ci.low, ci.high, n);
}

void add(reports::case_record& rec, std::string name, bool passed, std::string expected,
         std::string measured) {
  rec.checks.push_back({std::move(name), passed, std::move(expected), std::move(measured)});
}

}  // namespace

void add_success_rate_check(reports::case_record& rec, const expectations& expect, std::uint64_t ok,
                            std::uint64_t n) {
  const auto& least = expect.success_rate_at_least;
  const auto& most = expect.success_rate_at_most;
  if (!least && !most) return;
  const double success = n == 0 ? 0 : static_cast<double>(ok) / static_cast<double>(n);
  // Zero ok uploads pass only a negative test: one that bounds the rate from above.
  const bool passed =
      n > 0 && (ok > 0 || most) && (!least || success >= *least) && (!most || success <= *most);
  std::string expected;
  if (least && most)
    expected = fmt::format("{} <= success_rate <= {}", *least, *most);
  else if (least)
    expected = fmt::format("success_rate >= {}", *least);
  else
    expected = fmt::format("success_rate <= {}", *most);
  if (expect.success_rate_default) expected += " (default)";
  if (!most && least && *least <= 0) expected += ", and at least one ok upload";
  add(rec, "success_rate", passed, std::move(expected), proportion_text(ok, n));
}

void join_ledger(std::vector<reports::upload_sample>& samples,
                 const std::vector<std::string>& file_ids, const boost::json::array& ledger,
                 const std::string& sha256, std::uint64_t size) {
  std::map<std::string, std::vector<const boost::json::object*>> by_request;
  for (const auto& v : ledger) {
    if (!v.is_object() || !is_upload_attempt(v.as_object())) continue;
    const std::string id = text_of(v.as_object(), "request_id");
    if (!id.empty()) by_request[id].push_back(&v.as_object());
  }
  for (std::size_t i = 0; i < samples.size(); ++i) {
    auto& s = samples[i];
    const auto it = by_request.find(s.request_id);
    if (it == by_request.end()) {
      s.ledger_attempts = 0;
      s.integrity_ok = !s.ok;  // an upload the subject calls done that the server never saw is lost
      continue;
    }
    s.ledger_attempts = static_cast<int>(it->second.size());
    // The first attempt's route is the flag's decision; a fallback shows as later sync attempts.
    s.route = text_of(*it->second.front(), "route");
    if (!s.ok) continue;
    s.integrity_ok = false;
    for (const auto* e : it->second) {
      if (count_of(e->if_contains("status")) == 200 && text_of(*e, "file_id") == file_ids[i] &&
          text_of(*e, "sha256") == sha256 && count_of(e->if_contains("bytes")) == size) {
        s.integrity_ok = true;
      }
    }
  }
}

void mark_unknown(std::vector<reports::upload_sample>& samples, const std::string& reason) {
  for (auto& s : samples) {
    s.unknown = reason;
    s.integrity_ok = true;
    s.timed_out = false;
    s.ledger_attempts = 0;
    s.route.clear();
  }
}

void add_checks(const scenario& sc, const case_spec& spec, reports::case_record& rec) {
  std::vector<reports::upload_sample> samples;
  std::string unknown_reason;
  for (const auto& s : rec.uploads) {
    if (reports::is_known(s))
      samples.push_back(s);
    else if (unknown_reason.empty())
      unknown_reason = s.unknown;
  }
  const std::size_t unknown = rec.uploads.size() - samples.size();
  const std::size_t first_check = rec.checks.size();
  const expectations expect = expectations_for(sc, spec);
  const std::uint64_t n = samples.size();
  std::uint64_t ok = 0, timeouts = 0, intact = 0, attempts_mismatch = 0, routed = 0;
  std::string first_broken, first_mismatch;
  std::vector<double> latencies;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const auto& s = samples[i];
    if (s.ok) ++ok;
    // Latency is the stage's own: uploads sent after a rollback are their own phase.
    if (s.ok && reports::in_own_phase(s)) latencies.push_back(s.latency_ms);
    if (s.timed_out) ++timeouts;
    if (s.ok && s.integrity_ok) ++intact;
    if (s.ok && !s.integrity_ok && first_broken.empty()) first_broken = s.request_id;
    if (s.ledger_attempts != s.attempts) {
      ++attempts_mismatch;
      if (first_mismatch.empty())
        first_mismatch = fmt::format("{} ({} reported, {} at the server)", s.request_id, s.attempts,
                                     s.ledger_attempts);
    }
    if (!s.route.empty()) ++routed;
  }
  const double success = n == 0 ? 0 : static_cast<double>(ok) / static_cast<double>(n);
  const double timeout_rate = n == 0 ? 0 : static_cast<double>(timeouts) / static_cast<double>(n);
  rec.values["success_rate"] = success;
  rec.values["success_rate.n"] = static_cast<double>(n);
  rec.values["timeout_rate"] = timeout_rate;
  rec.values["timeout_rate.n"] = static_cast<double>(n);

  add_success_rate_check(rec, expect, ok, n);
  if (expect.timeout_rate_at_most) {
    add(rec, "timeout_rate", timeout_rate <= *expect.timeout_rate_at_most,
        fmt::format("<= {}", *expect.timeout_rate_at_most), proportion_text(timeouts, n));
  }
  if (expect.integrity_all) {
    add(rec, "integrity", intact == ok,
        fmt::format("every ok upload stored with the corpus file's sha256 and size{}",
                    expect.integrity_default ? " (default)" : ""),
        fmt::format("{}/{} intact{}", intact, ok,
                    first_broken.empty()
                        ? std::string()
                        : fmt::format(", first lost or corrupted: {}", first_broken)));
  }
  add(rec, "attempts_match", attempts_mismatch == 0,
      "the server saw every attempt the subject reports",
      fmt::format(
          "{} of {} uploads differ{}", attempts_mismatch, n,
          first_mismatch.empty() ? std::string() : fmt::format(", first: {}", first_mismatch)));
  const std::pair<const char*, const std::optional<double>*> bounds[] = {
      {"p50", &expect.latency_p50_ms_at_most},
      {"p95", &expect.latency_p95_ms_at_most},
      {"p99", &expect.latency_p99_ms_at_most}};
  for (const auto& [name, bound] : bounds) {
    const double p = std::stod(std::string(name).substr(1));
    // No ok upload, no percentile: the value is absent rather than a 0 ms that was never measured.
    const auto value = stats::percentile(latencies, p / 100);
    if (value) rec.values[fmt::format("latency_{}_ms", name)] = *value;
    if (bound->has_value()) {
      add(rec, fmt::format("latency_{}_ms", name), value && *value <= **bound,
          fmt::format("<= {} ms", **bound),
          value ? fmt::format("{:.1f} ms over {} ok uploads", *value, latencies.size())
                : std::string("not measured: no ok uploads"));
    }
  }

  if (spec.rollout) {
    add_share_check(rec, "rollout_share", spec.rollout->percent, reports::upload_phase::stage,
                    fmt::format("at the {}% stage", spec.rollout->percent));
    add_srm_check(rec, spec.rollout->percent);
  } else {
    std::uint64_t wrong = 0;
    for (const auto& s : samples)
      wrong += !s.route.empty() && s.route != spec.route ? 1 : 0;
    add(rec, "route", wrong == 0, fmt::format("every first attempt on the {} route", spec.route),
        fmt::format("{} of {} uploads started on another route", wrong, routed));
  }
  // An unknown upload could be intact or corrupted, answered or not: no check over the case's
  // uploads can pass or fail on what remains.
  if (unknown == 0) return;
  for (std::size_t k = first_check; k < rec.checks.size(); ++k) {
    auto& c = rec.checks[k];
    c.passed = false;
    c.not_run = true;
    c.measured = fmt::format("not checked: {} of {} uploads unknown: {}; the known ones: {}",
                             unknown, rec.uploads.size(), unknown_reason, c.measured);
  }
}

void add_harness_check(const std::map<std::string, mock_server*>& mocks,
                       reports::case_record& rec) {
  std::string refused, unknown;
  for (const auto& [name, mock] : mocks) {
    auto got = mock->new_admin_refusals();
    if (!got) {
      unknown += fmt::format("{}mock {}: {}", unknown.empty() ? "" : "; ", name, got.error());
      continue;
    }
    for (const auto& r : *got)
      refused += fmt::format("{}{} refused", refused.empty() ? "" : ", ", r);
  }
  std::string measured = "no admin request refused";
  if (!refused.empty()) measured = "the subject tried to change the harness: " + refused;
  if (!unknown.empty()) measured += "; not measured: " + unknown;
  add(rec, "harness_untouched", refused.empty() && unknown.empty(),
      "no admin request to the mocks but the runner's", std::move(measured));
}

}  // namespace rollproof::framework::detail
