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
  command.add_option("--fail-on", fail_on, "also fail on: inconclusive")
      ->check(CLI::IsMember({"inconclusive"}));
}

int merge_command(const std::vector<std::string>& dirs, const std::filesystem::path& out_dir,
                  bool fail_on_inconclusive, bool allow_partial,
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
  print_claims_table(*merged, out);
  out << "report: " << terminal_text((out_dir / "evidence.json").string()) << "\n";
  const int code = exit_code_for(*merged, fail_on_inconclusive, false);
  if (!reports::is_partial(*merged)) return code;
  err << "rollproof merge: partial result, "
      << reports::missing_shards_text(merged->prov.missing_shards, merged->prov.shard_total)
      << "; never a pass\n";
  return code == exit_ok ? exit_failed : code;
}

}  // namespace

int cli_main(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"rollproof: runs rollout scenarios against mock providers and judges their claims"};
  app.set_version_flag("--version", std::string("rollproof ") + ROLLPROOF_VERSION);
  app.require_subcommand(1);

  run_options o;
  std::string shard, subject, fail_on;
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

  std::vector<std::string> list_inputs;
  auto* list = app.add_subcommand("list", "print the case ids, one per line");
  list->add_option("inputs", list_inputs, "scenario files or directories")->required();
  list->add_option("--filter", o.filter, "only ids matching this glob");
  list->add_option("--shard", shard, "only shard K of N (1-based)");
  list->add_option("--shards", shards,
                   "number of shards; the index comes from JOB_COMPLETION_INDEX");
  auto* list_repeat = list->add_option("--repeat", repeat, "each case N times (overrides repeat)")
                          ->check(CLI::Range(1u, max_repeat));

  std::vector<std::string> validate_inputs;
  auto* validate = app.add_subcommand("validate", "check scenario files; errors as file:line:col");
  validate->add_option("inputs", validate_inputs, "scenario files or directories")->required();

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
                         argv, out, err);
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
  o.bin_dir = own_directory(argv.empty() ? "rollproof" : argv[0]);
  o.argv = argv;
  return run_scenarios(o, out, err);
}

}  // namespace rollproof::framework
