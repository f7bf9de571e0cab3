#include "rollproof/mock/fault_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <optional>
#include <set>

#include "fault_rules_validate.hpp"
#include "header_regex.hpp"

namespace rollproof::mock {

namespace json = boost::json;

namespace {

constexpr std::array<std::pair<action_kind, std::string_view>, 11> kinds{{
    {action_kind::status, "status"},
    {action_kind::latency, "latency"},
    {action_kind::bandwidth, "bandwidth"},
    {action_kind::reset, "reset"},
    {action_kind::close, "close"},
    {action_kind::stall, "stall"},
    {action_kind::empty, "empty"},
    {action_kind::malformed, "malformed"},
    {action_kind::truncate, "truncate"},
    {action_kind::slow_close, "slow_close"},
    {action_kind::corrupt, "corrupt"},
}};

constexpr std::uint64_t max_delay_ms = 3'600'000;
constexpr std::size_t max_header_name_bytes = 256;
constexpr std::size_t max_header_value_bytes = 16 * 1024;

// RFC 9110 5.6.2: token = 1*tchar.
bool is_token(std::string_view s) {
  constexpr std::string_view specials = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           specials.find(ch) != std::string_view::npos;
  });
}

// Why a rule may not set header `name`: the mock frames every response itself (its length, its
// transfer coding, whether the connection stays open), so a rule's value would either be replaced
// without a word or contradict the framing and leave the client reading a broken message.
std::optional<std::string_view> framing_header(std::string_view name) {
  const auto is = [&](std::string_view framing) {
    return name.size() == framing.size() &&
           std::equal(name.begin(), name.end(), framing.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == b;
           });
  };
  if (is("content-length") || is("transfer-encoding"))
    return "frames the response, which the mock does itself; a rule cannot set it";
  if (is("connection"))
    return "is the mock's to set; end the connection with action 'close' or 'slow_close'";
  return std::nullopt;
}

std::string kind_names() {
  std::string out;
  for (const auto& [k, name] : kinds) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::string_view type_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "integer";
    case json::kind::double_:
      return "float";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "table";
  }
  return "value";
}

using detail::issue;
using detail::path_step;

// Walks the document once, recording every problem instead of stopping at the first.
class checker {
 public:
  std::vector<issue> issues;

  void fail(const std::vector<path_step>& at, std::string message) {
    issues.push_back({at, std::move(message)});
  }

  static std::vector<path_step> child(std::vector<path_step> at, std::string key,
                                      bool index = false) {
    at.push_back({std::move(key), index});
    return at;
  }

  const json::object* table(const json::value& v, const std::vector<path_step>& at) {
    if (const auto* o = v.if_object()) return o;
    fail(at, fmt::format("expected a table, got {}", type_name(v)));
    return nullptr;
  }

  void only_keys(const json::object& o, const std::vector<path_step>& at,
                 std::initializer_list<std::string_view> allowed, std::string_view what) {
    for (const auto& [key, value] : o) {
      if (std::find(allowed.begin(), allowed.end(), std::string_view(key)) != allowed.end())
        continue;
      std::string list;
      for (auto a : allowed)
        list += (list.empty() ? "" : ", ") + std::string(a);
      fail(child(at, std::string(key)), fmt::format("unknown key '{}' in {} (expected one of: {})",
                                                    std::string_view(key), what, list));
    }
  }

