#pragma once
// The oracle both scenario fuzz targets share: an accepted scenario is within every bound that
// scenarios/FORMAT.md documents, and so is every case planned from it.

#include <cstdint>

#include "loader_sections.hpp"
#include "rollproof/common/repeat_limit.hpp"
#include "rollproof/framework/plan.hpp"
#include "rollproof/framework/scenario.hpp"
#include "rollproof/framework/units.hpp"

namespace rollproof::fuzzing {

// True when 1 <= v <= hi.
inline bool count_within(std::uint64_t v, std::int64_t hi) {
  return v >= 1 && v <= static_cast<std::uint64_t>(hi);
}

// True when every value the runner sizes memory, files or deadlines by is within its bound.
inline bool within_bounds(const framework::scenario& s) {
  namespace fw = framework;
  const auto& m = s.matrix;
  bool ok = s.time_limit.count() > 0 && s.time_limit <= fw::max_duration;
  ok = ok && count_within(m.uploads, fw::detail::max_uploads);
  ok = ok && s.repeat >= 1 && s.repeat <= max_repeat;
  for (const auto size : m.sizes)
    ok = ok && size <= fw::max_byte_size;
  for (const auto c : m.concurrency)
    ok = ok && count_within(c, fw::detail::max_concurrency);
  for (const auto& st : m.stages)
    ok = ok && st.percent >= 0 && st.percent <= 100 &&
         count_within(st.users, fw::detail::max_users) &&
         count_within(st.uploads, fw::detail::max_uploads);
  ok = ok && (m.arrival_rate == 0 || (m.arrival_rate >= fw::detail::min_arrival_rate &&
                                      m.arrival_rate <= fw::detail::max_arrival_rate));
  for (const auto& [name, p] : s.providers) {
    const bool directory = p.store != "none" && p.store != "memory";
    ok = ok && (!p.max_file_size || *p.max_file_size <= fw::max_byte_size) &&
         (!directory || !fw::detail::store_error(p.store));
  }
  return ok;
}

// True when a planned case asks for no more than its scenario's bounds allow.
inline bool within_bounds(const framework::case_spec& c) {
  namespace fw = framework;
  return !c.id.empty() && c.size <= fw::max_byte_size &&
         (c.bucketing || count_within(c.uploads, fw::detail::max_uploads)) &&
         (c.bucketing || count_within(c.concurrency, fw::detail::max_concurrency)) &&
         c.repeat >= 1 && c.repeat <= max_repeat;
}

}  // namespace rollproof::fuzzing
