// Checks of a scenario's meaning, once its sections are read: claims that name unknown metrics,
// repeat an id, bound a metric outside its range or select no case; and warnings for a matrix a
// provider refuses and for rollback gates a stage cannot decide.
#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "loader_sections.hpp"
#include "rollproof/framework/plan.hpp"

#if defined(ROLLPROOF_HAVE_CLAIMS)
#include "rollproof/claims/claim.hpp"
#endif

namespace rollproof::framework::detail {
namespace {

// Every name the runner writes into a case's values (case_checks, rollout_checks, bucketing_case),
// as globs; a claim may name any of them besides the claims library's own metrics.
const std::vector<std::string>& named_values() {
  static const std::vector<std::string> names = {"success_rate",
                                                 "timeout_rate",
                                                 "latency_p50_ms",
                                                 "latency_p95_ms",
                                                 "latency_p99_ms",
                                                 "rollout_share",
                                                 "fallbacks",
                                                 "rollback.failed_measurements",
                                                 "rollback.inconclusive_measurements",
                                                 "rollback.to_percent",
                                                 "rollback.inconclusive",
                                                 "rollback.decided_after",
                                                 "rollback.uploads_needed",
                                                 "rollback_left_async",
                                                 "bucketing_share.*",
                                                 "bucketing_uniformity.*.p_value",
                                                 "bucketing_independence.p_value",
                                                 "bucket_count.*"};
  return names;
}

bool glob(const std::string& pattern, const std::string& text) {
  return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

// Metrics that are proportions or p-values, so every bound on them lies in [0, 1].
bool is_unit_interval(const std::string& metric) {
  static const std::vector<std::string> names = {
      "success_rate",        "error_rate",        "timeout_rate",   "fallback_rate",
      "integrity_rate",      "rollout_share",     "case_pass_rate", "bucket_uniformity",
      "rollback_left_async", "bucketing_share.*", "*.p_value"};
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& p) { return glob(p, metric); });
}

// A warning at `where`, printed as "file:line:col: warning: ...".
void warn(const std::string& file, const toml::source_region& where, std::string message,
          diagnostics& warnings) {
  warnings.push_back(
      diagnostic{{file, where.begin.line, where.begin.column}, "warning: " + std::move(message)});
}

#if defined(ROLLPROOF_HAVE_CLAIMS)

// The node of a claim that states `key` (at top level or inside `expect`), else the claim itself.
const toml::node& node_of(const toml::table& t, std::string_view key) {
  if (const toml::node* n = t.get(key)) return *n;
  if (const auto* e = t["expect"].as_table())
    if (const toml::node* n = e->get(key)) return *n;
  return t;
}

std::string known_metrics_text() {
  std::string out;
  for (const auto& m : claims::builtin_metric_names())
    out += (out.empty() ? "" : ", ") + m;
  out += "; or a value the runner records:";
  for (const auto& v : named_values())
    out += " " + v;
  return out;
}

void check_claim_range(toml_reader& r, const toml::table& t, const claims::claim_spec& spec) {
  const bool unit = is_unit_interval(spec.metric);
  const auto outside = [&](double v) { return !(v >= 0) || (unit && v > 1); };  // NaN: outside
  const std::string range = unit ? "0..1" : ">= 0";
  const auto check = [&](std::string_view key, std::optional<double> v, bool applies) {
    if (applies && v && outside(*v))
      r.error(node_of(t, key).source(),
              fmt::format("claim '{}': {} {} is outside the range of metric '{}' ({})", spec.id,
                          key, *v, spec.metric, range));
  };
  using claims::relation_kind;
  check("at_least", spec.min, spec.relation == relation_kind::bound);
  check("at_most", spec.max, spec.relation == relation_kind::bound);
  check("proportion", spec.equals, spec.relation == relation_kind::proportion);
  if (spec.relation == relation_kind::ratio && spec.min && *spec.min < 0)
    r.error(node_of(t, "ratio").source(),
            fmt::format("claim '{}': a ratio of metric '{}' is >= 0 (got min {})", spec.id,
                        spec.metric, *spec.min));
  if (spec.relation == relation_kind::reduction && spec.min && *spec.min > 1)
    r.error(node_of(t, "reduction").source(),
            fmt::format("claim '{}': a reduction of metric '{}' is at most 1 (got min {})", spec.id,
                        spec.metric, *spec.min));
}

void check_claims(toml_reader& r, const toml::table& root, const scenario& sc,
                  bool sections_valid) {
  const auto* claims_array = root["claim"].as_array();
  if (claims_array == nullptr) return;
  std::vector<reports::case_record> cases;
  for (const auto& c : sections_valid ? expand_matrix(sc, 0) : std::vector<case_spec>{}) {
    reports::case_record rec;
    rec.id = c.id;
    rec.scenario = sc.name;
    rec.parameters = c.parameters();
    rec.status = reports::case_status::passed;
    cases.push_back(std::move(rec));
  }
  std::map<std::string, const toml::table*> ids;
  for (const auto& item : *claims_array) {
    const auto* t = item.as_table();
    if (t == nullptr) continue;
    auto spec = claims::parse_claim(*t, r.file());
    if (!spec) continue;  // read_claims reported it
    spec->scenario = sc.name;
    if (const auto [first, fresh] = ids.emplace(spec->id, t); !fresh) {
      const auto& at = first->second->source().begin;
      r.error(node_of(*t, "id").source(),
              fmt::format("duplicate claim id '{}' (first used at line {}, column {})", spec->id,
                          at.line, at.column));
    }
    if (!spec->unverifiable.empty()) continue;
    const auto& builtin = claims::builtin_metric_names();
    const bool known = std::find(builtin.begin(), builtin.end(), spec->metric) != builtin.end() ||
                       std::any_of(named_values().begin(), named_values().end(),
                                   [&](const std::string& p) { return glob(p, spec->metric); });
    if (!known) {
      r.error(node_of(*t, "metric").source(),
              fmt::format("claim '{}': unknown metric '{}' (use {})", spec->id, spec->metric,
                          known_metrics_text()));
      continue;
    }
    check_claim_range(r, *t, *spec);
    if (!sections_valid) continue;  // the cases are not known yet
    if (const auto unmatched = claims::find_unmatched_selector(*spec, cases))
      r.error(node_of(*t, unmatched->key).source(),
              fmt::format("claim '{}': {} among the scenario's {} cases", spec->id,
                          unmatched->reason, cases.size()));
  }
}

#endif

// The largest file a provider's mock accepts: its max_file_size, else the mock's 100 MiB, and at
// most 50 MiB for GLM, whose file-extract purpose (the one the subject sends) has that limit.
std::uint64_t size_limit(const provider_config& p) {
  const std::uint64_t limit = p.max_file_size.value_or(100ULL << 20);
  return p.name == "glm" ? std::min<std::uint64_t>(limit, 50ULL << 20) : limit;
}

void warn_about_size_limits(toml_reader& r, const toml::table& root, const scenario& sc,
                            diagnostics& warnings) {
  std::map<std::pair<std::string, std::uint64_t>, std::string> refused;  // -> size as written
  for (const auto& c : expand_matrix(sc, 0)) {
    const auto p = sc.providers.find(c.provider);
    if (!c.bucketing && p != sc.providers.end() && c.size > size_limit(p->second))
      refused.emplace(std::pair(c.provider, c.size), c.size_label);
  }
  const toml::node* sizes = root["matrix"]["sizes"].node();
  for (const auto& [key, label] : refused) {
    const auto& [provider, bytes] = key;
    const toml::node* at = root["matrix"].node();
    for (std::size_t i = 0; i < sc.matrix.sizes.size(); ++i)
      if (sc.matrix.sizes[i] == bytes && sizes != nullptr && sizes->is_array() &&
          i < sizes->as_array()->size())
        at = &(*sizes->as_array())[i];
    warn(r.file(), at != nullptr ? at->source() : toml::source_region{},
         fmt::format("size {} exceeds {}'s limit of {} bytes: its {} cases will be refused "
                     "(expect that with an [[expect.when]] table, or exclude the cell)",
                     label, provider, size_limit(sc.providers.at(provider)), provider),
         warnings);
  }
}

void warn_about_rollback_gates(toml_reader& r, const toml::table& root, const scenario& sc,
                               diagnostics& warnings) {
  if (!sc.rollback || sc.rollback->method != "windows") return;
  const rollback_spec& rb = *sc.rollback;
  const toml::node* at = root["rollback"]["window"].node();
  if (at == nullptr) at = root["rollback"].node();
  for (const auto& st : sc.matrix.stages) {
    if (st.percent <= 0 || st.percent >= 100) continue;
    const double window = std::min<double>(rb.window, st.uploads);
    const double mean_async = window * st.percent / 100;
    if (mean_async >= rb.min_samples) continue;
    const auto needed = static_cast<std::uint64_t>(std::ceil(rb.min_samples * 100 / st.percent));
    warn(r.file(), at->source(),
         fmt::format("at stage {}% a window of {} uploads averages {:.3g} async uploads, fewer "
                     "than min_samples {}: its measurements would be inconclusive; raise "
                     "'window'{} to {} (or lower 'min_samples')",
                     st.percent, static_cast<std::uint64_t>(window), mean_async, rb.min_samples,
                     st.uploads < needed ? " and the stage's uploads" : "", needed),
         warnings);
  }
}

}  // namespace

void check_meaning(toml_reader& r, const toml::table& root, scenario& sc) {
  const bool sections_valid = r.out().empty();
#if defined(ROLLPROOF_HAVE_CLAIMS)
  check_claims(r, root, sc, sections_valid);
#endif
  if (!sections_valid) return;
  warn_about_size_limits(r, root, sc, sc.warnings);
  warn_about_rollback_gates(r, root, sc, sc.warnings);
}

}  // namespace rollproof::framework::detail