  std::optional<std::string> string(const json::object& o, const std::vector<path_step>& at,
                                    std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr) return std::nullopt;
    if (const auto* s = v->if_string()) return std::string(*s);
    fail(child(at, std::string(key)), fmt::format("expected a string, got {}", type_name(*v)));
    return std::nullopt;
  }

  std::optional<std::uint64_t> count(const json::object& o, const std::vector<path_step>& at,
                                     std::string_view key, std::uint64_t min,
                                     std::uint64_t max = UINT64_MAX) {
    const auto* v = o.if_contains(key);
    if (v == nullptr) return std::nullopt;
    std::optional<std::uint64_t> n;
    if (const auto* i = v->if_int64()) {
      if (*i >= 0) n = static_cast<std::uint64_t>(*i);
    } else if (const auto* u = v->if_uint64()) {
      n = *u;
    } else {
      fail(child(at, std::string(key)), fmt::format("expected an integer, got {}", type_name(*v)));
      return std::nullopt;
    }
    if (!n || *n < min || *n > max) {
      const std::string shown = json::serialize(*v);
      if (max == UINT64_MAX)
        fail(child(at, std::string(key)), fmt::format("must be at least {}, got {}", min, shown));
      else
        fail(child(at, std::string(key)),
             fmt::format("must be between {} and {}, got {}", min, max, shown));
      return std::nullopt;
    }
    return n;
  }

  std::optional<double> number(const json::object& o, const std::vector<path_step>& at,
                               std::string_view key, double min, double max, bool open_min) {
    const auto* v = o.if_contains(key);
    if (v == nullptr) return std::nullopt;
    double d = 0;
    if (const auto* i = v->if_int64())
      d = static_cast<double>(*i);
    else if (const auto* u = v->if_uint64())
      d = static_cast<double>(*u);
    else if (const auto* f = v->if_double())
      d = *f;
    else {
      fail(child(at, std::string(key)), fmt::format("expected a number, got {}", type_name(*v)));
      return std::nullopt;
    }
    const bool below = open_min ? !(d > min) : !(d >= min);
    if (below || !(d <= max)) {
      fail(child(at, std::string(key)),
           fmt::format("must be {} {} and at most {}, got {}",
                       open_min ? "greater than" : "at least", min, max, d));
      return std::nullopt;
    }
    return d;
  }

  fault_match match(const json::value& v, const std::vector<path_step>& at) {
    fault_match m;
    const auto* o = table(v, at);
    if (o == nullptr) return m;
    only_keys(*o, at, {"method", "path", "header", "min_bytes", "max_bytes"}, "match");
    m.method = string(*o, at, "method");
    static const std::set<std::string, std::less<>> methods{"GET",  "POST",  "PUT",    "DELETE",
                                                            "HEAD", "PATCH", "OPTIONS"};
    if (m.method && !methods.contains(*m.method))
      fail(child(at, "method"),
           fmt::format("unknown method '{}' (expected an upper-case HTTP method)", *m.method));
    m.path = string(*o, at, "path");
    if (m.path && m.path->empty()) fail(child(at, "path"), "must not be empty");
    if (const auto* h = o->if_contains("header")) {
      const auto hat = child(at, "header");
      if (const auto* ho = table(*h, hat)) {
        only_keys(*ho, hat, {"name", "regex"}, "match.header");
        auto name = string(*ho, hat, "name");
        auto regex = string(*ho, hat, "regex");
        if (!ho->contains("name")) fail(hat, "missing required key 'name'");
        if (!ho->contains("regex")) fail(hat, "missing required key 'regex'");
        if (regex) {
          if (auto compiled = detail::compile_header_regex(*regex); !compiled)
            fail(child(hat, "regex"),
                 fmt::format("invalid regex '{}': {}", *regex, compiled.error()));
        }
        if (name && regex) m.header = header_match{*name, *regex};
      }
    }
    m.min_bytes = count(*o, at, "min_bytes", 0);
    m.max_bytes = count(*o, at, "max_bytes", 0);
    if (m.min_bytes && m.max_bytes && *m.min_bytes > *m.max_bytes)
      fail(child(at, "max_bytes"),
           fmt::format("must be at least min_bytes ({}), got {}", *m.min_bytes, *m.max_bytes));
    return m;
  }

  fault_schedule schedule(const json::value& v, const std::vector<path_step>& at) {
    fault_schedule s;
    const auto* o = table(v, at);
    if (o == nullptr) return s;
    only_keys(*o, at, {"probability", "every", "first", "after"}, "schedule");
    s.probability = number(*o, at, "probability", 0.0, 1.0, false);
    s.every = count(*o, at, "every", 1);
    s.first = count(*o, at, "first", 1);
    s.after = count(*o, at, "after", 0);
    return s;
  }

  void headers(const json::value& v, const std::vector<path_step>& at, fault_action& a) {
    const auto* o = table(v, at);
    if (o == nullptr) return;
    for (const auto& [key, value] : *o) {
      const auto hat = child(at, std::string(key));
      std::string text;
      if (const auto* s = value.if_string())
        text = std::string(*s);
      else if (value.is_int64() || value.is_uint64())
        text = json::serialize(value);
      else {
        fail(hat, fmt::format("expected a string or an integer, got {}", type_name(value)));
        continue;
      }
      if (!is_token(key))
        fail(hat,
             "header name must be a token (RFC 9110: letters, digits and !#$%&'*+-.^_`|~ only)");
      else if (const auto why = framing_header(key))
        fail(hat, fmt::format("header '{}' {}", std::string_view(key), *why));
      else if (key.size() > max_header_name_bytes)
        fail(hat,
             fmt::format("header name is {} bytes, at most {}", key.size(), max_header_name_bytes));
      // RFC 9110 5.5: a field value is visible characters, obs-text, spaces and tabs; any other
      // control byte (CR and LF inject lines; NUL, DEL and the rest make clients refuse it).
      const auto control = std::ranges::find_if(text, [](char c) {
        const auto b = static_cast<unsigned char>(c);
        return (b < 0x20 && b != '\t') || b == 0x7f;
      });
      if (control != text.end())
        fail(hat, fmt::format("header value must not contain control characters (byte 0x{:02x}): "
                              "only visible characters, spaces and tabs (RFC 9110 5.5)",
                              static_cast<unsigned char>(*control)));
      else if (text.size() > max_header_value_bytes)
        fail(hat, fmt::format("header value is {} bytes, at most {}", text.size(),
                              max_header_value_bytes));
      a.headers.emplace_back(std::string(key), std::move(text));
    }
  }

  fault_action action(const json::value& v, const std::vector<path_step>& at) {
    fault_action a;
    const auto* o = table(v, at);
    if (o == nullptr) return a;
    const auto kind_name = string(*o, at, "kind");
    if (!o->contains("kind")) {
      fail(at, "missing required key 'kind'");
      return a;
    }
    if (!kind_name) return a;
    const auto* found = std::find_if(kinds.begin(), kinds.end(),
                                     [&](const auto& k) { return k.second == *kind_name; });
    if (found == kinds.end()) {
      fail(child(at, "kind"),
           fmt::format("unknown action kind '{}' (expected one of: {})", *kind_name, kind_names()));
      return a;
    }
    a.kind = found->first;
    switch (a.kind) {
      case action_kind::status:
        only_keys(*o, at, {"kind", "status", "body", "headers"}, "action 'status'");
        if (!o->contains("status")) fail(at, "missing required key 'status'");
        a.status = static_cast<unsigned>(count(*o, at, "status", 100, 599).value_or(503));
        a.body = string(*o, at, "body");
        if (o->contains("body") && status_has_no_body(a.status))
          fail(child(at, "body"),
               fmt::format("a {} response has no body (RFC 9110); remove 'body'", a.status));
        if (const auto* h = o->if_contains("headers")) headers(*h, child(at, "headers"), a);
        break;
      case action_kind::latency:
        latency(*o, at, a);
        break;
      case action_kind::bandwidth:
        only_keys(*o, at, {"kind", "request_bytes_per_s", "response_bytes_per_s"},
                  "action 'bandwidth'");
        a.request_bytes_per_s = count(*o, at, "request_bytes_per_s", 1).value_or(0);
        a.response_bytes_per_s = count(*o, at, "response_bytes_per_s", 1).value_or(0);
        if (!o->contains("request_bytes_per_s") && !o->contains("response_bytes_per_s"))
          fail(at, "missing required key 'request_bytes_per_s' or 'response_bytes_per_s'");
        break;
      case action_kind::reset:
        only_keys(*o, at, {"kind", "after_bytes"}, "action 'reset'");
        a.after_bytes = count(*o, at, "after_bytes", 0).value_or(0);
        break;
      case action_kind::truncate:
        only_keys(*o, at, {"kind", "bytes"}, "action 'truncate'");
        a.bytes = count(*o, at, "bytes", 0);
        break;
      case action_kind::slow_close:
        only_keys(*o, at, {"kind", "delay_ms"}, "action 'slow_close'");
        a.delay_ms = count(*o, at, "delay_ms", 0, max_delay_ms).value_or(1000);
        break;
      case action_kind::corrupt:
        only_keys(*o, at, {"kind", "offset"}, "action 'corrupt'");
        a.offset = count(*o, at, "offset", 0).value_or(0);
        break;
      case action_kind::close:
      case action_kind::stall:
      case action_kind::empty:
      case action_kind::malformed:
        only_keys(*o, at, {"kind"}, fmt::format("action '{}'", *kind_name));
        break;
    }
    return a;
  }

  void latency(const json::object& o, const std::vector<path_step>& at, fault_action& a) {
    const auto dist = string(o, at, "distribution");
    if (!dist || *dist == "fixed") {
      only_keys(o, at, {"kind", "ms", "distribution"}, "action 'latency'");
      if (!o.contains("ms") && !o.contains("distribution")) fail(at, "missing required key 'ms'");
      a.ms = count(o, at, "ms", 0, max_delay_ms).value_or(0);
      return;
    }
    if (*dist == "uniform") {
      a.distribution = latency_distribution::uniform;
      only_keys(o, at, {"kind", "distribution", "min_ms", "max_ms"}, "uniform latency");
      if (!o.contains("min_ms")) fail(at, "missing required key 'min_ms'");
      if (!o.contains("max_ms")) fail(at, "missing required key 'max_ms'");
      a.min_ms = count(o, at, "min_ms", 0, max_delay_ms).value_or(0);
      a.max_ms = count(o, at, "max_ms", 0, max_delay_ms).value_or(a.min_ms);
      if (a.min_ms > a.max_ms)
        fail(child(at, "max_ms"),
             fmt::format("must be at least min_ms ({}), got {}", a.min_ms, a.max_ms));
      return;
    }
    if (*dist == "lognormal") {
      a.distribution = latency_distribution::lognormal;
      only_keys(o, at, {"kind", "distribution", "median_ms", "sigma", "max_ms"},
                "lognormal latency");
      if (!o.contains("median_ms")) fail(at, "missing required key 'median_ms'");
      if (!o.contains("sigma")) fail(at, "missing required key 'sigma'");
      a.median_ms = number(o, at, "median_ms", 0.0, max_delay_ms, true).value_or(0);
      a.sigma = number(o, at, "sigma", 0.0, 10.0, true).value_or(0);
      a.max_ms = count(o, at, "max_ms", 0, max_delay_ms).value_or(60'000);
      return;
    }
    fail(child(at, "distribution"),
         fmt::format("unknown distribution '{}' (expected one of: fixed, uniform, lognormal)",
                     *dist));
  }

  std::optional<fault_rule> rule(const json::value& v, const std::vector<path_step>& at) {
    const auto* o = table(v, at);
    if (o == nullptr) return std::nullopt;
    const std::size_t before = issues.size();
    only_keys(*o, at, {"name", "match", "schedule", "action"}, "rule");
    fault_rule r;
    if (!o->contains("name")) fail(at, "missing required key 'name'");
    r.name = string(*o, at, "name").value_or("");
    if (o->contains("name") && o->at("name").is_string() && r.name.empty())
      fail(child(at, "name"), "must not be empty");
    if (const auto* m = o->if_contains("match")) r.match = match(*m, child(at, "match"));
    if (const auto* s = o->if_contains("schedule"))
      r.schedule = schedule(*s, child(at, "schedule"));
    if (const auto* a = o->if_contains("action"))
      r.action = action(*a, child(at, "action"));
    else
      fail(at, "missing required key 'action'");
    if (issues.size() != before) return std::nullopt;
    return r;
  }
};

}  // namespace

