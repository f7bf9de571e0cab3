#include "rollproof/reports/writers.hpp"

namespace rollproof::reports {
namespace {

void scrub(std::string& s, const rollproof::redactor& r) {
  if (!s.empty()) s = r.redact(s);
}

void scrub(std::map<std::string, std::string>& m, const rollproof::redactor& r) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : m)
    out[r.redact(k)] = r.redact(v);
  m = std::move(out);
}

}  // namespace

run_record redacted(const run_record& run, const rollproof::redactor& secrets) {
  if (secrets.secrets().empty()) return run;
  run_record r = run;
  auto& p = r.prov;
  scrub(p.git.commit, secrets);
  scrub(p.git.branch, secrets);
  scrub(p.git.describe, secrets);
  scrub(p.host.hostname, secrets);
  scrub(p.host.cpu_model, secrets);
  scrub(p.host.os, secrets);
  scrub(p.versions, secrets);
  for (auto& a : p.command_line)
    scrub(a, secrets);
  scrub(p.started_at, secrets);
  scrub(p.finished_at, secrets);
  scrub(p.filter, secrets);
  for (auto& shard : p.shards) {
    scrub(shard.host.hostname, secrets);
    scrub(shard.host.cpu_model, secrets);
    scrub(shard.host.os, secrets);
    for (auto& a : shard.command_line)
      scrub(a, secrets);
    scrub(shard.started_at, secrets);
    scrub(shard.finished_at, secrets);
  }
  for (auto& s : r.scenarios) {
    scrub(s.name, secrets);
    scrub(s.file, secrets);
    scrub(s.description, secrets);
    for (auto& a : s.subject.command)
      scrub(a, secrets);
    scrub(s.subject.name, secrets);
    scrub(s.subject.version, secrets);
  }
  for (auto& c : r.cases) {
    scrub(c.id, secrets);
    scrub(c.scenario, secrets);
    scrub(c.message, secrets);
    scrub(c.parameters, secrets);
    scrub(c.subject_stderr_tail, secrets);
    std::map<std::string, double> values;
    for (const auto& [k, v] : c.values)
      values[secrets.redact(k)] = v;
    c.values = std::move(values);
    for (auto& ch : c.checks) {
      scrub(ch.name, secrets);
      scrub(ch.expected, secrets);
      scrub(ch.measured, secrets);
    }
    for (auto& u : c.uploads) {
      scrub(u.request_id, secrets);
      scrub(u.user, secrets);
      scrub(u.provider, secrets);
      scrub(u.route, secrets);
      scrub(u.reported_route, secrets);
      scrub(u.error_code, secrets);
      scrub(u.unknown, secrets);
    }
  }
  for (auto& c : r.claims) {
    for (auto* s : {&c.id, &c.text, &c.source, &c.scenario, &c.metric, &c.expected,
                    &c.measured.method, &c.explanation, &c.reason, &c.spec_json})
      scrub(*s, secrets);
  }
  scrub(r.abort_reason, secrets);
  return r;
}

}  // namespace rollproof::reports
