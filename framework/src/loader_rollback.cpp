// The [rollback] section: gates, Argo-style limits, the rollback target and its verification.
#include <fmt/format.h>

#include "loader_sections.hpp"

namespace rollproof::framework::detail {

void read_rollback(toml_reader& r, const toml::table& t, rollback_spec& out) {
  r.unknown_keys(t,
                 {"to", "window", "min_samples", "error_rate", "latency_p95_ms", "timeout_rate",
                  "failure_limit", "inconclusive_limit", "consecutive_error_limit",
                  "verify_uploads", "expect"},
                 "[rollback]");
  if (auto to = r.string_at(t, "to")) {
    if (*to != "previous" && *to != "zero")
      r.error(t.get("to")->source(),
              fmt::format("unknown rollback target '{}' (use \"previous\" or \"zero\")", *to));
    else
      out.to = *to;
  }
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
  if (!out.error_rate_at_most && !out.timeout_rate_at_most && !out.latency_p95_ms_at_most)
    r.error(t.source(),
            "[rollback] needs at least one gate: error_rate, latency_p95_ms or timeout_rate");
}

}  // namespace rollproof::framework::detail
