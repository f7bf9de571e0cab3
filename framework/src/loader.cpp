#include "rollproof/framework/loader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <tuple>

#include "loader_sections.hpp"
#include "rollproof/common/repeat_limit.hpp"
#include "rollproof/common/sha256.hpp"
#include "rollproof/framework/plan.hpp"
#include "rollproof/framework/units.hpp"
#include "toml_reader.hpp"

#if defined(ROLLPROOF_HAVE_FAULT_RULES)
#include "rollproof/mock/fault_rules.hpp"
#endif
#if defined(ROLLPROOF_HAVE_CLAIMS)
#include "rollproof/claims/claim.hpp"
#endif

namespace rollproof::framework {

const char* to_string(file_type t) {
  switch (t) {
    case file_type::text:
      return "text";
    case file_type::json:
      return "json";
    case file_type::csv:
      return "csv";
    case file_type::markdown:
      return "markdown";
    case file_type::python:
      return "python";
    case file_type::binary:
      return "binary";
  }
  return "text";
}

std::optional<file_type> parse_file_type(std::string_view name) {
  for (auto t : {file_type::text, file_type::json, file_type::csv, file_type::markdown,
                 file_type::python, file_type::binary}) {
    if (name == to_string(t)) return t;
  }
  return std::nullopt;
}

namespace {

using detail::toml_reader;

provider_config default_provider(const std::string& name) {
  provider_config p;
  p.name = name;
  p.api_key = fmt::format("sk-rollproof-{}", name);
  return p;
}

void read_scenario_table(toml_reader& r, const toml::table& root, scenario& out) {
  const toml::table* s = r.table_at(root, "scenario");
  if (s == nullptr) {
    if (root.get("scenario") == nullptr) r.error({}, "missing [scenario] table");
    return;
  }
  r.unknown_keys(*s, {"name", "description", "seed", "time_limit", "repeat"}, "[scenario]");
  if (auto name = r.string_at(*s, "name")) {
    if (name->empty()) r.error(s->get("name")->source(), "'name' must not be empty");
    out.name = *name;
    const auto& at = s->get("name")->source().begin;
    out.name_where = {r.file(), at.line, at.column};
  } else if (s->get("name") == nullptr) {
    r.error(s->source(), "[scenario] needs 'name'");
  }
  if (auto d = r.string_at(*s, "description")) out.description = *d;
  if (auto seed = r.integer_at(*s, "seed")) {
    if (*seed < 0)
      r.error(s->get("seed")->source(), fmt::format("'seed' must be >= 0 (got {})", *seed));
    else
      out.seed = static_cast<std::uint64_t>(*seed);
  }
  if (auto repeat = r.integer_at(*s, "repeat")) {
    if (*repeat < 1 || *repeat > max_repeat)
      r.error(s->get("repeat")->source(),
              fmt::format("'repeat' must be an integer in [1, {}] (got {})", max_repeat, *repeat));
    else
      out.repeat = static_cast<std::uint32_t>(*repeat);
  }
  if (auto limit = r.string_at(*s, "time_limit")) {
    auto ms = parse_duration(*limit);
    if (!ms)
      r.error(s->get("time_limit")->source(), ms.error());
    else if (ms->count() <= 0)
      r.error(s->get("time_limit")->source(), "'time_limit' must be > 0");
    else
      out.time_limit = *ms;
  }
}

void read_subject(toml_reader& r, const toml::table& root, scenario& out) {
  const toml::table* s = r.table_at(root, "subject");
  if (s == nullptr) return;
  r.unknown_keys(*s, {"command", "settings"}, "[subject]");
  if (const toml::array* cmd = r.array_at(*s, "command")) {
    if (cmd->empty()) r.error(cmd->source(), "'command' must not be empty");
    for (const auto& part : *cmd) {
      if (const auto* str = part.as_string())
        out.subject.command.push_back(str->get());
      else
        r.wrong_type(part, "command", "an array of strings");
    }
  }
  if (const toml::table* settings = r.table_at(*s, "settings")) {
    out.subject.settings = detail::to_json(*settings).as_object();
  }
}

void read_provider(toml_reader& r, std::string_view name, const toml::table& p,
                   provider_config& out) {
  r.unknown_keys(
      p, {"api_key", "max_file_size", "max_files", "rate_tier", "max_concurrency", "rpm", "store"},
      fmt::format("[providers.{}]", name));
  if (auto key = r.string_at(p, "api_key")) {
    if (key->empty())
      r.error(p.get("api_key")->source(), "'api_key' must not be empty");
    else
      out.api_key = *key;
  }
  if (const toml::node* n = p.get("max_file_size")) {
    if (const auto* s = n->as_string()) {
      auto bytes = parse_byte_size(s->get());
      if (!bytes)
        r.error(n->source(), bytes.error());
      else
        out.max_file_size = *bytes;
    } else if (const auto* i = n->as_integer(); i != nullptr && i->get() > 0) {
      auto bytes = byte_count(i->get());
      if (!bytes)
        r.error(n->source(), bytes.error());
      else
        out.max_file_size = *bytes;
    } else {
      r.wrong_type(*n, "max_file_size", "a size such as \"100MB\"");
    }
  }
  const auto positive = [&](std::string_view key) -> std::optional<std::uint32_t> {
    auto v = r.integer_at(p, key);
    if (!v) return std::nullopt;
    if (*v <= 0 || *v > 1'000'000) {
      r.error(p.get(key)->source(),
              fmt::format("'{}' must be within 1..1000000 (got {})", key, *v));
      return std::nullopt;
    }
    return static_cast<std::uint32_t>(*v);
  };
  out.max_files = positive("max_files");
  out.max_concurrency = positive("max_concurrency");
  out.rpm = positive("rpm");
  if (auto tier = r.string_at(p, "rate_tier")) {
    static constexpr std::string_view tiers[] = {"tier0", "tier1", "tier2",
                                                 "tier3", "tier4", "tier5"};
    if (std::find(std::begin(tiers), std::end(tiers), *tier) == std::end(tiers)) {
      r.error(p.get("rate_tier")->source(),
              fmt::format("unknown rate tier '{}' (use tier0 to tier5)", *tier));
    } else if (p.get("max_concurrency") != nullptr || p.get("rpm") != nullptr) {
      r.error(p.get("rate_tier")->source(), "use 'rate_tier' or 'max_concurrency'/'rpm', not both");
    } else {
      out.rate_tier = *tier;
    }
  }
  if (auto store = r.string_at(p, "store")) {
    // A directory store is relative to --out so that the runner never writes elsewhere.
    const auto refused =
        *store == "none" || *store == "memory" ? std::nullopt : detail::store_error(*store);
    if (refused)
      r.error(p.get("store")->source(), *refused);
    else
      out.store = *store;
  }
}

void read_providers(toml_reader& r, const toml::table& root, scenario& out) {
  const toml::table* ps = r.table_at(root, "providers");
  if (ps == nullptr) return;
  for (const auto& [key, node] : *ps) {
    const std::string name(key.str());
    if (name != "kimi" && name != "glm") {
      r.error(key.source(), fmt::format("unknown provider '{}' (use kimi or glm)", name));
      continue;
    }
    const auto* table = node.as_table();
    if (table == nullptr) {
      r.wrong_type(node, name, "a table");
      continue;
    }
    provider_config config = default_provider(name);
    read_provider(r, name, *table, config);
    out.providers[name] = config;
  }
}

// The expectation keys of [expect] or of one [[expect.when]] table.
expectations_patch read_expectation_keys(toml_reader& r, const toml::table& e) {
  expectations_patch out;
  std::tie(out.success_rate_at_least, out.success_rate_at_most) =
      r.range_at(e, "success_rate", 0, 1);
  out.timeout_rate_at_most = r.bound_at(e, "timeout_rate", "at_most", 0, 1);
  if (auto integrity = r.string_at(e, "integrity")) {
    if (*integrity == "all")
      out.integrity_all = true;
    else if (*integrity == "none")
      out.integrity_all = false;
    else
      r.error(e.get("integrity")->source(),
              fmt::format("unknown integrity '{}' (use \"all\" or \"none\")", *integrity));
  }
  if (const toml::table* latency = r.table_at(e, "latency_ms")) {
    r.unknown_keys(*latency, {"p50", "p95", "p99"}, "'latency_ms'");
    const double max_ms = 24 * 3600e3;
    out.latency_p50_ms_at_most = r.bound_at(*latency, "p50", "at_most", 0, max_ms);
    out.latency_p95_ms_at_most = r.bound_at(*latency, "p95", "at_most", 0, max_ms);
    out.latency_p99_ms_at_most = r.bound_at(*latency, "p99", "at_most", 0, max_ms);
  }
  return out;
}

void read_expect(toml_reader& r, const toml::table& root, scenario& out) {
  const toml::table* e = r.table_at(root, "expect");
  if (e == nullptr) return;
  r.unknown_keys(*e, {"success_rate", "integrity", "latency_ms", "timeout_rate", "when"},
                 "[expect]");
  read_expectation_keys(r, *e).apply_to(out.expect);
  const toml::array* whens = r.array_at(*e, "when");
  if (whens == nullptr) return;
  for (const auto& item : *whens) {
    const auto* t = item.as_table();
    if (t == nullptr) {
      r.wrong_type(item, "when", "an array of tables ([[expect.when]])");
      continue;
    }
    r.unknown_keys(*t, {"cell", "success_rate", "integrity", "latency_ms", "timeout_rate"},
                   "an [[expect.when]] table");
    expectation_override when;
    const toml::table* cell = r.table_at(*t, "cell");
    if (cell == nullptr) {
      if (t->get("cell") == nullptr)
        r.error(t->source(),
                "an [[expect.when]] table needs a 'cell' (e.g. cell = { faults = "
                "\"flaky\" }); without one, put the keys in [expect]");
    } else {
      when.cell = detail::read_cell(r, *cell, "the cell of an [[expect.when]] table", false);
    }
    when.patch = read_expectation_keys(r, *t);
    out.expect_when.push_back(std::move(when));
  }
}

void read_faults(toml_reader& r, const toml::table& root, scenario& out) {
  const toml::table* fs = r.table_at(root, "faults");
  if (fs == nullptr) return;
  for (const auto& [key, node] : *fs) {
    const std::string name(key.str());
    if (name == "none") {
      r.error(key.source(), "fault profile 'none' is built in (no faults) and cannot be defined");
      continue;
    }
    const auto* table = node.as_table();
    if (table == nullptr) {
      r.wrong_type(node, name, "a table");
      continue;
    }
#if defined(ROLLPROOF_HAVE_FAULT_RULES)
    auto plan = mock::parse_fault_plan(*table, r.file());
    if (!plan) {
      for (auto& d : plan.error())
        r.out().push_back(std::move(d));
      continue;
    }
    out.faults[name] = fault_profile{name, mock::to_json(*plan)};
#else
    // Without the mock's rule library only the outer shape can be checked here.
    r.unknown_keys(*table, {"rules"}, fmt::format("[faults.{}]", name));
    if (r.array_at(*table, "rules") == nullptr && table->get("rules") == nullptr) {
      r.error(table->source(), fmt::format("[faults.{}] needs 'rules'", name));
      continue;
    }
    out.faults[name] = fault_profile{name, detail::to_json(*table)};
#endif
  }
}

void read_claims(toml_reader& r, const toml::table& root, scenario& out) {
  const toml::node* n = root.get("claim");
  if (n == nullptr) return;
  const auto* claims = n->as_array();
  if (claims == nullptr) {
    r.wrong_type(*n, "claim", "an array of tables ([[claim]])");
    return;
  }
  for (const auto& item : *claims) {
    const auto* t = item.as_table();
    if (t == nullptr) {
      r.wrong_type(item, "claim", "a table");
      continue;
    }
#if defined(ROLLPROOF_HAVE_CLAIMS)
    auto spec = claims::parse_claim(*t, r.file());
    if (!spec) {
      for (auto& d : spec.error())
        r.out().push_back(std::move(d));
      continue;
    }
#else
    if (!r.string_at(*t, "id") && t->get("id") == nullptr)
      r.error(t->source(), "a claim needs 'id'");
#endif
    out.claims.push_back(*t);
  }
}

// [claims]: the family's error control. Under holm or bh the family's alpha sets every claim's
// level, so a claim's own `confidence` (which would break the family's arithmetic) is refused.
void read_claims_section(toml_reader& r, const toml::table& root, scenario& out) {
  if (const toml::table* t = r.table_at(root, "claims")) {
    out.claim_family.stated = true;
    r.unknown_keys(*t, {"error_control", "alpha"}, "[claims]");
    if (const auto method = r.string_at(*t, "error_control")) {
      if (*method == "holm" || *method == "bh" || *method == "none")
        out.claim_family.error_control = *method;
      else
        r.error(t->get("error_control")->source(),
                fmt::format("[claims] error_control must be \"holm\", \"bh\" or \"none\", not "
                            "\"{}\"",
                            *method));
    }
    if (const auto alpha = r.number_at(*t, "alpha")) {
      if (*alpha > 0 && *alpha <= 0.5)
        out.claim_family.alpha = *alpha;
      else
        r.error(t->get("alpha")->source(), "[claims] alpha must lie in (0, 0.5]");
    }
  }
  if (out.claim_family.error_control == "none") return;
  // The file's own tables (not the copies in out.claims), which keep their source positions.
  const toml::array* tables = root["claim"].as_array();
  if (tables == nullptr) return;
  for (const auto& item : *tables) {
    const toml::table* claim = item.as_table();
    const toml::node* c = claim != nullptr ? claim->get("confidence") : nullptr;
    if (c != nullptr)
      r.error(c->source(), fmt::format("a claim's 'confidence' applies only with [claims] "
                                       "error_control = \"none\"; under {} the family's alpha "
                                       "sets every claim's level",
                                       out.claim_family.error_control));
  }
}

void check_references(toml_reader& r, const toml::table& root, scenario& out) {
  const toml::table* m = root["matrix"].as_table();
  for (std::size_t i = 0; i < out.matrix.faults.size(); ++i) {
    const auto& name = out.matrix.faults[i];
    if (name == "none" || out.faults.count(name) != 0) continue;
    toml::source_region where{};
    if (m != nullptr && m->get("faults") != nullptr) {
      const toml::node* f = m->get("faults");
      where =
          f->is_array() && i < f->as_array()->size() ? (*f->as_array())[i].source() : f->source();
    }
    r.error(where, fmt::format("unknown fault profile '{}' (define [faults.{}] or use \"none\")",
                               name, name));
  }
  // A provider used by the matrix without its own table runs with the documented defaults.
  for (const auto& p : out.matrix.providers) {
    if (out.providers.count(p) == 0) out.providers[p] = default_provider(p);
  }
}

// Checked before anything expands the matrix: a product of long lists would not fit in memory.
void check_case_count(toml_reader& r, const toml::table& root, const scenario& out) {
  const auto cases = case_count_bound(out, out.repeat);
  if (cases <= max_cases) return;
  const toml::node* at = root.get("matrix");
  if (at == nullptr) at = &root;
  r.error(at->source(),
          fmt::format("the matrix plans {} cases (the product of its lists, plus include, times "
                      "repeat {}), more than {}: shorten its lists or split the scenario",
                      cases == UINT64_MAX ? std::string("over 2^64") : std::to_string(cases),
                      out.repeat, max_cases));
}

std::expected<scenario, diagnostics> validate(const toml::table& root, std::string file) {
  diagnostics found;
  toml_reader r(file, found);
  r.unknown_keys(root,
                 {"scenario", "subject", "providers", "matrix", "expect", "faults", "claim",
                  "claims", "bucketing", "rollback"},
                 "the scenario file");
  scenario out;
  out.file = file;
  read_scenario_table(r, root, out);
  read_subject(r, root, out);
  read_providers(r, root, out);
  if (const toml::table* m = r.table_at(root, "matrix")) detail::read_matrix(r, *m, out.matrix);
  out.has_matrix = root.get("matrix") != nullptr;
  if (const toml::table* rb = r.table_at(root, "rollback")) {
    out.rollback.emplace();
    detail::read_rollback(r, *rb, *out.rollback);
  }
  if (const toml::table* b = r.table_at(root, "bucketing")) {
    out.bucketing.emplace();
    detail::read_bucketing(r, *b, *out.bucketing);
  }
  read_expect(r, root, out);
  read_faults(r, root, out);
  read_claims(r, root, out);
  read_claims_section(r, root, out);
  check_references(r, root, out);
  if (found.empty()) check_case_count(r, root, out);
  detail::check_meaning(r, root, out);
  if (!found.empty()) {
    std::stable_sort(found.begin(), found.end(), [](const diagnostic& a, const diagnostic& b) {
      return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
    });
    return std::unexpected(std::move(found));
  }
  return out;
}

}  // namespace

std::expected<scenario, diagnostics> load_scenario_text(std::string_view text,
                                                        std::string display_name) {
  toml::table root;
  try {
    root = toml::parse(text, display_name);
  } catch (const toml::parse_error& e) {
    return std::unexpected(
        diagnostics{diagnostic{{display_name, e.source().begin.line, e.source().begin.column},
                               std::string(e.description())}});
  }
  auto loaded = validate(root, display_name);
  if (loaded) loaded->sha256 = sha256_hex(text);
  return loaded;
}

}  // namespace rollproof::framework
