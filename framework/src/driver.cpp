#include "rollproof/framework/driver.hpp"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <cmath>
#include <fstream>

#include "case_checks.hpp"
#include "metrics_checks.hpp"
#include "rollback_gates.hpp"
#include "rollout_checks.hpp"
#include "rollproof/framework/subject_client.hpp"
#include "subject_answers.hpp"

namespace rollproof::framework {
namespace {

// The subject's own peak RSS (VmHWM of its address space since exec). wait4's ru_maxrss is not
// used: Linux carries the parent's high-water mark across fork+exec, so every subject would
// report at least the runner's RSS.
std::optional<std::uint64_t> peak_rss_of(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // kB
  }
  return std::nullopt;
}

using clock = std::chrono::steady_clock;
using reports::case_record;
using reports::case_status;

constexpr auto subject_start_timeout = std::chrono::seconds(10);
constexpr auto subject_op_timeout = std::chrono::seconds(10);

std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

double ms_between(clock::time_point a, clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

boost::json::object flags_at(double percent) {
  return {{"async_upload",
           {{"enabled", percent > 0}, {"rollout_percent", percent}, {"salt", "async_upload"}}}};
}

boost::json::object flags_for(const case_spec& spec) {
  return flags_at(spec.rollout ? spec.rollout->percent : (spec.route == "async" ? 100.0 : 0.0));
}

}  // namespace

std::string user_for_upload(std::uint64_t seed, const case_spec& spec, std::uint64_t i) {
  // Stage cases of one scenario share their users, so stickiness across stages is visible.
  const std::uint64_t base = mix(seed + 0x5EED) % 500000;
  const bool cycles = spec.rollout && spec.rollout->users > 0;
  std::uint64_t k = cycles ? i % spec.rollout->users : i;
  // The uploads after a rollback come from users no stage of the scenario has (stage users are
  // fewer than fresh_users_from): reusing the stage's first users would measure the very users
  // whose routes tripped the gates, and each of them more than once.
  if (cycles && i >= spec.uploads) k = fresh_users_from + (i - spec.uploads);
  return fmt::format("user-{:06}", (base + k) % 1000000);
}

reports::case_record run_case(const case_context& cx) {
  const auto& spec = cx.spec;
  case_record rec;
  rec.id = spec.id;
  rec.scenario = cx.sc.name;
  rec.parameters = spec.parameters();
  rec.status = case_status::error;
  const auto fail = [&](const std::string& why) {
    rec.status = case_status::error;
    rec.message = cx.secrets.redact(why);
    return rec;
  };

  auto file = cx.files.get(spec.type, spec.size, cx.seed);
  if (!file) return fail("corpus: " + file.error());
  const auto mock_it = cx.mocks.find(spec.provider);
  if (mock_it == cx.mocks.end() || mock_it->second == nullptr)
    return fail("no mock for " + spec.provider);
  mock_server& mock = *mock_it->second;
  const boost::json::value plan = spec.fault == "none"
                                      ? boost::json::value{{"rules", boost::json::array{}}}
                                      : cx.sc.faults.at(spec.fault).plan;
  if (auto r = mock.put_faults(plan); !r) return fail("mock faults: " + r.error());
  for (auto& [name, m] : cx.mocks) {
    if (auto r = m->reset(); !r) return fail(fmt::format("mock {} reset: {}", name, r.error()));
  }

  auto subject = subject_client::start(cx.subject_command, subject_start_timeout,
                                       cx.secrets.secrets(), &cx.stop_signal);
  if (!subject) return fail(subject.error());
  boost::json::object providers;
  for (const auto& [name, m] : cx.mocks) {
    providers[name] = {{"base_url", m->base_url()}, {"api_key", cx.sc.providers.at(name).api_key}};
  }
  auto configured = (*subject)->call({{"op", "configure"},
                                      {"providers", providers},
                                      {"flags", flags_for(spec)},
                                      {"settings", cx.sc.subject.settings}},
                                     clock::now() + subject_op_timeout);
  if (!configured) {
    (*subject)->finish(clock::now() + std::chrono::seconds(2));
    return fail("subject configure: " + configured.error());
  }

  const std::size_t n = spec.uploads;
  // Gated stages keep room for the uploads that verify a rollback.
  const bool gated = cx.sc.rollback && spec.rollout && spec.rollout->percent > 0;
  const std::size_t capacity = n + (gated ? cx.sc.rollback->verify_uploads : 0);
  std::size_t target = n;
  std::optional<detail::gate_analysis> gates;
  double rolled_back_to = -1;
  detail::upload_run run{capacity};
  const bool open = cx.sc.matrix.model == arrival_model::open;
  const auto t0 = clock::now();
  const auto deadline = t0 + cx.sc.time_limit;
  const auto intended = [&](std::size_t i) {
    return t0 + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(
                    static_cast<double>(i) / cx.sc.matrix.arrival_rate));
  };
  std::string infra_error;
  // Set the moment the watchdog sees the case's mock gone: its ledger, which judges every upload,
  // went with it.
  std::optional<exit_info> mock_death;
  const auto mock_died = [&] {
    if (!mock_death) mock_death = mock.exited();
    if (mock_death)
      infra_error = fmt::format("mock {} died: {}", spec.provider, mock_death->describe());
    return mock_death.has_value();
  };
  std::size_t sent = 0;
  const auto send = [&](std::size_t i, clock::time_point start) {
    auto& s = run.samples[i];
    s.request_id = fmt::format("u-{}", i);
    s.user = user_for_upload(cx.seed, spec, i);
    s.provider = spec.provider;
    s.bytes = spec.size;
    s.start_s = std::chrono::duration<double>(start - t0).count();
    if (i >= n) s.phase = reports::upload_phase::after_rollback;
    run.started[i] = start;
    ++run.in_flight;
    ++sent;
    // A subject that stops reading fills its stdin pipe: the write gives up by the case deadline
    // (and on a signal) instead of blocking the runner.
    auto written = (*subject)->send({{"id", s.request_id},
                                     {"op", "upload"},
                                     {"provider", spec.provider},
                                     {"file", std::filesystem::absolute(file->path).string()},
                                     {"purpose", "file-extract"},
                                     {"user", s.user}},
                                    std::min(deadline, clock::now() + subject_op_timeout));
    if (!written)
      infra_error = cx.stop_signal.load() != 0
                        ? fmt::format("aborted by signal {}", cx.stop_signal.load())
                        : written.error();
    return written.has_value();
  };
  for (int phase = 0; phase < 2; ++phase) {
    while (run.done < target) {
      if (cx.stop_signal.load() != 0) {
        infra_error = fmt::format("aborted by signal {}", cx.stop_signal.load());
        break;
      }
      // The watchdog: a dead mock ends the case now (each turn waits at most 100 ms), not at its
      // deadline after the subject gave up on a server that is gone.
      if (mock_died()) break;
      auto now = clock::now();
      if (now >= deadline) break;
      bool sending_ok = true;
      if (open) {
        while (sending_ok && sent < target && intended(sent) <= now)
          sending_ok = send(sent, intended(sent));
      } else {
        while (sending_ok && sent < target && run.in_flight < spec.concurrency)
          sending_ok = send(sent, clock::now());
      }
      if (!sending_ok) break;
      auto wait_until = std::min(deadline, now + std::chrono::milliseconds(100));
      if (open && sent < target) wait_until = std::min(wait_until, intended(sent));
      auto answer = (*subject)->next(wait_until);
      if (answer.status == read_status::eof) {
        const auto ended = (*subject)->process().wait(clock::now() + std::chrono::seconds(1));
        infra_error = fmt::format("the subject died: {}", ended.describe());
        break;
      }
      if (answer.status != read_status::line) {
        // A subject that died while a descendant holds its stdout open never gives eof.
        if (auto ended = (*subject)->process().try_wait()) {
          infra_error = fmt::format("the subject died: {}", ended->describe());
          break;
        }
        continue;
      }
      detail::take_upload_answer(answer.message, run, clock::now());
      if (cx.answered != nullptr) cx.answered->store(run.done);
    }
    if (phase > 0 || !gated || !infra_error.empty() || run.done < n) break;
    // The stage's gates, from the ledger as it stands; a trip rolls the same subject back and
    // sends the verification uploads under the rolled-back configuration.
    auto mid = mock.ledger();
    if (!mid) {
      if (!mock_died()) infra_error = fmt::format("mock {} ledger: {}", spec.provider, mid.error());
      break;
    }
    gates =
        detail::analyse_gates(*cx.sc.rollback, detail::stage_alpha(cx.sc), run.samples, n, *mid);
    if (!gates->tripped) break;
    rolled_back_to = detail::rollback_target(cx.sc, spec.rollout->percent);
    auto back = (*subject)->call({{"op", "configure"},
                                  {"providers", providers},
                                  {"flags", flags_at(rolled_back_to)},
                                  {"settings", cx.sc.subject.settings}},
                                 clock::now() + subject_op_timeout);
    if (!back) {
      infra_error = "subject configure (rollback): " + back.error();
      break;
    }
    target = capacity;
  }
  const auto t_end = clock::now();
  run.samples.resize(sent);
  for (std::size_t i = 0; i < sent; ++i) {
    if (run.answered[i]) continue;
    auto& s = run.samples[i];
    s.ok = false;
    s.latency_ms = ms_between(run.started[i], t_end);
    s.timed_out = infra_error.empty();  // no answer by the case deadline
    s.error_code = infra_error.empty() ? "timeout" : "infrastructure";
  }

