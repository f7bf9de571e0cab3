#include "rollproof/mock/fault_engine.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "header_regex.hpp"

namespace rollproof::mock {

namespace {

// FNV-1a: a stable hash of the rule name, so schedules do not shift when rules are reordered.
std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char ch : s) {
    h ^= ch;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

bool glob_matches(std::string_view pattern, std::string_view path) {
  return ::fnmatch(std::string(pattern).c_str(), std::string(path).c_str(), 0) == 0;
}

namespace {

// The one implementation of a match; `header_regex` is m.header's regex, compiled.
bool matches(const fault_match& m, const re2::RE2* header_regex, const request_facts& r) {
  if (m.method && *m.method != r.method) return false;
  if (m.path && !glob_matches(*m.path, r.path)) return false;
  if (m.min_bytes || m.max_bytes) {
    if (!r.content_length) return false;
    if (m.min_bytes && *r.content_length < *m.min_bytes) return false;
    if (m.max_bytes && *r.content_length > *m.max_bytes) return false;
  }
  if (m.header) {
    const auto value = r.header ? r.header(m.header->name) : std::nullopt;
    if (!value || header_regex == nullptr) return false;
    if (!detail::header_regex_finds(*header_regex, *value)) return false;
  }
  return true;
}

std::shared_ptr<const re2::RE2> compiled_regex_of(const fault_match& m) {
  if (!m.header) return nullptr;
  auto compiled = detail::compile_header_regex(m.header->regex);
  return compiled ? std::move(*compiled) : nullptr;  // parse_fault_plan refused any other
}

}  // namespace

bool rule_matches(const fault_match& m, const request_facts& r) {
  const auto regex = compiled_regex_of(m);
  return matches(m, regex.get(), r);
}

fault_engine::fault_engine(std::uint64_t seed)
    : seed_(seed), plan_(std::make_shared<compiled_plan>()) {}

fault_engine::~fault_engine() = default;

void fault_engine::set_plan(fault_plan plan) {
  auto compiled = std::make_shared<compiled_plan>();
  for (auto& r : plan.rules) {
    compiled_rule c{std::move(r), nullptr, 0};
    c.header_regex = compiled_regex_of(c.rule.match);
    c.name_hash = fnv1a(c.rule.name);
    compiled->rules.push_back(std::move(c));
  }
  compiled->matches.assign(compiled->rules.size(), 0);
  const std::lock_guard lock(mutex_);
  plan_ = std::move(compiled);
}

fault_plan fault_engine::plan() const {
  std::shared_ptr<const compiled_plan> current;
  {
    const std::lock_guard lock(mutex_);
    current = plan_;
  }
  fault_plan p;
  for (const auto& c : current->rules)
    p.rules.push_back(c.rule);
  return p;
}

void fault_engine::restart() {
  const std::lock_guard lock(mutex_);
  std::fill(plan_->matches.begin(), plan_->matches.end(), 0);
}

// One independent draw per (seed, rule, match number, stream): decisions depend only on how many
// requests the rule has matched, not on timing or on other rules.
std::uint64_t fault_engine::draw(const compiled_rule& c, std::uint64_t match,
                                 std::uint64_t stream) const {
  std::seed_seq seq{
      static_cast<std::uint32_t>(seed_),       static_cast<std::uint32_t>(seed_ >> 32),
      static_cast<std::uint32_t>(c.name_hash), static_cast<std::uint32_t>(c.name_hash >> 32),
      static_cast<std::uint32_t>(match),       static_cast<std::uint32_t>(match >> 32),
      static_cast<std::uint32_t>(stream)};
  std::mt19937_64 engine(seq);
  return engine();
}

std::optional<fault_decision> fault_engine::decide(const request_facts& r) {
  std::shared_ptr<compiled_plan> current;
  {
    const std::lock_guard lock(mutex_);
    current = plan_;
  }
  // Unlocked: the rules of a plan never change, and the request's header lookups are its own.
  std::vector<bool> matched(current->rules.size());
  for (std::size_t i = 0; i < matched.size(); ++i) {
    const auto& c = current->rules[i];
    matched[i] = matches(c.rule.match, c.header_regex.get(), r);
  }
  const std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < matched.size(); ++i) {
    if (!matched[i]) continue;
    const auto& c = current->rules[i];
    const std::uint64_t n = ++current->matches[i];
    const auto& s = c.rule.schedule;
    bool fires = true;
    if (s.every && n % *s.every != 0) fires = false;
    if (s.first && n > *s.first) fires = false;
    if (s.after && n <= *s.after) fires = false;
    if (fires && s.probability) {
      std::mt19937_64 engine(draw(c, n, 1));
      fires = std::uniform_real_distribution<double>(0.0, 1.0)(engine) < *s.probability;
    }
    if (!fires) continue;
    fault_decision d{c.rule.name, c.rule.action, 0};
    const auto& a = c.rule.action;
    if (a.kind == action_kind::latency) {
      std::mt19937_64 engine(draw(c, n, 2));
      switch (a.distribution) {
        case latency_distribution::fixed:
          d.latency_ms = a.ms;
          break;
        case latency_distribution::uniform:
          d.latency_ms = std::uniform_int_distribution<std::uint64_t>(a.min_ms, a.max_ms)(engine);
          break;
        case latency_distribution::lognormal: {
          const double ms =
              std::lognormal_distribution<double>(std::log(a.median_ms), a.sigma)(engine);
          d.latency_ms = std::min<std::uint64_t>(a.max_ms, static_cast<std::uint64_t>(ms));
          break;
        }
      }
    }
    return d;
  }
  return std::nullopt;
}

}  // namespace rollproof::mock