namespace detail {

std::expected<fault_plan, std::vector<issue>> validate_fault_plan(const json::value& v) {
  checker c;
  fault_plan plan;
  const std::vector<path_step> root;
  if (const auto* o = c.table(v, root)) {
    c.only_keys(*o, root, {"rules"}, "fault plan");
    if (const auto* rules = o->if_contains("rules")) {
      const auto at = checker::child(root, "rules");
      if (const auto* a = rules->if_array()) {
        std::set<std::string> names;
        for (std::size_t i = 0; i < a->size(); ++i) {
          const auto rat = checker::child(at, std::to_string(i), true);
          auto r = c.rule((*a)[i], rat);
          if (!r) continue;
          if (!names.insert(r->name).second)
            c.fail(checker::child(rat, "name"), fmt::format("duplicate rule name '{}'", r->name));
          plan.rules.push_back(std::move(*r));
        }
      } else {
        c.fail(at, fmt::format("expected an array of tables, got {}", type_name(*rules)));
      }
    }
  }
  if (!c.issues.empty()) return std::unexpected(std::move(c.issues));
  return plan;
}

std::string json_pointer(const std::vector<path_step>& path) {
  std::string out;
  for (const auto& step : path) {
    out += '/';
    for (char ch : step.key) {
      if (ch == '~')
        out += "~0";
      else if (ch == '/')
        out += "~1";
      else
        out += ch;
    }
  }
  return out.empty() ? "/" : out;
}

std::string dotted_path(const std::vector<path_step>& path) {
  std::string out;
  for (const auto& step : path) {
    if (step.index)
      out += fmt::format("[{}]", step.key);
    else
      out += (out.empty() ? "" : ".") + step.key;
  }
  return out;
}

}  // namespace detail

bool status_has_no_body(unsigned status) {
  return status < 200 || status == 204 || status == 304;
}

std::string_view to_string(action_kind kind) {
  for (const auto& [k, name] : kinds)
    if (k == kind) return name;
  return "unknown";
}

std::expected<fault_plan, rollproof::diagnostics> parse_fault_plan(const json::value& v,
                                                                   std::string_view file) {
  auto plan = detail::validate_fault_plan(v);
  if (plan) return std::move(*plan);
  rollproof::diagnostics out;
  for (const auto& i : plan.error())
    out.push_back({{std::string(file), 0, 0},
                   fmt::format("{}: {}", detail::json_pointer(i.path), i.message)});
  return std::unexpected(std::move(out));
}

}  // namespace rollproof::mock