  detail::metrics_answer metrics;
  if (!(*subject)->has_capability("metrics")) {
    metrics.not_checked = "the subject offers no metrics";
  } else if (!infra_error.empty()) {
    metrics.not_checked = "the case ended on an infrastructure failure: " + infra_error;
  } else if (run.done != sent) {
    metrics.not_checked = fmt::format(
        "{} of {} uploads were unanswered at the end of the case, so the subject's "
        "counters could still move",
        sent - run.done, sent);
  } else if (auto m = (*subject)->call({{"op", "metrics"}}, clock::now() + subject_op_timeout);
             !m) {
    metrics.failure = "the metrics op failed: " + m.error();
  } else {
    metrics = detail::read_metrics_answer(*m);
  }
  const auto peak = peak_rss_of((*subject)->process().pid());
  // With its mock gone nothing the subject still does can be judged: it gets a second, not five.
  const auto ended = (*subject)->finish(
      clock::now() + (mock_death ? std::chrono::seconds(1) : std::chrono::seconds(5)));
  rec.peak_rss_bytes = peak ? *peak : ended.peak_rss_bytes;
  rec.cpu_seconds = ended.cpu_seconds;
  // Every byte of stdout and stderr and every answer (configure's too) was scanned as it came.
  const std::string leak = (*subject)->leak_seen_in();
  run.leaked = !leak.empty();
  rec.subject_stderr_tail = cx.secrets.redact((*subject)->process().stderr_tail());

