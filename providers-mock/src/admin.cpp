#include "admin.hpp"

#include <boost/json.hpp>
#include <boost/url/params_view.hpp>
#include <charconv>

#include "rollproof/mock/credentials.hpp"

namespace rollproof::mock {

namespace json = boost::json;

namespace {

reply json_reply(unsigned status, const json::value& v) {
  return {status, json::serialize(v), "application/json", {}};
}

reply error_reply(unsigned status, std::string_view message) {
  return json_reply(status, json::object{{"error", message}});
}

std::optional<std::uint64_t> since_of(std::string_view query) {
  try {
    for (const auto& p : boost::urls::params_view(query)) {
      if (p.key != "since") continue;
      std::uint64_t n = 0;
      const auto [end, ec] = std::from_chars(p.value.data(), p.value.data() + p.value.size(), n);
      if (ec != std::errc() || end != p.value.data() + p.value.size()) return std::nullopt;
      return n;
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return 0;
}

reply put_faults(mock_state& state, std::string_view body) {
  boost::system::error_code ec;
  const json::value v = json::parse(body, ec);
  if (ec)
    return json_reply(400, json::object{{"errors", json::array{"invalid JSON: " + ec.message()}}});
  auto plan = parse_fault_plan(v, "PUT /_mock/faults");
  if (!plan) {
    json::array errors;
    for (const auto& d : plan.error())
      errors.push_back(json::value(d.to_string()));
    return json_reply(400, json::object{{"errors", std::move(errors)}});
  }
  state.faults.set_plan(std::move(*plan));
  return json_reply(200, to_json(state.faults.plan()));
}

}  // namespace

bool admin_token_matches(std::optional<std::string_view> authorization,
                         std::optional<std::string_view> token_header, std::string_view token) {
  constexpr std::string_view bearer = "Bearer ";
  // Both headers are always compared, so which one a request used does not show in the timing.
  const bool by_bearer = authorization && authorization->starts_with(bearer) &&
                         same_secret(authorization->substr(bearer.size()), token);
  const bool by_header = token_header && same_secret(*token_header, token);
  return by_bearer || by_header;
}

reply admin_reply(mock_state& state, std::string_view method, std::string_view path,
                  std::string_view query, std::string_view body) {
  if (path == "/_mock/health" && method == "GET") {
    return json_reply(
        200, json::object{{"status", state.draining ? "draining" : "ok"},
                          {"provider", state.api.kind() == provider_kind::kimi ? "kimi" : "glm"},
                          {"files", state.store.count()},
                          {"last_seq", state.log.last_seq()}});
  }
  if (path == "/_mock/stats" && method == "GET") {
    auto stats = state.log.stats();
    stats["files"] = state.store.count();
    stats["admin_refusals"] = state.log.admin_refusals();
    return json_reply(200, stats);
  }
  if (path == "/_mock/ledger" && method == "GET") {
    const auto since = since_of(query);
    if (!since) return error_reply(400, "since must be a non-negative integer");
    return json_reply(200, state.log.since(*since));
  }
  if (path == "/_mock/faults" && method == "GET")
    return json_reply(200, to_json(state.faults.plan()));
  if (path == "/_mock/faults" && method == "PUT") return put_faults(state, body);
  if (path == "/_mock/reset" && method == "POST") {
    state.store.clear();
    state.log.clear();
    state.faults.restart();
    state.api.reset();
    state.rates.reset();
    return json_reply(200, json::object{{"reset", true},
                                        {"last_seq", state.log.last_seq()},
                                        {"admin_refused", state.log.admin_refusals().at("count")}});
  }
  return error_reply(404, "unknown admin endpoint");
}

}  // namespace rollproof::mock
