#include "subject_answers.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>
#include <string_view>

#include "json_number.hpp"

namespace rollproof::framework::detail {
namespace {

// The sample index of "u-<i>", or nullopt for any other id.
std::optional<std::size_t> sample_index(const boost::json::value* id) {
  if (id == nullptr || !id->is_string()) return std::nullopt;
  const std::string_view text = id->as_string();
  if (!text.starts_with("u-") || text.size() == 2) return std::nullopt;
  std::size_t i = 0;
  const auto [end, ec] = std::from_chars(text.data() + 2, text.data() + text.size(), i);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return i;
}

// An integer field as int: missing, fractional or non-numbers give 0, huge values saturate.
int int_field(const boost::json::object& o, std::string_view key) {
  return static_cast<int>(std::clamp<std::int64_t>(integer_or(o.if_contains(key), 0),
                                                   std::numeric_limits<int>::min(),
                                                   std::numeric_limits<int>::max()));
}

}  // namespace

upload_run::upload_run(std::size_t n) : samples(n), file_ids(n), started(n), answered(n, false) {}

bool take_upload_answer(const boost::json::object& a, upload_run& run,
                        std::chrono::steady_clock::time_point now) {
  const auto index = sample_index(a.if_contains("id"));
  if (!index || *index >= run.samples.size() || run.answered[*index]) return false;
  const std::size_t i = *index;
  auto& s = run.samples[i];
  run.answered[i] = true;
  if (run.in_flight > 0) --run.in_flight;
  ++run.done;
  s.latency_ms = std::chrono::duration<double, std::milli>(now - run.started[i]).count();
  const auto flag = [&](std::string_view k) {
    const auto* v = a.if_contains(k);
    return v != nullptr && v->is_bool() && v->as_bool();
  };
  s.ok = flag("ok");
  s.fallback = flag("fallback");
  s.attempts = int_field(a, "attempts");
  s.status = int_field(a, "status");
  s.reported_route = text_of(a, "route");
  run.file_ids[i] = text_of(a, "file_id");
  if (!s.ok) {
    if (const auto* e = a.if_contains("error"); e != nullptr && e->is_object())
      s.error_code = text_of(e->as_object(), "code");
    if (s.error_code.empty()) s.error_code = "internal";
    s.timed_out = s.error_code == "timeout";
  }
  return true;
}

std::expected<void, std::string> append_bucket_answer(const boost::json::object& a,
                                                      std::size_t users, bucket_decisions& out) {
  const auto* enabled = a.if_contains("enabled");
  if (enabled == nullptr || !enabled->is_array() || enabled->as_array().size() != users)
    return std::unexpected("the answer has no 'enabled' of the users' length");
  for (const auto& e : enabled->as_array())
    out.enabled.push_back(e.is_bool() && e.as_bool());
  const auto* buckets = a.if_contains("buckets");
  const auto* scale = a.if_contains("scale");
  if (buckets != nullptr && buckets->is_array() && scale != nullptr && scale->is_number() &&
      buckets->as_array().size() == users) {
    out.scale = integer_or(scale, 0);
    for (const auto& v : buckets->as_array())
      out.buckets.push_back(integer_or(&v, -1));
  }
  return {};
}

}  // namespace rollproof::framework::detail
