// libFuzzer target: fault rules that are always well-formed documents but carry hostile values
// (1xx/204/304 statuses with bodies, huge or CR/LF header names and values, framing headers,
// pathological RE2 regexes and globs, huge delays, probabilities and counts, NaN and infinities),
// in JSON and, written out by toml++, in TOML. Oracle: the mock's validation refuses the plan, or
// every accepted rule is within the documented bounds, survives to_json, and the fault engine
// decides on synthetic requests, and every response a status fault builds is one HTTP/1.1 message
// that Beast reads back whole: header lines without CR/LF, no body for 1xx/204/304, framing that
// matches the body. ROLLPROOF_FUZZ_SHOW=1 prints the document an input builds.

#include <toml++/toml.h>

#include <array>
#include <boost/algorithm/string/case_conv.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz_input.hpp"
#include "response_wire.hpp"
#include "rollproof/mock/fault_engine.hpp"
#include "rollproof/mock/fault_rules.hpp"
#include "rollproof/mock/file_store.hpp"
#include "rollproof/mock/provider_api.hpp"

namespace {

namespace json = boost::json;
namespace http = boost::beast::http;
namespace mock = rollproof::mock;
using rollproof::fuzzing::fuzz_input;

constexpr std::uint64_t max_delay_ms = 3'600'000;  // fault_rules.cpp's bound on every delay

const std::string big_name(257, 'h');
const std::string long_value(16 * 1024, 'v');
const std::string too_long_value(16 * 1024 + 1, 'v');
const std::string huge(1 << 20, 'a');

const std::array<json::value, 24> numbers{
    json::value(0),
    json::value(1),
    json::value(2),
    json::value(100),
    json::value(204),
    json::value(304),
    json::value(599),
    json::value(600),
    json::value(3'600'000),
    json::value(3'600'001),
    json::value(std::int64_t{1} << 32),
    json::value(std::int64_t{1} << 53),
    json::value(std::numeric_limits<std::int64_t>::max()),
    json::value(std::uint64_t{1} << 63),
    json::value(std::numeric_limits<std::uint64_t>::max()),
    json::value(-1),
    json::value(std::numeric_limits<std::int64_t>::min()),
    json::value(std::numeric_limits<double>::quiet_NaN()),
    json::value(std::numeric_limits<double>::infinity()),
    json::value(-std::numeric_limits<double>::infinity()),
    json::value(-0.0),
    json::value(5e-324),
    json::value(std::nextafter(1.0, 2.0)),
    json::value(0.5),
};

const std::array<std::uint64_t, 12> statuses{100, 101, 103, 199, 200, 204,
                                             206, 304, 429, 503, 599, 600};

const std::array<std::string_view, 22> header_names{"X-Fault",
                                                    "Retry-After",
                                                    "Content-Length",
                                                    "Transfer-Encoding",
                                                    "Connection",
                                                    "Content-Type",
                                                    "Server",
                                                    "Msh-Request-Id",
                                                    "x-request-id",
                                                    "Set-Cookie",
                                                    "X\r\nInjected",
                                                    "X\nY",
                                                    "X Y",
                                                    "",
                                                    "X:Y",
                                                    "Trailer",
                                                    "Upgrade",
                                                    "Keep-Alive",
                                                    "Content-Encoding",
                                                    "Expect",
                                                    "X-\xc3\xa9",
                                                    "Content-Range"};

const std::array<std::string_view, 18> header_values{"1",
                                                     "",
                                                     "chunked",
                                                     "gzip, chunked",
                                                     "close",
                                                     "keep-alive",
                                                     "abc\r\nX-Injected: 1",
                                                     "a\nb",
                                                     "a\rb",
                                                     " lead",
                                                     "trail ",
                                                     "\t",
                                                     "\x7f",
                                                     "\xc3\xa9",
                                                     "-1",
                                                     "99999999999999999999",
                                                     "bytes 0-1/2",
                                                     "0"};

const std::array<std::string_view, 20> regexes{"(a*)*b",
                                               "(a|aa)*c",
                                               "(x+x+)+y",
                                               "\\1",
                                               "(a)\\1",
                                               "a{1000}",
                                               "a{1001}",
                                               "(a{100}){100}",
                                               "((a{10}){10}){10}",
                                               "(?i)(.*){50}",
                                               ".*.*.*.*.*.*=",
                                               "(",
                                               "[",
                                               "\\",
                                               "x**",
                                               "^$",
                                               "",
                                               "\\C",
                                               "\\x{110000}",
                                               "(?s)."};

const std::array<std::string_view, 10> globs{
    "*",   "*/files", "/v1/files",      "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "[", "[!", "\\",
    "[a-", "*[*[*[*", "/v1/files/[!/]*"};

const std::array<std::string_view, 9> methods{"GET",  "POST", "PUT",     "DELETE", "HEAD",
                                              "post", "",     "CONNECT", "GET\r\n"};

const std::array<std::string_view, 12> kinds{"status",   "latency",    "bandwidth", "reset",
                                             "close",    "stall",      "empty",     "malformed",
                                             "truncate", "slow_close", "corrupt",   "explode"};

const std::array<std::string_view, 4> distributions{"fixed", "uniform", "lognormal", "poisson"};

template <class Common>
std::string hostile_string(fuzz_input& in, const Common& common) {
  switch (in.below(8)) {
    case 4:
      return big_name;
    case 5:
      return long_value;
    case 6:
      return too_long_value;
    case 7:
      return in.text(64);
    default:
      return std::string(in.pick(common));
  }
}

json::value number(fuzz_input& in) {
  if (in.below(8) == 7) return json::value("5");  // the wrong type, now and then
  return in.pick(numbers);
}

json::object match(fuzz_input& in) {
  json::object m;
  if (in.flag()) m["method"] = in.pick(methods);
  if (in.flag()) m["path"] = in.below(8) == 7 ? huge.substr(0, 4096) : std::string(in.pick(globs));
  if (in.flag())
    m["header"] = {
        {"name", in.pick(header_names)},
        {"regex", in.below(8) == 7 ? std::string(100'000, 'a') : std::string(in.pick(regexes))}};
  if (in.flag()) m["min_bytes"] = number(in);
  if (in.flag()) m["max_bytes"] = number(in);
  return m;
}

json::object schedule(fuzz_input& in) {
  json::object s;
  for (const char* key : {"probability", "every", "first", "after"})
    if (in.flag()) s[key] = number(in);
  return s;
}

json::object action(fuzz_input& in) {
  json::object a;
  const std::string_view kind = in.pick(kinds);
  a["kind"] = kind;
  if (kind == "status") {
    if (in.below(4) != 0) a["status"] = in.pick(statuses);
    if (in.flag()) a["body"] = in.flag() ? std::string(huge) : in.text(32);
    json::object headers;
    for (std::size_t n = in.below(4); n > 0; --n) {
      std::string name = hostile_string(in, header_names);  // read before the value
      headers[name] =
          in.below(8) == 7 ? number(in) : json::value(hostile_string(in, header_values));
    }
    if (!headers.empty() || in.flag()) a["headers"] = std::move(headers);
  } else if (kind == "latency") {
    if (in.flag()) a["distribution"] = in.pick(distributions);
    for (const char* key : {"ms", "min_ms", "max_ms", "median_ms", "sigma"})
      if (in.flag()) a[key] = number(in);
  } else {
    for (const char* key : {"request_bytes_per_s", "response_bytes_per_s", "after_bytes", "bytes",
                            "delay_ms", "offset"})
      if (in.below(4) == 3) a[key] = number(in);
  }
  return a;
}

json::value plan_of(fuzz_input& in) {
  json::array rules;
  for (std::size_t i = 0, n = 1 + in.below(4); i < n; ++i) {
    json::object r;
    std::string name = "r";
    if (in.below(8) == 7)
      name = in.text(16);
    else
      name += std::to_string(in.below(3));
    r["name"] = std::move(name);
    if (in.flag()) r["match"] = match(in);
    if (in.flag()) r["schedule"] = schedule(in);
    r["action"] = action(in);
    rules.push_back(std::move(r));
  }
  return json::object{{"rules", std::move(rules)}};
}

// The same document for toml++ (which has no unsigned integers: those past INT64_MAX become
// floats).
toml::table toml_of(const json::object& o);

toml::array toml_of(const json::array& a) {
  toml::array out;
  for (const auto& v : a)
    if (const auto* o = v.if_object()) out.push_back(toml_of(*o));
  return out;
}

toml::table toml_of(const json::object& o) {
  toml::table t;
  for (const auto& [key, v] : o) {
    const std::string_view k(key);
    if (const auto* s = v.if_string())
      t.insert(k, std::string(*s));
    else if (const auto* i = v.if_int64())
      t.insert(k, *i);
    else if (const auto* u = v.if_uint64())
      t.insert(k, static_cast<double>(*u));
    else if (const auto* d = v.if_double())
      t.insert(k, *d);
    else if (const auto* sub = v.if_object())
      t.insert(k, toml_of(*sub));
    else if (const auto* arr = v.if_array())
      t.insert(k, toml_of(*arr));
  }
  return t;
}

// Every promise of fault_rules.hpp about an accepted rule.
bool within_bounds(const mock::fault_rule& r) {
  const auto& s = r.schedule;
  const auto& a = r.action;
  bool ok = !r.name.empty();
  ok = ok && (!s.probability || (*s.probability >= 0 && *s.probability <= 1));
  ok = ok && (!s.every || *s.every >= 1) && (!s.first || *s.first >= 1);
  ok = ok && (!r.match.min_bytes || !r.match.max_bytes || *r.match.min_bytes <= *r.match.max_bytes);
  switch (a.kind) {
    case mock::action_kind::status:
      ok = ok && a.status >= 100 && a.status <= 599 &&
           !(a.body && mock::status_has_no_body(a.status));
      for (const auto& [name, value] : a.headers)
        ok = ok && !name.empty() && name.size() <= 256 && value.size() <= 16 * 1024 &&
             name.find_first_of(std::string_view(" :\r\n\0", 5)) == std::string::npos &&
             value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos;
      break;
    case mock::action_kind::latency:
      ok = ok && a.ms <= max_delay_ms && a.min_ms <= a.max_ms && a.max_ms <= max_delay_ms;
      if (a.distribution == mock::latency_distribution::lognormal)
        ok = ok && a.median_ms > 0 && a.median_ms <= max_delay_ms && a.sigma > 0 && a.sigma <= 10;
      break;
    case mock::action_kind::slow_close:
      ok = ok && a.delay_ms <= max_delay_ms;
      break;
    default:
      break;
  }
  return ok;
}

std::string_view trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// The wire of a status fault's reply is one well-formed response carrying what the rule asked.
void check_response(const mock::reply& r, bool keep_alive) {
  const std::string wire = mock::response_wire(
      r, std::pair<std::string_view, std::string>{"Msh-Request-Id", "req-1"}, keep_alive);
  const auto head_end = wire.find("\r\n\r\n");
  if (head_end == std::string::npos) __builtin_trap();
  // Every header line is `name: value` with no CR or LF of its own.
  const std::string_view head(wire.data(), head_end);
  for (std::size_t at = head.find("\r\n"); at != std::string_view::npos;) {
    const std::size_t next = head.find("\r\n", at + 2);
    const auto line =
        head.substr(at + 2, next == std::string_view::npos ? head.npos : next - at - 2);
    if (line.find_first_of("\r\n") != std::string_view::npos || line.find(':') == 0 ||
        line.find(':') == std::string_view::npos)
      __builtin_trap();
    at = next;
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  parser.header_limit(std::numeric_limits<std::uint32_t>::max());
  boost::beast::error_code ec;
  std::size_t used = parser.put(boost::asio::buffer(wire), ec);
  if (!ec && !parser.is_done() && used < wire.size())
    used += parser.put(boost::asio::buffer(wire.data() + used, wire.size() - used), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) __builtin_trap();  // not one complete HTTP/1.1 response
  const auto& res = parser.get();
  const bool no_body = mock::status_has_no_body(r.status);
  if (res.result_int() != r.status) __builtin_trap();
  if (no_body && (!res.body().empty() || head_end + 4 != wire.size())) __builtin_trap();
  if (!no_body && res.body() != r.body) __builtin_trap();
  if ((r.status < 200 || r.status == 204) && res.count(http::field::content_length) != 0)
    __builtin_trap();  // RFC 9110 8.6
  if (res.count(http::field::content_length) != 0 && res.count(http::field::transfer_encoding) != 0)
    __builtin_trap();  // RFC 9112 6.1
  if (res.count(http::field::content_length) > 1) __builtin_trap();
  // Each of the rule's headers reaches the client as written (the last of one name wins; a
  // reader drops the whitespace around a value).
  std::set<std::string> seen;
  for (auto h = r.headers.rbegin(); h != r.headers.rend(); ++h) {
    if (!seen.insert(boost::algorithm::to_lower_copy(h->first)).second) continue;
    const auto it = res.find(h->first);
    if (it == res.end() || trimmed(it->value()) != trimmed(h->second)) __builtin_trap();
  }
}

void check_engine(const mock::fault_plan& plan, fuzz_input& in) {
  mock::fault_engine engine(in.byte());
  engine.set_plan(plan);
  if (!(engine.plan() == plan)) __builtin_trap();
  mock::file_store store;
  mock::provider_config kimi_config;
  mock::provider_config glm_config;
  glm_config.kind = mock::provider_kind::glm;
  mock::provider_api kimi(kimi_config, store);
  mock::provider_api glm(glm_config, store);
  for (std::size_t i = 0, n = 1 + in.below(8); i < n; ++i) {
    const std::string header_value = in.below(8) == 7 ? huge : hostile_string(in, header_values);
    const std::array<std::optional<std::uint64_t>, 5> lengths{
        std::nullopt, 0, 1 << 20, std::numeric_limits<std::uint64_t>::max(), 100};
    const mock::request_facts request{
        in.pick(methods), in.flag() ? "/v1/files" : "/api/paas/v4/files/x", in.pick(lengths),
        [&](std::string_view) { return std::optional<std::string>(header_value); }};
    const auto d = engine.decide(request);
    if (!d) continue;
    if (d->latency_ms > max_delay_ms) __builtin_trap();
    if (d->action.kind != mock::action_kind::status) continue;
    const auto& api = in.flag() ? kimi : glm;
    check_response(mock::status_fault_reply(d->action, api.fault_status(d->action.status, d->name)),
                   in.flag());
  }
}

void check(const mock::fault_plan& plan, fuzz_input& in) {
  for (const auto& r : plan.rules)
    if (!within_bounds(r)) __builtin_trap();
  const auto again = mock::parse_fault_plan(mock::to_json(plan), "round-trip.json");
  if (!again || !(*again == plan)) __builtin_trap();
  check_engine(plan, in);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz_input in(data, size);
  const bool as_toml = in.flag();
  const json::value doc = plan_of(in);
  if (std::getenv("ROLLPROOF_FUZZ_SHOW") != nullptr)  // what an input means, for triage
    std::cerr << (as_toml ? "toml " : "json ") << doc << "\n";
  if (!as_toml) {
    if (auto plan = mock::parse_fault_plan(doc, "fuzz.json")) check(*plan, in);
    return 0;
  }
  std::ostringstream text;
  text << toml::toml_formatter(toml_of(doc.as_object()));
  toml::table table;
  try {
    table = toml::parse(text.str(), std::string_view{"fuzz.toml"});
  } catch (const toml::parse_error&) {
    return 0;  // toml++ writes ill-formed UTF-8 as it is, then refuses to read it: its business
  }
  if (auto plan = mock::parse_fault_plan(table, "fuzz.toml")) check(*plan, in);
  return 0;
}