  rec.wall_seconds = std::chrono::duration<double>(t_end - t0).count();
  std::uint64_t ok_bytes = 0, ok_count = 0;
  for (const auto& s : run.samples)
    ok_bytes += s.ok ? s.bytes : 0, ok_count += s.ok ? 1 : 0;
  if (rec.wall_seconds > 0) {
    rec.throughput_bytes_per_s = static_cast<double>(ok_bytes) / rec.wall_seconds;
    rec.uploads_per_s = static_cast<double>(ok_count) / rec.wall_seconds;
  }

  boost::json::array ledger;
  std::string unknown;  // why the uploads cannot be judged: no ledger
  if (mock_death) {
    unknown = "the mock died";
  } else if (auto dead = mock.exited()) {
    infra_error = fmt::format("mock {} died: {}{}", spec.provider, dead->describe(),
                              infra_error.empty() ? "" : "; " + infra_error);
    unknown = "the mock died";
  } else if (auto got = mock.ledger(); !got) {
    infra_error = fmt::format("mock {} ledger: {}", spec.provider, got.error());
    unknown = "the mock's ledger could not be read";
  } else {
    ledger = std::move(*got);
  }
  rec.uploads = std::move(run.samples);
  if (unknown.empty()) {
    detail::join_ledger(rec.uploads, run.file_ids, ledger, file->sha256, file->size);
  } else {
    // Without a ledger an upload the server stored intact is indistinguishable from a lost one.
    detail::mark_unknown(rec.uploads, unknown);
    if (!rec.uploads.empty())
      infra_error +=
          fmt::format("; {} uploads recorded as unknown: {}", rec.uploads.size(), unknown);
    if (metrics.not_checked.empty())
      metrics = {.not_checked = "no ledger to compare with: " + unknown};
  }
  detail::add_checks(cx.sc, spec, rec);
  if (gates) detail::add_rollback_checks(*cx.sc.rollback, *gates, rolled_back_to, rec);
  detail::add_metrics_checks(metrics, spec.provider, ledger, rec);
  if (cx.async_users != nullptr && infra_error.empty())
    detail::add_rollout_sticky_check(spec, *cx.async_users, rec);
  detail::add_harness_check(cx.mocks, rec);
  // The faults the mocks injected, by their own count (the stats the harness check just read).
  bool counted = true;
  double injected = 0;
  for (const auto& [name, m] : cx.mocks) {
    if (!m->faults_injected()) counted = false;
    for (const auto& [rule, n] :
         m->faults_injected().value_or(std::map<std::string, std::uint64_t>{})) {
      rec.values["faults_by_rule." + rule] += static_cast<double>(n);
      injected += static_cast<double>(n);
    }
  }
  if (counted) rec.values["faults_injected"] = injected;
  rec.checks.push_back({"no_secret_leak", !run.leaked, "no API key in the subject's output",
                        run.leaked ? "an API key appeared in " + leak : "none found"});
  if (!infra_error.empty()) return fail(infra_error);
  if (sent < n)
    return fail(fmt::format("only {} of {} uploads sent before the case deadline", sent, n));
  rec.status = case_status::passed;
  for (const auto& c : rec.checks) {
    if (!c.passed && !c.not_run) {
      rec.status = case_status::failed;
      rec.message += (rec.message.empty() ? "" : "; ") + c.name + ": expected " + c.expected +
                     ", measured " + c.measured;
    }
  }
  rec.message = cx.secrets.redact(rec.message);
  return rec;
}

}  // namespace rollproof::framework
