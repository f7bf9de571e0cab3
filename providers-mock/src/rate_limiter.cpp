#include "rollproof/mock/rate_limiter.hpp"

#include <array>

namespace rollproof::mock {

std::optional<rate_limits> kimi_tier(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, rate_limits>, 6> tiers{{
      {"tier0", {1, 3}},
      {"tier1", {50, 200}},
      {"tier2", {100, 500}},
      {"tier3", {200, 5000}},
      {"tier4", {400, 5000}},
      {"tier5", {1000, 10000}},
  }};
  for (const auto& [n, limits] : tiers)
    if (n == name) return limits;
  return std::nullopt;
}

rate_limiter::rate_limiter(rate_limits limits) : limits_(limits) {}

std::optional<rate_refusal> rate_limiter::acquire(const std::string& key, clock::time_point now) {
  const std::lock_guard lock(mutex_);
  auto& k = keys_[key];
  if (limits_.max_concurrency != 0 && k.in_flight >= limits_.max_concurrency)
    return rate_refusal{true, limits_.max_concurrency, 1};
  if (limits_.rpm != 0) {
    const auto window = std::chrono::minutes(1);
    while (!k.recent.empty() && now - k.recent.front() >= window)
      k.recent.pop_front();
    if (k.recent.size() >= limits_.rpm) {
      const auto wait = window - (now - k.recent.front());
      const auto seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
      return rate_refusal{false, limits_.rpm,
                          static_cast<std::uint64_t>(seconds < 1 ? 1 : seconds)};
    }
    k.recent.push_back(now);
  }
  ++k.in_flight;
  return std::nullopt;
}

void rate_limiter::release(const std::string& key) {
  const std::lock_guard lock(mutex_);
  const auto it = keys_.find(key);
  if (it != keys_.end() && it->second.in_flight > 0) --it->second.in_flight;
}

void rate_limiter::reset() {
  const std::lock_guard lock(mutex_);
  // In-flight requests will still release; keep their counts so limits stay honest.
  for (auto& [key, state] : keys_)
    state.recent.clear();
}

}  // namespace rollproof::mock
