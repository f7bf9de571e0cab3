#include "rollproof/framework/cli.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <ostream>
#include <sstream>

#include "rollproof/common/repeat_limit.hpp"
#include "rollproof/common/terminal_text.hpp"
#include "rollproof/framework/loader.hpp"
#include "rollproof/framework/runner.hpp"
#include "rollproof/framework/terminal.hpp"
#include "rollproof/reports/writers.hpp"

#ifndef ROLLPROOF_VERSION
#define ROLLPROOF_VERSION "0.0.0"
#endif

namespace rollproof::framework {
namespace {

std::filesystem::path own_directory(const std::string& argv0) {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) self = std::filesystem::absolute(argv0);
  return self.parent_path();
}

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;)
    words.push_back(w);
  return words;
}

// --shard K/N, else GoogleTest's GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS, else Kubernetes'
// JOB_COMPLETION_INDEX with --shards N.
std::expected<std::optional<shard_spec>, std::string> choose_shard(const std::string& shard,
                                                                   std::size_t shards) {
  if (!shard.empty()) {
    auto s = parse_shard(shard);
    if (!s) return std::unexpected(s.error());
    return std::optional<shard_spec>(*s);
  }
  const auto number = [](const char* name) -> std::optional<std::size_t> {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return std::nullopt;
    char* end = nullptr;
    const auto n = std::strtoull(v, &end, 10);
    if (*end != '\0') return std::nullopt;
    return static_cast<std::size_t>(n);
  };
  const auto total = number("GTEST_TOTAL_SHARDS");
  const auto index = number("GTEST_SHARD_INDEX");
  if (total && index) {
    if (*total == 0 || *index >= *total)
      return std::unexpected(
          fmt::format("GTEST_SHARD_INDEX={} is not below GTEST_TOTAL_SHARDS={}", *index, *total));
    return std::optional<shard_spec>(shard_spec{*index, *total});
  }
  if (shards > 0) {
    const auto job = number("JOB_COMPLETION_INDEX");
    if (!job) return std::unexpected("--shards N needs JOB_COMPLETION_INDEX (or use --shard K/N)");
    if (*job >= shards)
      return std::unexpected(
          fmt::format("JOB_COMPLETION_INDEX={} is not below --shards {}", *job, shards));
    return std::optional<shard_spec>(shard_spec{*job, shards});
  }
  return std::optional<shard_spec>();
}

int validate_command(const std::vector<std::string>& inputs, std::ostream& out, std::ostream& err) {
  auto files = find_scenario_files(inputs);
  if (!files) {
    err << terminal_text(to_string(files.error()));
    return exit_invalid;
  }
  bool invalid = false;
  std::vector<scenario> loaded;
  for (const auto& f : *files) {
    auto sc = load_scenario(f);
    if (!sc) {
      err << terminal_text(to_string(sc.error()));
      invalid = true;
    } else {
      out << terminal_text(fmt::format("{}: ok ({} cases, {} claims)\n", f.string(),
                                       expand_matrix(*sc, 0, sc->repeat).size(),
                                       sc->claims.size()));
      err << terminal_text(to_string(sc->warnings));
      loaded.push_back(std::move(*sc));
    }
  }
  const auto duplicates = duplicate_names(loaded);
  err << terminal_text(to_string(duplicates));
  return invalid || !duplicates.empty() ? exit_invalid : exit_ok;
}

// --fail-on, the same option for `run` and `merge`: what, besides failed cases and refuted or
// errored claims, makes the exit code 1.
void add_fail_on(CLI::App& command, std::string& fail_on) {
  command.add_option("--fail-on", fail_on, "also exit 1 on: inconclusive")
      ->check(CLI::IsMember({"inconclusive"}));
}

