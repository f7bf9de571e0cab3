#include "rollproof/framework/runner.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <csignal>
#include <memory>
#include <ostream>

#include "rollproof/common/terminal_text.hpp"
#include "rollproof/framework/bucketing_case.hpp"
#include "rollproof/framework/claim_groups.hpp"
#include "rollproof/framework/driver.hpp"
#include "rollproof/framework/loader.hpp"
#include "rollproof/framework/mock_server.hpp"
#include "rollproof/framework/provenance.hpp"
#include "rollproof/reports/writers.hpp"

namespace rollproof::framework {
namespace {

std::atomic<int> stop_signal{0};

extern "C" void on_stop_signal(int sig) {
  stop_signal.store(sig);
}

constexpr auto mock_start_timeout = std::chrono::seconds(10);

// The subject command: --subject, else [subject].command (relative paths from the scenario's
// folder), else the rollproof-upload built beside rollproof.
std::vector<std::string> subject_command(const run_options& o, const scenario& sc) {
  if (!o.subject.empty()) return o.subject;
  if (sc.subject.command.empty()) return {(o.bin_dir / "rollproof-upload").string()};
  auto cmd = sc.subject.command;
  if (cmd[0].find('/') != std::string::npos && cmd[0].front() != '/')
    cmd[0] = (std::filesystem::path(sc.file).parent_path() / cmd[0]).lexically_normal().string();
  return cmd;
}

std::filesystem::path mock_executable(const run_options& o) {
  if (const char* env = std::getenv("ROLLPROOF_MOCK"); env != nullptr && *env != '\0') return env;
  return o.bin_dir / "rollproof-mock";
}

}  // namespace

std::expected<run_plan, diagnostics> make_plan(const std::vector<std::string>& inputs,
                                               const std::string& filter,
                                               std::optional<shard_spec> shard,
                                               std::optional<std::uint32_t> repeat,
                                               std::optional<std::uint64_t> seed) {
  auto files = find_scenario_files(inputs);
  if (!files) return std::unexpected(files.error());
  run_plan plan;
  diagnostics all;
  for (const auto& f : *files) {
    auto sc = load_scenario(f);
    if (!sc) {
      all.insert(all.end(), sc.error().begin(), sc.error().end());
      continue;
    }
    if (seed) sc->seed = *seed;
    if (repeat) sc->repeat = *repeat;
    if (const auto n = case_count_bound(*sc, sc->repeat); n > max_cases) {
      all.push_back({sc->name_where,
                     fmt::format("scenario '{}' plans {} cases with --repeat {}, more than {}: "
                                 "lower --repeat or split the scenario",
                                 sc->name, n, sc->repeat, max_cases)});
      continue;
    }
    plan.scenarios.push_back(std::move(*sc));
  }
  const auto duplicates = duplicate_names(plan.scenarios);
  all.insert(all.end(), duplicates.begin(), duplicates.end());
  if (!all.empty()) return std::unexpected(std::move(all));
  std::vector<case_spec> cases;
  for (std::size_t i = 0; i < plan.scenarios.size(); ++i) {
    auto more = expand_matrix(plan.scenarios[i], i, plan.scenarios[i].repeat);
    cases.insert(cases.end(), more.begin(), more.end());
  }
  auto filtered = filter_cases(cases, filter);
  if (!filter.empty() && filtered.empty() && !cases.empty())
    return std::unexpected(diagnostics{
        {{"rollproof", 0, 0},
         fmt::format("--filter '{}' matches none of the {} (`rollproof list` prints their ids)",
                     filter, count_of(cases.size(), "case"))}});
  plan.split_claims = claims_split_by(plan.scenarios, cases, filtered, "--filter");
  cases = std::move(filtered);
  plan.plan_cases = cases.size();
  if (shard) {
    auto mine = shard_cases(cases, *shard, claim_groups(plan.scenarios, cases));
    plan.split_claims.merge(claims_split_by(plan.scenarios, cases, mine, "--shard"));
    // Each case's place in the unsharded plan, so that merge can restore the order.
    plan.plan_index = plan_positions(cases, mine);
    cases = std::move(mine);
  } else {
    plan.plan_index = plan_positions(cases, cases);
  }
  plan.cases = std::move(cases);
  return plan;
}

int run_scenarios(const run_options& o, std::ostream& out, std::ostream& progress) {
  const auto run_started = std::chrono::steady_clock::now();
  auto plan = make_plan(o.inputs, o.filter, o.shard, o.repeat, o.seed);
  if (!plan) {
    progress << terminal_text(to_string(plan.error()));
    return exit_invalid;
  }
  for (const auto& sc : plan->scenarios)
    progress << terminal_text(to_string(sc.warnings));
  redactor secrets;
  for (const auto& sc : plan->scenarios)
    for (const auto& [name, p] : sc.providers)
      secrets.add(p.api_key);

  struct sigaction action {};
  action.sa_handler = &on_stop_signal;
  ::sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a dead subject must not kill the runner that writes to it

  std::error_code ec;
  if (std::filesystem::is_symlink(o.out_dir, ec)) {  // reports are never written through a link
    progress << terminal_text(
        fmt::format("{}: --out is a symbolic link; give the real directory\n", o.out_dir.string()));
    return exit_invalid;
  }
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec) {
    progress << terminal_text(
        fmt::format("{}: cannot create: {}\n", o.out_dir.string(), ec.message()));
    return exit_invalid;
  }
  reports::run_record run;
  run.prov = collect_provenance(o.argv, secrets);
  run.prov.seed = o.seed;
  run.prov.shard_index = o.shard ? o.shard->index + 1 : 1;
  run.prov.shard_total = o.shard ? o.shard->total : 1;
  run.prov.plan_cases = plan->plan_cases;
  run.prov.filter = o.filter;
  run.prov.repeat = o.repeat.value_or(0);
  for (const auto& sc : plan->scenarios) {
    run.scenarios.push_back({sc.name, sc.file, sc.sha256, sc.description, sc.seed,
                             describe_subject(subject_command(o, sc), secrets)});
  }
  corpus files(o.out_dir / ".corpus", &stop_signal);  // a signal ends a long generation
  progress << fmt::format("rollproof: {} from {}\n", count_of(plan->cases.size(), "case"),
                          count_of(plan->scenarios.size(), "scenario file"));
  progress_printer printer(progress, plan->cases.size(), use_color(o.color, STDERR_FILENO),
                           heartbeat_interval());

