#pragma once
// Builders for measured cases, so claim tests read like the situations they describe.

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "rollproof/reports/run_record.hpp"

namespace rollproof::claims::testing {

using rollproof::reports::case_record;
using rollproof::reports::case_status;
using rollproof::reports::upload_sample;

// A passed case of scenario "s" with the given parameters.
inline case_record a_case(std::string id,
                          std::initializer_list<std::pair<const std::string, std::string>> params) {
  case_record c;
  c.id = std::move(id);
  c.scenario = std::string(1, 's');  // not = "s": GCC 12 -Wrestrict false positive (PR 105651)
  c.status = case_status::passed;
  c.parameters = params;
  return c;
}

// Adds one successful upload per latency, on the case's route.
inline case_record& with_latencies(case_record& c, const std::vector<double>& ms) {
  for (const double v : ms) {
    upload_sample u;
    u.ok = true;
    u.latency_ms = v;
    u.route = c.parameters.contains("route") ? c.parameters.at("route") : "sync";
    u.bytes = 1024;
    c.uploads.push_back(u);
  }
  return c;
}

// Adds `n` uploads of which `failed` did not succeed (and timed out when `timeouts`).
inline case_record& with_outcomes(case_record& c, int n, int failed, bool timeouts = false) {
  for (int i = 0; i < n; ++i) {
    upload_sample u;
    u.ok = i >= failed;
    u.timed_out = timeouts && i < failed;
    u.latency_ms = 10;
    u.route = c.parameters.contains("route") ? c.parameters.at("route") : "sync";
    c.uploads.push_back(u);
  }
  return c;
}

// `count` repeats (parameter `repeat` 1..count) of one cell of `route`, each with the given
// per-case throughput and peak RSS.
inline std::vector<case_record> repeated_cases(const std::string& route, int count,
                                               double throughput, double rss, double spread) {
  std::vector<case_record> out;
  for (int i = 0; i < count; ++i) {
    auto c = a_case(route + "-" + std::to_string(i),
                    {{"route", route}, {"repeat", std::to_string(i + 1)}});
    const double wobble = 1 + spread * ((i % 5) - 2) / 2.0;
    c.wall_seconds = 1;
    c.throughput_bytes_per_s = throughput * wobble;
    c.peak_rss_bytes = static_cast<std::uint64_t>(rss * wobble);
    out.push_back(c);
  }
  return out;
}

}  // namespace rollproof::claims::testing