// --color, the same option for `run` and `merge`.
void add_color(CLI::App& command, std::string& color) {
  command
      .add_option("--color", color,
                  "auto: colour a terminal unless NO_COLOR is set (not empty); always; never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
}

color_mode color_from(const std::string& color) {
  return color == "always"  ? color_mode::always
         : color == "never" ? color_mode::never
                            : color_mode::automatic;
}

// The help footers: exit codes and the environment each subcommand reads.
constexpr const char* run_footer =
    "Exit codes:\n"
    "  0  every case passed; every claim verified, unverifiable or inconclusive\n"
    "  1  a case failed, or a claim was refuted or could not be judged (error), or was\n"
    "     inconclusive with --fail-on inconclusive\n"
    "  2  invalid scenario or usage (a --filter matching no case included); nothing run\n"
    "  3  infrastructure failed: a mock or subject could not start or died, or the run was\n"
    "     interrupted (SIGINT, SIGTERM); the reports are still written\n"
    "A shard (--shard K/N with N > 1) does not judge claims for its exit code: merge does.\n"
    "\n"
    "Environment:\n"
    "  NO_COLOR            set and not empty: no colours under --color=auto (no-color.org)\n"
    "  ROLLPROOF_MOCK      the mock executable (default: rollproof-mock beside rollproof)\n"
    "  GTEST_SHARD_INDEX, GTEST_TOTAL_SHARDS, JOB_COMPLETION_INDEX (with --shards N)\n"
    "                      the shard, when --shard is not given\n"
    "\n"
    "Output: a line per case on stderr as it ends (a heartbeat every 5 s while one runs); the\n"
    "claims table, the report paths and a closing line with the counts on stdout.";
constexpr const char* list_footer =
    "Exit codes: 0 the ids printed; 2 invalid scenario or usage (a --filter matching no case\n"
    "included).";
constexpr const char* validate_footer =
    "Exit codes: 0 every file is valid (warnings on stderr); 2 a file is invalid (every error as\n"
    "file:line:col) or two files share a scenario name.";
constexpr const char* merge_footer =
    "Exit codes:\n"
    "  0  a complete shard set; every case passed and every claim verified, unverifiable or\n"
    "     inconclusive\n"
    "  1  a case failed, a claim was refuted or errored (or inconclusive with --fail-on\n"
    "     inconclusive), or the merge is partial (--allow-partial)\n"
    "  2  usage, or the inputs are not one complete, consistent shard set; nothing written\n"
    "  3  a shard's case errored (infrastructure), or the reports cannot be written";
constexpr const char* main_footer =
    "Exit codes: 0 passed, 1 failed or refuted, 2 invalid input or usage, 3 infrastructure\n"
    "failed. `rollproof SUBCOMMAND --help` describes each subcommand, its options and exit codes.";

int merge_command(const std::vector<std::string>& dirs, const std::filesystem::path& out_dir,
                  bool fail_on_inconclusive, bool allow_partial, color_mode color,
                  const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  std::vector<reports::merge_input> shards;
  for (const auto& d : dirs) {
    auto run = reports::read_evidence(std::filesystem::path(d) / "evidence.json");
    if (!run) {
      err << terminal_text(fmt::format(
          "{}: {}\n", (std::filesystem::path(d) / "evidence.json").string(), run.error()));
      return exit_invalid;
    }
    shards.push_back({d, std::move(*run)});
  }
  auto merged = reports::merge_runs(std::move(shards), {.allow_partial = allow_partial});
  if (!merged) {
    for (const auto& problem : merged.error())
      err << "rollproof merge: " << terminal_text(problem) << "\n";
    err << "rollproof merge: the inputs are not one complete, consistent shard set; nothing "
           "written\n";
    return exit_invalid;
  }
  merged->prov.command_line = argv;
  redactor none;
  std::error_code ec;
  if (std::filesystem::is_symlink(out_dir, ec)) {  // reports are never written through a link
    err << terminal_text(
        fmt::format("rollproof merge: {}: --out is a symbolic link; give the real directory\n",
                    out_dir.string()));
    return exit_invalid;
  }
  if (auto w = reports::write_reports(*merged, out_dir, none); !w) {
    err << "rollproof merge: cannot write the reports: " << terminal_text(w.error()) << "\n";
    return exit_infrastructure;
  }
  print_claims_table(*merged, out, use_color(color, STDOUT_FILENO));
  for (const char* name : reports::report_file_names)
    out << "report: " << terminal_text((out_dir / name).string()) << "\n";
  int code = exit_code_for(*merged, fail_on_inconclusive, false);
  if (reports::is_partial(*merged)) {
    err << "rollproof merge: partial result, "
        << reports::missing_shards_text(merged->prov.missing_shards, merged->prov.shard_total)
        << "; never a pass\n";
    if (code == exit_ok) code = exit_failed;
  }
  out << closing_line("rollproof merge", *merged, -1, code) << "\n";
  return code;
}

}  // namespace

