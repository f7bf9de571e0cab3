#include "metrics_checks.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "json_number.hpp"
#include "ledger_entry_view.hpp"
#include "prometheus_text.hpp"

namespace rollproof::framework::detail {
namespace {

constexpr const char* routes[] = {"sync", "async"};

// What the ledger says: upload requests per route, and uploads whose async attempt was followed
// by a sync attempt (only a fallback moves an upload from async to sync, whatever the failed
// attempt's status was at the server: a client timeout can follow a late 200).
struct ledger_counts {
  std::map<std::string, std::uint64_t> attempts;
  std::uint64_t fallbacks = 0;
};

ledger_counts count_ledger(const boost::json::array& ledger) {
  ledger_counts out;
  std::map<std::string, std::pair<bool, bool>> by_request;  // async tried, then sync tried
  for (const auto& v : ledger) {
    if (!v.is_object() || !is_upload_attempt(v.as_object())) continue;
    const auto& e = v.as_object();
    const std::string route = text_of(e, "route");
    ++out.attempts[route];
    auto& [async_tried, sync_after] = by_request[text_of(e, "request_id")];
    if (route == "async") async_tried = true;
    if (route == "sync" && async_tried) sync_after = true;
  }
  for (const auto& [id, f] : by_request)
    out.fallbacks += f.first && f.second ? 1 : 0;
  return out;
}

// The subject's JSON totals[provider][route]: attempts, uploads_ok, fallbacks.
struct route_totals {
  std::uint64_t attempts = 0, uploads_ok = 0, fallbacks = 0;
};

route_totals json_totals(const boost::json::object& metrics, const std::string& provider,
                         const std::string& route) {
  const auto* totals = metrics.if_contains("totals");
  const auto* mine = totals != nullptr && totals->is_object()
                         ? totals->as_object().if_contains(provider)
                         : nullptr;
  const auto* r =
      mine != nullptr && mine->is_object() ? mine->as_object().if_contains(route) : nullptr;
  if (r == nullptr || !r->is_object()) return {};
  const auto& t = r->as_object();
  return {count_of(t.if_contains("attempts")), count_of(t.if_contains("uploads_ok")),
          count_of(t.if_contains("fallbacks"))};
}

route_totals prometheus_totals(const std::vector<prometheus_sample>& samples,
                               const std::string& provider, const std::string& route) {
  const auto count = [&](const char* name, std::map<std::string, std::string> match) {
    match.emplace("provider", provider);
    match.emplace("route", route);
    return static_cast<std::uint64_t>(std::llround(sum_of(samples, name, match)));
  };
  return {count("rollproof_upload_attempts_total", {}),
          count("rollproof_upload_uploads_total", {{"outcome", "ok"}}),
          count("rollproof_upload_fallbacks_total", {})};
}

void add(reports::case_record& rec, std::string name, bool passed, std::string expected,
         std::string measured, bool not_run = false) {
  rec.checks.push_back(
      {std::move(name), passed, std::move(expected), std::move(measured), not_run});
}

std::string difference_text(const std::string& differences) {
  return differences.empty() ? "equal" : differences.substr(1);
}

}  // namespace

metrics_answer read_metrics_answer(const boost::json::object& answer) {
  metrics_answer m;
  const auto* json = answer.if_contains("metrics");
  if (json == nullptr || !json->is_object()) {
    m.failure = "the metrics answer has no \"metrics\" object";
    return m;
  }
  m.json = json->as_object();
  const auto* text = answer.if_contains("prometheus");
  if (text != nullptr && text->is_string()) m.prometheus = std::string(text->as_string());
  return m;
}

void add_metrics_checks(const metrics_answer& m, const std::string& provider,
                        const boost::json::array& ledger, reports::case_record& rec) {
  if (!m.not_checked.empty()) {
    add(rec, "metrics", false, "the subject's metrics agree with the ledger and its answers",
        m.not_checked, true);
    return;
  }
  if (!m.failure.empty() || !m.json) {
    add(rec, "metrics_agree", false,
        "the subject's metrics equal the ledger (attempts per route) and its answers (ok uploads)",
        m.failure.empty() ? "no metrics answer" : m.failure);
    return;
  }
  std::uint64_t answered_ok = 0;
  for (const auto& s : rec.uploads)
    answered_ok += s.ok ? 1 : 0;
  const ledger_counts seen = count_ledger(ledger);
  const auto ledger_attempts = [&](const std::string& route) -> std::uint64_t {
    const auto it = seen.attempts.find(route);
    return it == seen.attempts.end() ? 0 : it->second;
  };

  std::string differences;
  std::uint64_t json_ok = 0, json_fallbacks = 0;
  std::map<std::string, route_totals> json_by_route;
  for (const std::string route : routes) {
    const route_totals t = json_totals(*m.json, provider, route);
    json_by_route[route] = t;
    json_ok += t.uploads_ok;
    json_fallbacks += t.fallbacks;
    if (t.attempts != ledger_attempts(route))
      differences += fmt::format(" {} attempts: subject {}, ledger {};", route, t.attempts,
                                 ledger_attempts(route));
  }
  if (json_ok != answered_ok)
    differences += fmt::format(" ok uploads: subject {}, answers {};", json_ok, answered_ok);
  add(rec, "metrics_agree", differences.empty(),
      "the subject's metrics equal the ledger (attempts per route) and its answers (ok uploads)",
      difference_text(differences));
  rec.values["fallbacks"] = static_cast<double>(seen.fallbacks);
  add(rec, "fallback_count", json_fallbacks == seen.fallbacks,
      "the subject's fallback count equals the ledger's uploads with an async attempt followed "
      "by a sync attempt",
      fmt::format("subject {}, ledger {}", json_fallbacks, seen.fallbacks));

  const std::string prometheus_expected =
      "the subject's Prometheus text parses and its attempts, ok-upload and fallback counters "
      "per route equal its JSON totals and the ledger";
  if (!m.prometheus) {
    add(rec, "metrics_prometheus", false, prometheus_expected,
        "the subject's metrics answer has no Prometheus text", true);
    return;
  }
  const auto samples = parse_prometheus_text(*m.prometheus);
  if (!samples) {
    add(rec, "metrics_prometheus", false, prometheus_expected,
        "the Prometheus text does not parse: " + samples.error());
    return;
  }
  differences.clear();
  std::uint64_t prom_ok = 0;
  for (const std::string route : routes) {
    const route_totals p = prometheus_totals(*samples, provider, route);
    const route_totals& j = json_by_route[route];
    prom_ok += p.uploads_ok;
    if (p.attempts != j.attempts || p.attempts != ledger_attempts(route))
      differences += fmt::format(" {} attempts: prometheus {}, json {}, ledger {};", route,
                                 p.attempts, j.attempts, ledger_attempts(route));
    if (p.uploads_ok != j.uploads_ok)
      differences +=
          fmt::format(" {} ok uploads: prometheus {}, json {};", route, p.uploads_ok, j.uploads_ok);
    if (p.fallbacks != j.fallbacks)
      differences +=
          fmt::format(" {} fallbacks: prometheus {}, json {};", route, p.fallbacks, j.fallbacks);
  }
  if (prom_ok != answered_ok)
    differences += fmt::format(" ok uploads: prometheus {}, answers {};", prom_ok, answered_ok);
  add(rec, "metrics_prometheus", differences.empty(), prometheus_expected,
      difference_text(differences));
}

}  // namespace rollproof::framework::detail
