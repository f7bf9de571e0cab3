#include "rollproof/reports/evidence_json.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "run_summary.hpp"

namespace rollproof::reports {
namespace {

namespace json = boost::json;

// JSON has no infinity or NaN: such values are written as null (an unbounded interval side).
json::value number(double v) {
  if (std::isfinite(v)) return v;
  return nullptr;
}

json::object strings(const std::map<std::string, std::string>& m) {
  json::object o;
  for (const auto& [k, v] : m)
    o[k] = v;
  return o;
}

json::array string_array(const std::vector<std::string>& v) {
  json::array out;
  for (const auto& a : v)
    out.emplace_back(a);
  return out;
}

json::object host_json(const host_info& h) {
  return {{"hostname", h.hostname},
          {"cpu_model", h.cpu_model},
          {"cores", h.cores},
          {"memory_bytes", h.memory_bytes},
          {"os", h.os}};
}

const char* git_state(const git_info& g) {
  if (!g.work_tree) return "not a git work tree";
  return g.dirty ? "dirty" : "clean";
}

json::object provenance_json(const provenance& p) {
  json::object git{{"state", git_state(p.git)},
                   {"commit", nullptr},
                   {"branch", p.git.branch},
                   {"dirty", p.git.dirty},
                   {"describe", p.git.describe}};
  if (p.git.work_tree) git["commit"] = p.git.commit;
  json::object o{{"git", git},
                 {"host", host_json(p.host)},
                 {"versions", strings(p.versions)},
                 {"command_line", string_array(p.command_line)},
                 {"started_at", p.started_at},
                 {"finished_at", p.finished_at},
                 {"run_id", p.run_id},
                 {"seed", p.seed ? json::value(*p.seed) : json::value(nullptr)},
                 {"shard", nullptr},
                 {"plan", {{"cases", p.plan_cases}, {"filter", p.filter}, {"repeat", p.repeat}}}};
  if (p.shards.empty()) o["shard"] = {{"index", p.shard_index}, {"total", p.shard_total}};
  if (!p.shards.empty()) {
    json::array shards;
    for (const auto& s : p.shards)
      shards.push_back(json::object{{"index", s.index},
                                    {"total", s.total},
                                    {"host", host_json(s.host)},
                                    {"command_line", string_array(s.command_line)},
                                    {"started_at", s.started_at},
                                    {"finished_at", s.finished_at}});
    o["shards"] = std::move(shards);
    json::array missing;
    for (const auto i : p.missing_shards)
      missing.emplace_back(i);
    o["partial"] = !p.missing_shards.empty();
    o["missing_shards"] = std::move(missing);
  }
  return o;
}

json::object subject_json(const subject_info& s) {
  return {{"command", string_array(s.command)},
          {"program_sha256", s.program_sha256},
          {"name", s.name},
          {"version", s.version}};
}

json::object upload_json(const upload_sample& u) {
  json::object o{{"request_id", u.request_id},
                 {"user", u.user},
                 {"provider", u.provider},
                 {"route", u.route},
                 {"reported_route", u.reported_route},
                 {"ok", u.ok},
                 {"fallback", u.fallback},
                 {"attempts", u.attempts},
                 {"ledger_attempts", u.ledger_attempts},
                 {"status", u.status},
                 {"error_code", u.error_code},
                 {"bytes", u.bytes},
                 {"latency_ms", number(u.latency_ms)},
                 {"start_s", number(u.start_s)},
                 {"integrity_ok", u.integrity_ok},
                 {"timed_out", u.timed_out}};
  // Written only when it is not the default, so evidence of runs without a rollback is unchanged.
  if (u.phase != upload_phase::stage) o["phase"] = to_string(u.phase);
  if (!is_known(u)) o["unknown"] = u.unknown;  // likewise: only a case whose ledger was lost
  return o;
}

json::object aggregates_json(const case_record& c) {
  const detail::case_aggregates a = detail::aggregate(c);
  json::object latency;
  if (a.latency_count > 0) {
    latency = {{"count", a.latency_count}, {"min", a.latency_min},  {"p50", a.latency_p50},
               {"p90", a.latency_p90},     {"p95", a.latency_p95},  {"p99", a.latency_p99},
               {"max", a.latency_max},     {"mean", a.latency_mean}};
    json::array edges, counts;
    for (const double e : a.histogram_edges_ms)
      edges.emplace_back(e);
    for (const auto n : a.histogram_counts)
      counts.emplace_back(n);
    latency["histogram"] = {{"edges_ms", edges}, {"counts", counts}};
  }
  return {{"uploads", a.uploads},       {"ok", a.ok},
          {"failed", a.uploads - a.ok}, {"timeouts", a.timeouts},
          {"fallbacks", a.fallbacks},   {"integrity_failures", a.integrity_failures},
          {"bytes", a.bytes},           {"latency_ms", latency}};
}

json::object case_json(const case_record& c) {
  json::object values;
  for (const auto& [k, v] : c.values)
    values[k] = number(v);
  json::array checks;
  for (const auto& ch : c.checks) {
    json::object o{{"name", ch.name},
                   {"passed", ch.passed},
                   {"expected", ch.expected},
                   {"measured", ch.measured}};
    if (ch.not_run) o["not_run"] = true;  // absent for every check that ran
    checks.push_back(std::move(o));
  }
  json::array uploads;
  for (const auto& u : c.uploads)
    uploads.push_back(upload_json(u));
  json::object o{{"id", c.id},
                 {"scenario", c.scenario},
                 {"status", to_string(c.status)},
                 {"message", c.message},
                 {"plan_index", c.plan_index},
                 {"parameters", strings(c.parameters)},
                 {"wall_seconds", number(c.wall_seconds)},
                 {"throughput_bytes_per_s", number(c.throughput_bytes_per_s)},
                 {"uploads_per_s", number(c.uploads_per_s)},
                 {"values", values},
                 {"checks", checks},
                 {"aggregates", aggregates_json(c)},
                 {"uploads", uploads},
                 {"subject_stderr_tail", c.subject_stderr_tail}};
  o["peak_rss_bytes"] = c.peak_rss_bytes ? json::value(*c.peak_rss_bytes) : json::value(nullptr);
  o["cpu_seconds"] = c.cpu_seconds ? number(*c.cpu_seconds) : json::value(nullptr);
  return o;
}

json::object claim_json(const claim_record& c) {
  json::object measured{{"n", c.measured.n}, {"method", c.measured.method}};
  measured["value"] = c.measured.value ? number(*c.measured.value) : json::value(nullptr);
  if (c.measured.ci)
    measured["interval"] = {{"low", number(c.measured.ci->low)},
                            {"high", number(c.measured.ci->high)},
                            {"confidence", c.measured.ci->confidence}};
  else
    measured["interval"] = nullptr;
  if (c.measured.raw_ci)
    measured["raw_interval"] = {{"low", number(c.measured.raw_ci->low)},
                                {"high", number(c.measured.raw_ci->high)},
                                {"confidence", c.measured.raw_ci->confidence}};
  else
    measured["raw_interval"] = nullptr;
  json::object o{{"id", c.id},
                 {"text", c.text},
                 {"source", c.source},
                 {"scenario", c.scenario},
                 {"metric", c.metric},
                 {"verdict", to_string(c.result)},
                 {"expected", c.expected},
                 {"measured", measured},
                 {"explanation", c.explanation},
                 {"reason", c.reason},
                 {"seed", c.seed}};
  o["samples_needed"] = c.samples_needed ? json::value(*c.samples_needed) : json::value(nullptr);
  o["spec"] = nullptr;
  if (!c.spec_json.empty()) {
    boost::system::error_code ec;
    json::value spec = json::parse(c.spec_json, ec);
    o["spec"] = ec ? json::value(c.spec_json) : spec;
  }
  return o;
}

void pretty(std::string& out, const json::value& v, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  const std::string inner(static_cast<std::size_t>(indent + 1) * 2, ' ');
  if (const auto* o = v.if_object()) {
    if (o->empty()) {
      out += "{}";
      return;
    }
    // Flat objects (an upload, a check) stay on one line: evidence holds thousands of them.
    const bool flat = std::all_of(o->begin(), o->end(),
                                  [](const auto& kv) { return !kv.value().is_structured(); });
    if (flat) {
      out += "{";
      bool first_flat = true;
      for (const auto& [k, x] : *o) {
        out +=
            (first_flat ? "" : ", ") + json::serialize(json::string(k)) + ": " + json::serialize(x);
        first_flat = false;
      }
      out += "}";
      return;
    }
    out += "{\n";
    bool first = true;
    for (const auto& [k, x] : *o) {
      if (!first) out += ",\n";
      first = false;
      out += inner + json::serialize(json::string(k)) + ": ";
      pretty(out, x, indent + 1);
    }
    out += "\n" + pad + "}";
  } else if (const auto* a = v.if_array()) {
    if (a->empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    for (std::size_t i = 0; i < a->size(); ++i) {
      if (i) out += ",\n";
      out += inner;
      pretty(out, (*a)[i], indent + 1);
    }
    out += "\n" + pad + "]";
  } else {
    out += json::serialize(v);
  }
}

}  // namespace

json::value evidence_to_json(const run_record& run) {
  json::array scenarios;
  for (const auto& s : run.scenarios)
    scenarios.push_back(json::object{{"name", s.name},
                                     {"file", s.file},
                                     {"sha256", s.sha256},
                                     {"description", s.description},
                                     {"seed", s.seed},
                                     {"subject", subject_json(s.subject)}});
  json::array cases, claims;
  for (const auto& c : run.cases)
    cases.push_back(case_json(c));
  for (const auto& c : run.claims)
    claims.push_back(claim_json(c));
  const detail::run_totals t = detail::totals(run);
  return json::object{{"schema_version", 1},
                      {"provenance", provenance_json(run.prov)},
                      {"summary",
                       {{"cases",
                         {{"total", run.cases.size()},
                          {"passed", t.passed},
                          {"failed", t.failed},
                          {"error", t.errors},
                          {"skipped", t.skipped}}},
                        {"claims",
                         {{"total", run.claims.size()},
                          {"verified", t.verified},
                          {"refuted", t.refuted},
                          {"inconclusive", t.inconclusive},
                          {"error", t.claim_errors},
                          {"unverifiable", t.unverifiable}}}}},
                      {"error_control",
                       {{"method", run.error_control.method},
                        {"alpha", run.error_control.alpha},
                        {"family_size", run.error_control.family_size}}},
                      {"scenarios", scenarios},
                      {"cases", cases},
                      {"claims", claims},
                      {"aborted", run.aborted},
                      {"abort_reason", run.abort_reason}};
}

std::string pretty_json(const json::value& v) {
  std::string out;
  pretty(out, v, 0);
  out += '\n';
  return out;
}

std::string render_evidence_json(const run_record& run) {
  return pretty_json(evidence_to_json(run));
}

}  // namespace rollproof::reports
