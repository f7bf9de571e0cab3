#include "rollproof/claims/family.hpp"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <optional>

#include "rollproof/stats/multiplicity.hpp"

namespace rollproof::claims {
namespace {

using rollproof::reports::claim_record;
using rollproof::reports::verdict;

bool decided(const claim_record& r) {
  return r.result == verdict::verified || r.result == verdict::refuted;
}

std::string percent(double level) {
  return fmt::format("{:.4g}%", level * 100);
}

// The member judged at `level`, keeping the spec as written (merge re-judges from it).
claim_record judge_at(const family_member& m, double level) {
  claim_spec spec = m.spec;
  spec.confidence = level;
  claim_record r = evaluate(spec, m.cases, m.seed);
  r.spec_json = boost::json::serialize(to_json(m.spec));
  return r;
}

}  // namespace

std::vector<claim_record> evaluate_family(std::span<const family_member> members,
                                          rollproof::reports::error_control& control) {
  const auto method =
      stats::parse_error_control(control.method).value_or(stats::error_control::holm);
  control.method = stats::to_string(method);
  const bool adjusted = method != stats::error_control::none;
  std::vector<claim_record> out;
  out.reserve(members.size());
  std::vector<std::size_t> family;
  for (const auto& m : members) {
    out.push_back(judge_at(m, adjusted ? 1 - control.alpha : m.spec.confidence));
    auto& r = out.back();
    r.measured.raw_ci = r.measured.ci;
    if (r.measured.ci && r.result != verdict::error && r.result != verdict::unverifiable)
      family.push_back(out.size() - 1);
  }
  control.family_size = family.size();
  const std::size_t m = family.size();
  if (!adjusted || m < 2) return out;

  std::vector<std::optional<claim_record>> at_level(out.size());
  const double alpha = control.alpha;
  auto judge_all = [&](const std::vector<std::size_t>& which, double a) {
    std::size_t now_decided = 0;
    for (const std::size_t i : which) {
      at_level[i] = judge_at(members[i], 1 - a);
      now_decided += decided(*at_level[i]) ? 1 : 0;
    }
    return now_decided;
  };
  if (method == stats::error_control::holm) {
    std::vector<std::size_t> open = family;
    std::size_t r = 0;
    while (!open.empty()) {
      if (judge_all(open, alpha / static_cast<double>(m - r)) == 0) break;
      std::vector<std::size_t> still;
      for (const std::size_t i : open)
        if (!decided(*at_level[i])) still.push_back(i);
      r += open.size() - still.size();
      open = std::move(still);
    }
  } else {
    // Each round's count bounds the next k: no k above it can have k claims decided.
    std::size_t k = m;
    while (true) {
      const std::size_t c =
          judge_all(family, alpha * static_cast<double>(k) / static_cast<double>(m));
      if (c >= k) break;
      if (c == 0) {
        if (k != 1) judge_all(family, alpha / static_cast<double>(m));
        break;
      }
      k = c;
    }
  }
  const char* name = method == stats::error_control::holm ? "Holm" : "Benjamini-Hochberg";
  for (const std::size_t i : family) {
    claim_record r = std::move(*at_level[i]);
    r.measured.raw_ci = out[i].measured.ci;
    if (r.measured.ci && r.measured.raw_ci)
      r.explanation += fmt::format(
          " {} over {} claims at alpha {}: the interval is at {}; at the raw {} it is [{:.4g}, "
          "{:.4g}].",
          name, m, alpha, percent(r.measured.ci->confidence),
          percent(r.measured.raw_ci->confidence), r.measured.raw_ci->low, r.measured.raw_ci->high);
    out[i] = std::move(r);
  }
  return out;
}

}  // namespace rollproof::claims
