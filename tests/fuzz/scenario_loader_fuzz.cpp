// libFuzzer target: scenario text through the loader (toml++ parse, then every validation rule),
// and every scenario it accepts within the documented bounds (hostile meaning, not only syntax).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "loader_sections.hpp"
#include "rollproof/framework/loader.hpp"
#include "rollproof/framework/units.hpp"

namespace {

using namespace rollproof::framework;

bool count_within(std::uint32_t v, std::int64_t hi) {
  return v >= 1 && static_cast<std::int64_t>(v) <= hi;
}

// True when every value the runner sizes memory, files or deadlines by is within its bound.
bool within_bounds(const scenario& s) {
  const auto& m = s.matrix;
  bool ok = s.time_limit.count() > 0 && s.time_limit <= max_duration;
  ok = ok && count_within(m.uploads, detail::max_uploads);
  for (const auto size : m.sizes)
    ok = ok && size <= max_byte_size;
  for (const auto c : m.concurrency)
    ok = ok && count_within(c, detail::max_concurrency);
  for (const auto& st : m.stages)
    ok = ok && st.percent >= 0 && st.percent <= 100 && count_within(st.users, detail::max_users) &&
         count_within(st.uploads, detail::max_uploads);
  ok = ok && (m.arrival_rate == 0 || (m.arrival_rate >= detail::min_arrival_rate &&
                                      m.arrival_rate <= detail::max_arrival_rate));
  for (const auto& [name, p] : s.providers) {
    const bool directory = p.store != "none" && p.store != "memory";
    ok = ok && (!p.max_file_size || *p.max_file_size <= max_byte_size) &&
         (!directory || !detail::store_error(p.store));
  }
  return ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto loaded = rollproof::framework::load_scenario_text(text, "fuzz.toml");
  // A refusal must say why; an empty list of diagnostics would leave the user with nothing.
  if (!loaded && loaded.error().empty()) __builtin_trap();
  // An accepted scenario is within every documented bound (scenarios/FORMAT.md).
  if (loaded && !within_bounds(*loaded)) __builtin_trap();
  return 0;
}
