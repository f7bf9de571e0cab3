#include <boost/json.hpp>

#include "rollproof/mock/fault_rules.hpp"

namespace rollproof::mock {

namespace json = boost::json;

namespace {

// Only the fields a rule sets are written, so the JSON reads like the TOML it came from.
json::object match_json(const fault_match& m) {
  json::object o;
  if (m.method) o["method"] = *m.method;
  if (m.path) o["path"] = *m.path;
  if (m.header) o["header"] = {{"name", m.header->name}, {"regex", m.header->regex}};
  if (m.min_bytes) o["min_bytes"] = *m.min_bytes;
  if (m.max_bytes) o["max_bytes"] = *m.max_bytes;
  return o;
}

json::object schedule_json(const fault_schedule& s) {
  json::object o;
  if (s.probability) o["probability"] = *s.probability;
  if (s.every) o["every"] = *s.every;
  if (s.first) o["first"] = *s.first;
  if (s.after) o["after"] = *s.after;
  return o;
}

json::object action_json(const fault_action& a) {
  json::object o;
  o["kind"] = to_string(a.kind);
  switch (a.kind) {
    case action_kind::status: {
      o["status"] = a.status;
      if (a.body) o["body"] = *a.body;
      if (!a.headers.empty()) {
        json::object h;
        for (const auto& [name, value] : a.headers)
          h[name] = value;
        o["headers"] = std::move(h);
      }
      break;
    }
    case action_kind::latency:
      if (a.distribution == latency_distribution::fixed) {
        o["ms"] = a.ms;
      } else if (a.distribution == latency_distribution::uniform) {
        o["distribution"] = "uniform";
        o["min_ms"] = a.min_ms;
        o["max_ms"] = a.max_ms;
      } else {
        o["distribution"] = "lognormal";
        o["median_ms"] = a.median_ms;
        o["sigma"] = a.sigma;
        o["max_ms"] = a.max_ms;
      }
      break;
    case action_kind::bandwidth:
      if (a.request_bytes_per_s != 0) o["request_bytes_per_s"] = a.request_bytes_per_s;
      if (a.response_bytes_per_s != 0) o["response_bytes_per_s"] = a.response_bytes_per_s;
      break;
    case action_kind::reset:
      o["after_bytes"] = a.after_bytes;
      break;
    case action_kind::truncate:
      if (a.bytes) o["bytes"] = *a.bytes;
      break;
    case action_kind::slow_close:
      o["delay_ms"] = a.delay_ms;
      break;
    case action_kind::corrupt:
      o["offset"] = a.offset;
      break;
    case action_kind::close:
    case action_kind::stall:
    case action_kind::empty:
    case action_kind::malformed:
      break;
  }
  return o;
}

}  // namespace

json::value to_json(const fault_plan& p) {
  json::array rules;
  for (const auto& r : p.rules) {
    rules.push_back(json::object{{"name", r.name},
                                 {"match", match_json(r.match)},
                                 {"schedule", schedule_json(r.schedule)},
                                 {"action", action_json(r.action)}});
  }
  return json::object{{"rules", std::move(rules)}};
}

}  // namespace rollproof::mock
