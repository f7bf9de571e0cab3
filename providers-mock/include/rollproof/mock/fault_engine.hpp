#pragma once
// Decides, per request, which fault rule fires: matching, seeded schedules, latency sampling.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rollproof/mock/fault_rules.hpp"

namespace re2 {
class RE2;
}

namespace rollproof::mock {

// What the engine needs to know about a request when its headers have arrived.
struct request_facts {
  std::string_view method;
  std::string_view path;                        // without the query string
  std::optional<std::uint64_t> content_length;  // nullopt when chunked or unknown
  std::function<std::optional<std::string>(std::string_view name)> header;
};

// The fault to inject into one request.
struct fault_decision {
  std::string name;
  fault_action action;
  std::uint64_t latency_ms = 0;  // sampled for latency actions
};

// True when `path` matches the fnmatch(3) glob `pattern` (no FNM_PATHNAME: `*` crosses '/').
[[nodiscard]] bool glob_matches(std::string_view pattern, std::string_view path);

// True when the rule's match part accepts the request (schedules not considered).
[[nodiscard]] bool rule_matches(const fault_match& m, const request_facts& r);

// Thread-safe; the same seed, plan and request sequence always give the same decisions. Matching
// (glob, header regex, the request's header lookups) runs without the engine's lock, so a slow
// request never holds up the others, set_plan, plan or restart.
class fault_engine {
 public:
  // An engine with no rules.
  explicit fault_engine(std::uint64_t seed);
  ~fault_engine();
  fault_engine(const fault_engine&) = delete;
  fault_engine& operator=(const fault_engine&) = delete;
  // Replaces the rules and restarts every schedule; the plan must come from parse_fault_plan.
  void set_plan(fault_plan plan);
  // A copy of the current rules.
  [[nodiscard]] fault_plan plan() const;
  // Restarts every schedule (match counters back to zero).
  void restart();
  // The first matching rule whose schedule fires, or nullopt; counts the match for each rule tried.
  [[nodiscard]] std::optional<fault_decision> decide(const request_facts& r);

 private:
  struct compiled_rule {
    fault_rule rule;
    std::shared_ptr<const re2::RE2> header_regex;  // compiled once, when the plan is set
    std::uint64_t name_hash = 0;
  };
  // One plan as set: its rules never change, so requests match them unlocked; the match
  // counters (one per rule) are guarded by mutex_.
  struct compiled_plan {
    std::vector<compiled_rule> rules;
    std::vector<std::uint64_t> matches;
  };
  [[nodiscard]] std::uint64_t draw(const compiled_rule& c, std::uint64_t match,
                                   std::uint64_t stream) const;

  mutable std::mutex mutex_;
  std::uint64_t seed_;
  std::shared_ptr<compiled_plan> plan_;
};

}  // namespace rollproof::mock
