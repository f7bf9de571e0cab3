#include <boost/json.hpp>
#include <cmath>

#include "json_read.hpp"
#include "rollproof/reports/evidence_json.hpp"

// Reading evidence back: the inverse of evidence_to_json, for `rollproof merge`.

namespace rollproof::reports {
namespace {

namespace json = boost::json;

template <class E>
bool parse_enum(const std::string& s, E& into, std::initializer_list<E> all) {
  for (const E e : all)
    if (s == to_string(e)) {
      into = e;
      return true;
    }
  return false;
}

void read_host(detail::json_reader& r, const std::string& path, host_info& h,
               std::string& problem) {
  if (const auto* o = r.object("host")) {
    detail::json_reader hr(*o, path + ".host", &problem);
    hr.text("hostname", h.hostname);
    hr.text("cpu_model", h.cpu_model);
    hr.integer("cores", h.cores);
    hr.integer("memory_bytes", h.memory_bytes);
    hr.text("os", h.os);
  }
}

void read_provenance(const json::object& o, provenance& p, std::string& problem) {
  detail::json_reader r(o, "provenance", &problem);
  if (const auto* g = r.object("git", true)) {
    detail::json_reader gr(*g, "provenance.git", &problem);
    if (const auto* commit = gr.find("commit"); commit == nullptr || !commit->is_null())
      gr.text("commit", p.git.commit);
    gr.text("branch", p.git.branch);
    gr.flag("dirty", p.git.dirty);
    gr.text("describe", p.git.describe);
    std::string state;
    gr.text("state", state);
    p.git.work_tree = state != "not a git work tree";
  }
  read_host(r, "provenance", p.host, problem);
  r.strings("versions", p.versions);
  r.string_list("command_line", p.command_line);
  r.text("started_at", p.started_at);
  r.text("finished_at", p.finished_at);
  r.text("run_id", p.run_id);  // absent (left empty) in a record that predates it
  r.optional_number("seed", p.seed);
  // A record without a shard predates shards being recorded: 0 of 0, which merge refuses.
  p.shard_index = p.shard_total = 0;
  if (const auto* shard = r.object("shard")) {
    detail::json_reader sr(*shard, "provenance.shard", &problem);
    sr.integer("index", p.shard_index);
    sr.integer("total", p.shard_total);
  }
  if (const auto* plan = r.object("plan")) {
    detail::json_reader pr(*plan, "provenance.plan", &problem);
    pr.integer("cases", p.plan_cases);
    pr.text("filter", p.filter);
    pr.integer("repeat", p.repeat);
  }
  if (const auto* shards = r.array("shards")) {
    for (std::size_t i = 0; i < shards->size(); ++i) {
      const auto* so = (*shards)[i].if_object();
      if (so == nullptr) return r.fail("shards", "an array of objects");
      const std::string path = "provenance.shards[" + std::to_string(i) + "]";
      detail::json_reader sr(*so, path, &problem);
      shard_origin s;
      sr.integer("index", s.index);
      sr.integer("total", s.total);
      read_host(sr, path, s.host, problem);
      sr.string_list("command_line", s.command_line);
      sr.text("started_at", s.started_at);
      sr.text("finished_at", s.finished_at);
      p.shards.push_back(std::move(s));
    }
  }
  if (const auto* missing = r.array("missing_shards")) {
    for (const auto& m : *missing) {
      if (!m.is_uint64() && !(m.is_int64() && m.get_int64() > 0))
        return r.fail("missing_shards", "an array of shard indices");
      p.missing_shards.push_back(m.to_number<std::uint64_t>());
    }
  }
}

void read_upload(detail::json_reader& r, upload_sample& u) {
  r.text("request_id", u.request_id);
  r.text("user", u.user);
  r.text("provider", u.provider);
  r.text("route", u.route);
  r.text("reported_route", u.reported_route);
  r.flag("ok", u.ok);
  r.flag("fallback", u.fallback);
  double attempts = 0, ledger_attempts = 0, status = 0;
  r.number("attempts", attempts);
  r.number("ledger_attempts", ledger_attempts);
  r.number("status", status);
  u.attempts = static_cast<int>(attempts);
  u.ledger_attempts = static_cast<int>(ledger_attempts);
  u.status = static_cast<int>(status);
  r.text("error_code", u.error_code);
  r.integer("bytes", u.bytes);
  r.number("latency_ms", u.latency_ms);
  r.number("start_s", u.start_s);
  r.flag("integrity_ok", u.integrity_ok);
  r.flag("timed_out", u.timed_out);
  r.text("unknown", u.unknown);
  std::string phase = to_string(u.phase);
  r.text("phase", phase);
  if (!parse_enum(phase, u.phase, {upload_phase::stage, upload_phase::after_rollback}))
    r.fail("phase", "one of stage, after_rollback");
}

void read_case(const json::object& o, const std::string& path, case_record& c,
               std::string& problem) {
  detail::json_reader r(o, path, &problem);
  r.text("id", c.id);
  if (c.id.empty()) r.fail("id", "a non-empty string");
  r.text("scenario", c.scenario);
  std::string status;
  r.text("status", status);
  if (!parse_enum(
          status, c.status,
          {case_status::passed, case_status::failed, case_status::error, case_status::skipped}))
    r.fail("status", "one of passed, failed, error, skipped");
  r.text("message", c.message);
  r.integer("plan_index", c.plan_index);
  r.strings("parameters", c.parameters);
  r.number("wall_seconds", c.wall_seconds);
  r.number("throughput_bytes_per_s", c.throughput_bytes_per_s);
  r.number("uploads_per_s", c.uploads_per_s);
  r.optional_number("peak_rss_bytes", c.peak_rss_bytes);
  r.optional_number("cpu_seconds", c.cpu_seconds);
  r.numbers("values", c.values);
  r.text("subject_stderr_tail", c.subject_stderr_tail);
  if (const auto* checks = r.array("checks")) {
    for (std::size_t i = 0; i < checks->size(); ++i) {
      const auto* co = (*checks)[i].if_object();
      if (co == nullptr) return r.fail("checks", "an array of objects");
      detail::json_reader cr(*co, path + ".checks[" + std::to_string(i) + "]", &problem);
      check_result ch;
      cr.text("name", ch.name);
      cr.flag("passed", ch.passed);
      cr.text("expected", ch.expected);
      cr.text("measured", ch.measured);
      cr.flag("not_run", ch.not_run);
      c.checks.push_back(std::move(ch));
    }
  }
  if (const auto* uploads = r.array("uploads")) {
    c.uploads.reserve(uploads->size());
    for (std::size_t i = 0; i < uploads->size(); ++i) {
      const auto* uo = (*uploads)[i].if_object();
      if (uo == nullptr) return r.fail("uploads", "an array of objects");
      detail::json_reader ur(*uo, path + ".uploads[" + std::to_string(i) + "]", &problem);
      upload_sample u;
      read_upload(ur, u);
      c.uploads.push_back(std::move(u));
    }
  }
}

void read_claim(const json::object& o, const std::string& path, claim_record& c,
                std::string& problem) {
  detail::json_reader r(o, path, &problem);
  r.text("id", c.id);
  r.text("text", c.text);
  r.text("source", c.source);
  r.text("scenario", c.scenario);
  r.text("metric", c.metric);
  std::string v;
  r.text("verdict", v);
  if (!parse_enum(v, c.result,
                  {verdict::verified, verdict::refuted, verdict::inconclusive, verdict::error,
                   verdict::unverifiable}))
    r.fail("verdict", "one of verified, refuted, inconclusive, error, unverifiable");
  r.text("expected", c.expected);
  r.text("explanation", c.explanation);
  r.text("reason", c.reason);
  r.integer("seed", c.seed);
  r.optional_number("samples_needed", c.samples_needed);
  if (const auto* m = r.object("measured", true)) {
    detail::json_reader mr(*m, path + ".measured", &problem);
    mr.integer("n", c.measured.n);
    mr.text("method", c.measured.method);
    mr.optional_number("value", c.measured.value);
    if (const auto* i = mr.object("interval")) {
      detail::json_reader ir(*i, path + ".measured.interval", &problem);
      interval ci;
      ir.number("low", ci.low, -INFINITY);
      ir.number("high", ci.high, INFINITY);
      ir.number("confidence", ci.confidence);
      c.measured.ci = ci;
    }
    if (const auto* i = mr.object("raw_interval")) {
      detail::json_reader ir(*i, path + ".measured.raw_interval", &problem);
      interval ci;
      ir.number("low", ci.low, -INFINITY);
      ir.number("high", ci.high, INFINITY);
      ir.number("confidence", ci.confidence);
      c.measured.raw_ci = ci;
    }
  }
  if (const auto* spec = r.find("spec"); spec != nullptr && !spec->is_null())
    c.spec_json = spec->is_string() ? std::string(spec->get_string()) : json::serialize(*spec);
}

}  // namespace

std::expected<run_record, std::string> run_from_json(const json::value& v) {
  const auto* root = v.if_object();
  if (root == nullptr) return std::unexpected("evidence: not a JSON object");
  std::string problem;
  run_record run;
  detail::json_reader r(*root, "evidence", &problem);
  double version = 0;
  r.number("schema_version", version);
  if (version != 1) return std::unexpected("evidence: unsupported schema_version");
  if (const auto* p = r.object("provenance", true)) read_provenance(*p, run.prov, problem);
  if (const auto* e = r.object("error_control")) {
    detail::json_reader er(*e, "evidence.error_control", &problem);
    er.text("method", run.error_control.method);
    er.number("alpha", run.error_control.alpha);
    er.integer("family_size", run.error_control.family_size);
  }
  if (const auto* scenarios = r.array("scenarios", true)) {
    for (std::size_t i = 0; i < scenarios->size(); ++i) {
      const auto* so = (*scenarios)[i].if_object();
      if (so == nullptr) return std::unexpected("evidence.scenarios must hold objects");
      detail::json_reader sr(*so, "evidence.scenarios[" + std::to_string(i) + "]", &problem);
      scenario_record s;
      sr.text("name", s.name);
      sr.text("file", s.file);
      sr.text("sha256", s.sha256);
      sr.text("description", s.description);
      sr.integer("seed", s.seed);
      if (const auto* subject = sr.object("subject")) {
        detail::json_reader jr(*subject, "evidence.scenarios[" + std::to_string(i) + "].subject",
                               &problem);
        jr.string_list("command", s.subject.command);
        jr.text("program_sha256", s.subject.program_sha256);
        jr.text("name", s.subject.name);
        jr.text("version", s.subject.version);
      }
      run.scenarios.push_back(std::move(s));
    }
  }
  if (const auto* cases = r.array("cases", true)) {
    for (std::size_t i = 0; i < cases->size(); ++i) {
      const auto* co = (*cases)[i].if_object();
      if (co == nullptr) return std::unexpected("evidence.cases must hold objects");
      case_record c;
      read_case(*co, "evidence.cases[" + std::to_string(i) + "]", c, problem);
      run.cases.push_back(std::move(c));
    }
  }
  if (const auto* claims = r.array("claims", true)) {
    for (std::size_t i = 0; i < claims->size(); ++i) {
      const auto* co = (*claims)[i].if_object();
      if (co == nullptr) return std::unexpected("evidence.claims must hold objects");
      claim_record c;
      read_claim(*co, "evidence.claims[" + std::to_string(i) + "]", c, problem);
      run.claims.push_back(std::move(c));
    }
  }
  r.flag("aborted", run.aborted);
  r.text("abort_reason", run.abort_reason);
  if (!problem.empty()) return std::unexpected(problem);
  return run;
}

}  // namespace rollproof::reports