  std::map<std::string, std::unique_ptr<mock_server>> mocks;
  std::size_t mocks_of = static_cast<std::size_t>(-1);
  std::string infrastructure_failure;
  std::map<std::size_t, std::map<std::string, double>> async_users;  // by scenario index
  for (std::size_t k = 0; k < plan->cases.size(); ++k) {
    const case_spec& spec = plan->cases[k];
    const scenario& sc = plan->scenarios[spec.scenario_index];
    reports::case_record rec;
    printer.case_started(k + 1, spec.id, spec.bucketing ? 0 : spec.uploads);
    const auto case_started = std::chrono::steady_clock::now();
    if (stop_signal.load() != 0 || !infrastructure_failure.empty()) {
      rec.id = spec.id;
      rec.scenario = sc.name;
      rec.parameters = spec.parameters();
      rec.status = reports::case_status::skipped;
      rec.message = stop_signal.load() != 0 ? "not run: the run was aborted"
                                            : "not run: " + infrastructure_failure;
    } else {
      if (mocks_of != spec.scenario_index) mocks.clear(), mocks_of = spec.scenario_index;
      // A mock that died (killed, crashed) is restarted; the case it killed already says so.
      for (const auto& provider : sc.matrix.providers) {
        auto& m = mocks[provider];
        if (m && !m->exited()) continue;
        auto started = mock_server::start(mock_executable(o), sc.providers.at(provider), sc.seed,
                                          o.out_dir, mock_start_timeout);
        if (!started) {
          infrastructure_failure = secrets.redact(started.error());
          m.reset();
          break;
        }
        m = std::move(*started);
      }
      if (!infrastructure_failure.empty()) {
        rec.id = spec.id;
        rec.scenario = sc.name;
        rec.parameters = spec.parameters();
        rec.status = reports::case_status::error;
        rec.message = "infrastructure failed: " + infrastructure_failure;
      } else {
        case_context cx{sc, spec, files, {}, subject_command(o, sc), sc.seed, secrets, stop_signal};
        cx.async_users = &async_users[spec.scenario_index];
        cx.answered = &printer.answered();
        for (auto& [name, m] : mocks)
          cx.mocks[name] = m.get();
        rec = spec.bucketing ? run_bucketing_case(cx) : run_case(cx);
      }
    }
    rec.plan_index = plan->plan_index[k];
    // The case's whole time, subject start and mock restarts included: a subject killed at its
    // hello timeout took that long, though its record's wall_seconds (the uploads') is 0.
    printer.case_done(
        rec,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - case_started).count());
    run.cases.push_back(std::move(rec));
  }
  mocks.clear();
  if (stop_signal.load() != 0) {
    run.aborted = true;
    run.abort_reason = stop_signal.load() == SIGINT ? "SIGINT" : "SIGTERM";
  }
  judge_claims(plan->scenarios, run);
  // A comparison whose arm the filter or the shard set removed is not judged on the other arm.
  for (auto& claim : run.claims) {
    const auto split = plan->split_claims.find({claim.scenario, claim.id});
    if (split == plan->split_claims.end()) continue;
    claim.result = reports::verdict::error;
    claim.reason = split->second;
    claim.explanation = "The claim could not be judged: " + split->second + ".";
    claim.measured = {};
    claim.samples_needed.reset();
  }
  run.prov.finished_at = now_rfc3339();

  auto written = reports::write_reports(run, o.out_dir, secrets);
  if (!written) {
    progress << "rollproof: cannot write the reports: "
             << terminal_text(secrets.redact(written.error())) << "\n";
    return exit_infrastructure;
  }
  print_claims_table(run, out, use_color(o.color, STDOUT_FILENO));
  for (const char* name : reports::report_file_names)
    out << "report: " << terminal_text((o.out_dir / name).string()) << "\n";
  if (!infrastructure_failure.empty())
    progress << "rollproof: infrastructure failed: " << terminal_text(infrastructure_failure)
             << "\n";
  if (run.aborted)
    progress << "rollproof: aborted by " << run.abort_reason << "; reports written\n";
  const bool sharded = o.shard && o.shard->total > 1;
  const int code = exit_code_for(run, o.fail_on_inconclusive, sharded);
  out << closing_line(
             "rollproof", run,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - run_started).count(),
             code)
      << "\n";
  return code;
}

}  // namespace rollproof::framework
