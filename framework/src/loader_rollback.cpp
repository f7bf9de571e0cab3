// The [rollback] section: gates, their method (sequential or Argo-style windows with limits), the
// rollback target and its verification.
#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>

#include "loader_sections.hpp"

namespace rollproof::framework::detail {

void read_rollback(toml_reader& r, const toml::table& t, rollback_spec& out) {
  r.unknown_keys(t,
                 {"to", "method", "alpha", "on_inconclusive", "window", "min_samples", "error_rate",
                  "error_rate_over_baseline", "latency_p95_ms", "timeout_rate", "failure_limit",
                  "inconclusive_limit", "consecutive_error_limit", "verify_uploads", "expect"},
                 "[rollback]");
  if (auto to = r.string_at(t, "to")) {
    if (*to != "previous" && *to != "zero")
      r.error(t.get("to")->source(),
              fmt::format("unknown rollback target '{}' (use \"previous\" or \"zero\")", *to));
    else
      out.to = *to;
  }
  const auto one_of = [&](std::string_view key, std::initializer_list<std::string_view> allowed,
                          std::string& value) {
    auto v = r.string_at(t, key);
    if (!v) return;
    if (std::find(allowed.begin(), allowed.end(), *v) != allowed.end()) {
      value = *v;
      return;
    }
    std::string names;
    for (std::size_t i = 0; i < allowed.size(); ++i)
      names += fmt::format("{}\"{}\"", i == 0 ? "" : (i + 1 == allowed.size() ? " or " : ", "),
                           allowed.begin()[i]);
    r.error(t.get(key)->source(), fmt::format("unknown {} '{}' (use {})", key, *v, names));
  };
  one_of("method", {"sequential", "windows"}, out.method);
  one_of("on_inconclusive", {"hold", "rollback", "promote"}, out.on_inconclusive);
  if (auto alpha = r.number_at(t, "alpha")) {
    if (!(*alpha > 0 && *alpha <= 0.5))
      r.error(t.get("alpha")->source(),
              fmt::format("'alpha' must be within (0, 0.5] (got {})", *alpha));
    else
      out.alpha = *alpha;
  }
  // Each method reads its own keys: a window key under the sequential gate would be ignored.
  for (const char* key :
       {"window", "min_samples", "failure_limit", "inconclusive_limit", "consecutive_error_limit"})
    if (out.method == "sequential" && t.contains(key))
      r.error(t.get(key)->source(),
              fmt::format("'{}' applies to method = \"windows\" only (the sequential gate "
                          "judges every upload as it completes)",
                          key));
  for (const char* key : {"alpha", "on_inconclusive"})
    if (out.method == "windows" && t.contains(key))
      r.error(t.get(key)->source(),
              fmt::format("'{}' applies to method = \"sequential\" only", key));
  if (auto expect = r.string_at(t, "expect")) {
    if (*expect != "rollback" && *expect != "hold")
      r.error(t.get("expect")->source(),
              fmt::format("unknown expect '{}' (use \"rollback\" or \"hold\")", *expect));
    else
      out.expect_rollback = *expect == "rollback";
  }
  const auto count = [&](std::string_view key, std::uint32_t lo, std::uint32_t& value) {
    auto v = r.integer_at(t, key);
    if (!v) return;
    if (*v < lo || *v > 1'000'000)
      r.error(t.get(key)->source(),
              fmt::format("'{}' must be within {}..1000000 (got {})", key, lo, *v));
    else
      value = static_cast<std::uint32_t>(*v);
  };
  count("window", 1, out.window);
  count("min_samples", 1, out.min_samples);
  count("failure_limit", 0, out.failure_limit);
  count("inconclusive_limit", 0, out.inconclusive_limit);
  count("consecutive_error_limit", 0, out.consecutive_error_limit);
  count("verify_uploads", 1, out.verify_uploads);
  out.error_rate_at_most = r.bound_at(t, "error_rate", "at_most", 0, 1);
  out.timeout_rate_at_most = r.bound_at(t, "timeout_rate", "at_most", 0, 1);
  out.latency_p95_ms_at_most = r.bound_at(t, "latency_p95_ms", "at_most", 0, 24 * 3600e3);
  // A margin of 1 or more could never be exceeded: the gate would only ever hold.
  if (auto margin = r.bound_at(t, "error_rate_over_baseline", "at_most", 0, 1)) {
    if (*margin >= 1)
      r.error(t.get_as<toml::table>("error_rate_over_baseline")->get("at_most")->source(),
              fmt::format("'error_rate_over_baseline.at_most' must be below 1 (got {})", *margin));
    else if (out.method == "windows")
      r.error(t.get("error_rate_over_baseline")->source(),
              "'error_rate_over_baseline' applies to method = \"sequential\" only (a window's "
              "point estimates of two rates carry no error control for their difference)");
    else
      out.error_rate_over_baseline_at_most = margin;
  }
  if (!out.error_rate_at_most && !out.timeout_rate_at_most && !out.latency_p95_ms_at_most &&
      !out.error_rate_over_baseline_at_most && !t.contains("error_rate_over_baseline"))
    r.error(t.source(),
            "[rollback] needs at least one gate: error_rate, error_rate_over_baseline, "
            "latency_p95_ms or timeout_rate");
}

}  // namespace rollproof::framework::detail
