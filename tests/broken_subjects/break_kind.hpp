#pragma once
// The defects rollproof-broken-subject can carry, one per run.

#include <optional>
#include <string>
#include <string_view>

namespace rollproof::broken {

// One defect of the subject; none is the correct subject.
enum class break_kind {
  none,
  biased_bucketing,
  non_sticky,
  non_monotonic,
  ignores_percent,
  loses_uploads,
  corrupts_bytes,
  no_fallback,
  lying_metrics,
  inflates_ok_metrics,
  lying_prometheus,
  no_metrics,
  leaks_key,
  tampers_harness,         // at configure: PUT /_mock/faults (no rules) and POST /_mock/reset
  stops_reading,           // after configure: a one-page stdin pipe, never read again
  setsid_grandchild,       // at configure: starts `sleep` in a new session, holding stdout
  group_grandchild,        // at configure: starts `sleep` in the subject's group, holding stdout
  leaks_key_plain_stdout,  // at configure: the key on a stdout line that is not JSON
  leaks_key_early_stderr,  // at configure: the key on stderr, then 64 KiB more of stderr
  leaks_key_in_configure   // the configure answer echoes the key
};

// Parses a --break value ("none", "biased_bucketing", ...); nullopt for an unknown one.
[[nodiscard]] inline std::optional<break_kind> parse_break_kind(std::string_view name) {
  constexpr std::pair<std::string_view, break_kind> names[] = {
      {"none", break_kind::none},
      {"biased_bucketing", break_kind::biased_bucketing},
      {"non_sticky", break_kind::non_sticky},
      {"non_monotonic", break_kind::non_monotonic},
      {"ignores_percent", break_kind::ignores_percent},
      {"loses_uploads", break_kind::loses_uploads},
      {"corrupts_bytes", break_kind::corrupts_bytes},
      {"no_fallback", break_kind::no_fallback},
      {"lying_metrics", break_kind::lying_metrics},
      {"inflates_ok_metrics", break_kind::inflates_ok_metrics},
      {"lying_prometheus", break_kind::lying_prometheus},
      {"no_metrics", break_kind::no_metrics},
      {"leaks_key", break_kind::leaks_key},
      {"tampers_harness", break_kind::tampers_harness},
      {"stops_reading", break_kind::stops_reading},
      {"setsid_grandchild", break_kind::setsid_grandchild},
      {"group_grandchild", break_kind::group_grandchild},
      {"leaks_key_plain_stdout", break_kind::leaks_key_plain_stdout},
      {"leaks_key_early_stderr", break_kind::leaks_key_early_stderr},
      {"leaks_key_in_configure", break_kind::leaks_key_in_configure}};
  for (const auto& [n, k] : names)
    if (n == name) return k;
  return std::nullopt;
}

// Every kind name, comma separated, for usage messages.
[[nodiscard]] inline std::string kind_names() {
  return "none, biased_bucketing, non_sticky, non_monotonic, ignores_percent, loses_uploads, "
         "corrupts_bytes, no_fallback, lying_metrics, inflates_ok_metrics, lying_prometheus, "
         "no_metrics, leaks_key, tampers_harness, stops_reading, setsid_grandchild, "
         "group_grandchild, leaks_key_plain_stdout, leaks_key_early_stderr, "
         "leaks_key_in_configure";
}

}  // namespace rollproof::broken