int cli_main(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  // Named, so that usage lines say "rollproof", not the path the binary was started by.
  CLI::App app{"rollproof: runs rollout scenarios against mock providers and judges their claims",
               "rollproof"};
  app.set_version_flag("--version", std::string("rollproof ") + ROLLPROOF_VERSION,
                       "print the version and exit 0");
  app.set_help_flag("-h,--help", "print this help and exit 0");
  app.require_subcommand(1);
  app.footer(main_footer);

  run_options o;
  std::string shard, subject, fail_on, color = "auto";
  std::size_t shards = 0;
  std::uint64_t seed = 0;
  std::uint32_t repeat = 1;
  auto* run = app.add_subcommand("run", "run scenarios and write reports to --out");
  run->add_option("inputs", o.inputs, "scenario files or directories of *.toml")->required();
  run->add_option("--out", o.out_dir, "output directory (default out)");
  run->add_option("--filter", o.filter, "run only cases whose id matches this glob");
  run->add_option("--shard", shard, "run shard K of N (1-based), e.g. 2/3");
  run->add_option("--shards", shards,
                  "number of shards; the index comes from JOB_COMPLETION_INDEX");
  auto* seed_option = run->add_option("--seed", seed, "override every scenario's seed");
  auto* run_repeat = run->add_option("--repeat", repeat, "run each case N times (overrides repeat)")
                         ->check(CLI::Range(1u, max_repeat));
  run->add_option("--subject", subject, "subject command (words split on spaces)");
  add_fail_on(*run, fail_on);
  add_color(*run, color);
  run->footer(run_footer);

  std::vector<std::string> list_inputs;
  auto* list = app.add_subcommand("list", "print the case ids, one per line");
  list->add_option("inputs", list_inputs, "scenario files or directories")->required();
  list->add_option("--filter", o.filter, "only ids matching this glob");
  list->add_option("--shard", shard, "only shard K of N (1-based)");
  list->add_option("--shards", shards,
                   "number of shards; the index comes from JOB_COMPLETION_INDEX");
  auto* list_repeat = list->add_option("--repeat", repeat, "each case N times (overrides repeat)")
                          ->check(CLI::Range(1u, max_repeat));
  list->footer(list_footer);

  std::vector<std::string> validate_inputs;
  auto* validate = app.add_subcommand("validate", "check scenario files; errors as file:line:col");
  validate->add_option("inputs", validate_inputs, "scenario files or directories")->required();
  validate->footer(validate_footer);

  std::vector<std::string> merge_dirs;
  std::filesystem::path merge_out = "out";
  std::string merge_fail_on;
  bool allow_partial = false;
  auto* merge =
      app.add_subcommand("merge", "join shard output directories into one set of reports");
  merge->add_option("dirs", merge_dirs, "shard output directories")->required();
  merge->add_option("--out", merge_out, "output directory")->required();
  add_fail_on(*merge, merge_fail_on);
  merge->add_flag("--allow-partial", allow_partial,
                  "merge an incomplete shard set (the result is marked partial, never exit 0)");
  std::string merge_color = "auto";
  add_color(*merge, merge_color);
  merge->footer(merge_footer);

  std::vector<const char*> args;
  for (const auto& a : argv)
    args.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ParseError& e) {
    std::ostringstream o_out, o_err;
    const int code = app.exit(e, o_out, o_err);
    out << o_out.str();
    err << o_err.str();
    return code == 0 ? exit_ok : exit_invalid;
  }

  auto chosen = choose_shard(shard, shards);
  if (!chosen) {
    err << "rollproof: " << chosen.error() << "\n";
    return exit_invalid;
  }
  if (run_repeat->count() > 0 || list_repeat->count() > 0) o.repeat = repeat;
  if (*validate) return validate_command(validate_inputs, out, err);
  if (*merge)
    return merge_command(merge_dirs, merge_out, merge_fail_on == "inconclusive", allow_partial,
                         color_from(merge_color), argv, out, err);
  if (*list) {
    auto plan = make_plan(list_inputs, o.filter, *chosen, o.repeat, std::nullopt);
    if (!plan) {
      err << terminal_text(to_string(plan.error()));
      return exit_invalid;
    }
    for (const auto& c : plan->cases)
      out << terminal_text(c.id) << "\n";
    return exit_ok;
  }
  o.shard = *chosen;
  if (seed_option->count() > 0) o.seed = seed;
  o.subject = split_words(subject);
  o.fail_on_inconclusive = fail_on == "inconclusive";
  o.color = color_from(color);
  o.bin_dir = own_directory(argv.empty() ? "rollproof" : argv[0]);
  o.argv = argv;
  return run_scenarios(o, out, err);
}

}  // namespace rollproof::framework
